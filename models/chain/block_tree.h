#pragma once
// One node's block tree: which blocks it holds, its best (most-work) tip, and
// the blocks it received before their parent (the orphan buffer).

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "models/chain/block.h"

namespace cbsim::models::chain {

enum class AddKind : std::uint8_t {
  extended,      // the new block (or a chain of orphans it completed) extends the tip
  reorganized,   // a heavier branch replaced the tip
  side_branch,   // stored, but the tip did not change
  duplicate,     // already held (or already buffered)
  orphaned,      // parent unknown: buffered until the parent arrives
};

struct AddOutcome {
  AddKind kind = AddKind::duplicate;
  BlockId old_tip = kNoBlock;
  BlockId new_tip = kNoBlock;
  std::vector<BlockId> connected;  // blocks attached to the tree by this call, parents first
  std::uint32_t reorg_depth = 0;   // blocks disconnected from the old best chain
};

class BlockTree {
public:
  explicit BlockTree(const BlockStore& store);

  // Adds a block the caller has validated. Connects buffered orphans whose
  // parent it is. Fork choice: most cumulative work; on a tie the block seen
  // first stays the tip (Bitcoin's first-seen rule).
  AddOutcome add(BlockId id);

  bool has(BlockId id) const {
    return id / 64 < held_.size() && (held_[id / 64] >> (id % 64)) & 1u;
  }
  bool is_buffered(BlockId id) const;
  BlockId tip() const { return tip_; }
  std::uint32_t height() const { return store_->at(tip_).header.height; }
  std::size_t orphan_count() const { return orphan_count_; }
  // The held block that a buffered orphan is missing the parent of, walking down the buffered chain.
  BlockId missing_parent_of(BlockId orphan) const;

private:
  void mark_held(BlockId id);
  bool heavier(BlockId candidate, BlockId current) const;

  const BlockStore* store_;
  std::vector<std::uint64_t> held_;  // bitset over BlockId
  BlockId tip_ = BlockStore::genesis();
  std::unordered_map<BlockId, std::vector<BlockId>> orphans_by_parent_;
  std::size_t orphan_count_ = 0;
};

}  // namespace cbsim::models::chain
