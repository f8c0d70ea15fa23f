#include "models/consensus/hotstuff/messages.h"

#include <algorithm>

namespace cbsim::models::consensus::hotstuff {

namespace {
void put(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Layout assumed for the sizes: PBFT's (pbft/messages.cpp) header, field
// sizes, requests and replies, so that the two protocols' traffic compare;
// what HotStuff adds:
//   signature: signature_bytes; votes are signed, not MAC'd, since the next
//   leader forwards them inside a QC that every replica checks
//   QC: view 8 + block digest 32 + signer count 4 + per signer (replica id 4
//   + its signature). No threshold signatures: a QC grows with its signers
//   (with them it would be one signature of constant size)
//   vote: header + view + block digest + the voter's signature
//   new-view: header + view + the sender's highest QC (the QC certifies itself)
//   proposal: header + block header (digest, parent, batch digest 32 each;
//   view, height 8 each) + batch (count + PBFT requests) + justify QC; the
//   proposal itself carries no signature of the leader's (votes and QCs
//   certify blocks)
//   request, reply: as PBFT's (reply: the block height in PBFT's seq field)
using namespace pbft::wire;
constexpr std::uint64_t kHeight = 8;
constexpr std::uint64_t kSignerCount = 4;

pbft::WireParams pbft_params(const WireParams& p) { return {p.n, p.mac_bytes}; }

std::uint64_t qc_bytes(const QC& qc, const WireParams& p) {
  return kView + kDigest + kSignerCount + qc.signers.size() * (kReplica + p.signature_bytes);
}
std::uint64_t block_bytes(const Block& b, const WireParams& p) {
  return 3 * kDigest + kView + kHeight + pbft::batch_wire_size(b.batch ? *b.batch : Batch{}, pbft_params(p)) +
         qc_bytes(b.justify, p);
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

void corrupt(Message& m) {
  auto flip = [](Hash256& d) {
    for (auto& byte : d) byte = static_cast<std::uint8_t>(~byte);
  };
  flip(m.digest);
  flip(m.qc.block);
  if (m.block) {
    auto b = std::make_shared<Block>(*m.block);
    flip(b->digest);
    m.block = std::move(b);
  }
}

AuthWork verification_work(const Message& m) {
  switch (m.kind) {
    case MsgKind::vote:
      return {0, 1};
    case MsgKind::proposal:
    case MsgKind::block:
      return {0, 1 + (m.block ? m.block->justify.signers.size() : 0)};
    case MsgKind::new_view:
      return {0, 1 + m.qc.signers.size()};
    default:
      return {1, 0};
  }
}

std::uint64_t wire_size(const Message& m, const WireParams& p) {
  switch (m.kind) {
    case MsgKind::request:
      return pbft::request_wire_size(m.request, pbft_params(p));
    case MsgKind::proposal:
    case MsgKind::block:
      return kHeader + (m.block ? block_bytes(*m.block, p) : 0);
    case MsgKind::fetch:
      return kHeader + kDigest;
    case MsgKind::vote:
      return kHeader + kView + kDigest + p.signature_bytes;
    case MsgKind::new_view:
      return kHeader + kView + qc_bytes(m.qc, p);
    case MsgKind::reply:
      return pbft::reply_wire_size(m.request_ids.size(), pbft_params(p));
    case MsgKind::count:
      break;
  }
  return 0;
}

}  // namespace cbsim::models::consensus::hotstuff
