#include "models/chain/block.h"

#include <stdexcept>

#include "models/chain/serialization.h"

namespace cbsim::models::chain {

crypto::Hash256 BlockHeader::hash() const {
  ByteWriter w;
  w.u32(version);
  w.hash(parent_hash);
  w.hash(merkle_root);
  w.u64(timestamp_us);
  w.u32(height);
  w.u32(miner);
  w.f64(difficulty);
  w.f64(cumulative_work);
  w.u64(nonce);
  if (state_root) w.hash(*state_root);
  return crypto::sha256d(w.bytes());
}

namespace {
// Bitcoin Core's skip-list height choice: jumps of varied length so that any
// ancestor is reached in O(log n) steps.
std::uint32_t invert_lowest_one(std::uint32_t n) { return n & (n - 1); }
std::uint32_t skip_height(std::uint32_t height) {
  if (height < 2) return 0;
  return (height & 1) ? invert_lowest_one(invert_lowest_one(height - 1)) + 1 : invert_lowest_one(height);
}

std::uint64_t varint_size(std::uint64_t n) { return n < 0xFD ? 1 : n <= 0xFFFF ? 3 : n <= 0xFFFFFFFFull ? 5 : 9; }
}  // namespace

std::uint64_t block_size_bytes(std::uint64_t tx_bytes, std::size_t tx_count) {
  return kWireHeaderBytes + varint_size(tx_count + 1) + kCoinbaseBytes + tx_bytes;
}

BlockStore::BlockStore() {
  Block genesis;
  genesis.header.height = 0;
  genesis.header.difficulty = 0.0;
  genesis.hash = genesis.header.hash();
  genesis.size_bytes = block_size_bytes(0, 0);
  genesis.validity = Validity::valid;
  genesis.id = 0;
  blocks_.push_back(std::move(genesis));
}

BlockId BlockStore::add(Block block) {
  if (block.parent >= blocks_.size()) throw std::invalid_argument("BlockStore::add: unknown parent");
  block.id = static_cast<BlockId>(blocks_.size());
  block.hash = block.header.hash();
  block.skip = ancestor(block.parent, skip_height(block.header.height));
  blocks_.push_back(std::move(block));
  return blocks_.back().id;
}

BlockId BlockStore::ancestor(BlockId id, std::uint32_t height) const {
  if (id == kNoBlock || height > blocks_[id].header.height) return kNoBlock;
  BlockId walk = id;
  std::uint32_t h = blocks_[id].header.height;
  while (h > height) {
    // Take the skip pointer when it lands on the target, or when it stays
    // above it and the parent's skip would not be the better jump: each step
    // then at least halves the remaining distance on average, O(log n) steps.
    const std::uint32_t skip = skip_height(h);
    const std::uint32_t parent_skip = skip_height(h - 1);
    const bool parent_skip_better = parent_skip + 2 < skip && parent_skip >= height;
    if (blocks_[walk].skip != kNoBlock && (skip == height || (skip > height && !parent_skip_better))) {
      walk = blocks_[walk].skip;
      h = skip;
    } else {
      walk = blocks_[walk].parent;
      --h;
    }
  }
  return walk;
}

bool BlockStore::is_ancestor(BlockId a, BlockId b) const {
  return ancestor(b, blocks_[a].header.height) == a;
}

BlockId BlockStore::fork_point(BlockId a, BlockId b) const {
  const std::uint32_t h = std::min(blocks_[a].header.height, blocks_[b].header.height);
  a = ancestor(a, h);
  b = ancestor(b, h);
  while (a != b) {
    a = blocks_[a].parent;
    b = blocks_[b].parent;
  }
  return a;
}

std::vector<char> BlockStore::chain_membership(BlockId tip) const {
  std::vector<char> on_chain(blocks_.size(), 0);
  for (BlockId b = tip; b != kNoBlock; b = blocks_[b].parent) on_chain[b] = 1;
  return on_chain;
}

}  // namespace cbsim::models::chain
