#pragma once
// Eyal & Sirer's selfish-mining strategy (FC 2014, Algorithm 1) as a state
// machine over real blocks: the pool mines on a private branch and publishes
// just enough of it to orphan the honest miners' work.
//
// The "public height" is the height of the best chain honest nodes may be on:
// the highest block the pool has seen from others or published itself.

#include <cstdint>
#include <vector>

#include "models/chain/block.h"

namespace cbsim::models::consensus::nakamoto {

class SelfishMiner {
public:
  SelfishMiner(const chain::BlockStore& store, chain::BlockId start);

  chain::BlockId mining_parent() const { return private_tip_; }

  // The pool found `block` on mining_parent(). Returns the blocks to publish now, parents first.
  std::vector<chain::BlockId> on_pool_block(chain::BlockId block);
  // Another miner's block reached the pool. Returns the blocks to publish now, parents first.
  std::vector<chain::BlockId> on_honest_block(chain::BlockId block);

  // State 0' of the paper: two public branches of equal length, one the pool's.
  bool tie() const { return tie_; }
  chain::BlockId tie_pool_block() const { return tie_pool_block_; }
  chain::BlockId tie_honest_block() const { return tie_honest_block_; }
  // The latest block of others that raised the public height: the tip of the
  // honest branch while the pool reveals blocks of its own to match it.
  chain::BlockId honest_tip() const { return honest_tip_; }
  int lead() const;  // private height - public height
  std::size_t unpublished() const { return unpublished_.size(); }

private:
  std::uint32_t height(chain::BlockId b) const { return store_->at(b).header.height; }
  std::vector<chain::BlockId> publish_up_to(std::uint32_t height);

  const chain::BlockStore* store_;
  chain::BlockId private_tip_;
  std::uint32_t public_height_;
  std::vector<chain::BlockId> unpublished_;  // oldest first
  bool tie_ = false;
  chain::BlockId tie_pool_block_ = chain::kNoBlock;
  chain::BlockId tie_honest_block_ = chain::kNoBlock;
  chain::BlockId honest_tip_ = chain::kNoBlock;
};

}  // namespace cbsim::models::consensus::nakamoto
