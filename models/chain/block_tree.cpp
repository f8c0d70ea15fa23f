#include "models/chain/block_tree.h"

#include <algorithm>

namespace cbsim::models::chain {

BlockTree::BlockTree(const BlockStore& store) : store_(&store) { mark_held(BlockStore::genesis()); }

void BlockTree::mark_held(BlockId id) {
  if (id / 64 >= held_.size()) held_.resize(id / 64 + 1, 0);
  held_[id / 64] |= std::uint64_t{1} << (id % 64);
}

bool BlockTree::is_buffered(BlockId id) const {
  const auto it = orphans_by_parent_.find(store_->at(id).parent);
  return it != orphans_by_parent_.end() && std::find(it->second.begin(), it->second.end(), id) != it->second.end();
}

BlockId BlockTree::missing_parent_of(BlockId orphan) const {
  BlockId walk = orphan;
  while (is_buffered(walk)) walk = store_->at(walk).parent;
  return walk;
}

bool BlockTree::heavier(BlockId candidate, BlockId current) const {
  return store_->at(candidate).header.cumulative_work > store_->at(current).header.cumulative_work;
}

AddOutcome BlockTree::add(BlockId id) {
  AddOutcome out;
  out.old_tip = tip_;
  out.new_tip = tip_;
  if (has(id) || is_buffered(id)) return out;

  const BlockId parent = store_->at(id).parent;
  if (!has(parent)) {
    orphans_by_parent_[parent].push_back(id);
    ++orphan_count_;
    out.kind = AddKind::orphaned;
    return out;
  }

  // Attach the block, then every buffered descendant, breadth first.
  std::vector<BlockId> frontier{id};
  BlockId best = tip_;
  while (!frontier.empty()) {
    const BlockId b = frontier.back();
    frontier.pop_back();
    mark_held(b);
    out.connected.push_back(b);
    if (heavier(b, best)) best = b;
    const auto it = orphans_by_parent_.find(b);
    if (it != orphans_by_parent_.end()) {
      orphan_count_ -= it->second.size();
      frontier.insert(frontier.end(), it->second.begin(), it->second.end());
      orphans_by_parent_.erase(it);
    }
  }

  if (best == tip_) {
    out.kind = AddKind::side_branch;
    return out;
  }
  const BlockId fork = store_->fork_point(tip_, best);
  out.reorg_depth = store_->at(tip_).header.height - store_->at(fork).header.height;
  out.kind = (fork == tip_) ? AddKind::extended : AddKind::reorganized;
  tip_ = best;
  out.new_tip = best;
  return out;
}

}  // namespace cbsim::models::chain
