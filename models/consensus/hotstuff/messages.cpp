#include "models/consensus/hotstuff/messages.h"

#include <algorithm>

namespace cbsim::models::consensus::hotstuff {

namespace {
void put(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
}  // namespace

Hash256 block_digest(const Hash256& parent, std::uint64_t view, std::uint64_t height, const Hash256& batch,
                     std::uint64_t justify_view) {
  std::vector<std::uint8_t> buf(parent.begin(), parent.end());
  put(buf, view);
  put(buf, height);
  buf.insert(buf.end(), batch.begin(), batch.end());
  put(buf, justify_view);
  return crypto::sha256(buf);
}

BlockRef make_block(const QC& justify, std::uint64_t height, std::uint64_t view, BatchRef batch) {
  auto b = std::make_shared<Block>();
  b->parent = justify.block;
  b->view = view;
  b->height = height;
  b->batch = std::move(batch);
  b->batch_digest = batch_digest(*b->batch);
  b->justify = justify;
  b->digest = block_digest(b->parent, view, height, b->batch_digest, justify.view);
  return b;
}

const BlockRef& genesis() {
  static const BlockRef g = make_block(QC{}, 0, 0, std::make_shared<const Batch>());
  return g;
}

QC genesis_qc() { return QC{0, genesis()->digest, {}}; }

}  // namespace cbsim::models::consensus::hotstuff
