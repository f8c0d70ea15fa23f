#include "models/consensus/nakamoto/selfish_miner.h"

namespace cbsim::models::consensus::nakamoto {

SelfishMiner::SelfishMiner(const chain::BlockStore& store, chain::BlockId start)
    : store_(&store), private_tip_(start), public_height_(store.at(start).header.height) {}

int SelfishMiner::lead() const {
  return static_cast<int>(height(private_tip_)) - static_cast<int>(public_height_);
}

std::vector<chain::BlockId> SelfishMiner::publish_up_to(std::uint32_t h) {
  std::vector<chain::BlockId> out;
  while (!unpublished_.empty() && height(unpublished_.front()) <= h) {
    out.push_back(unpublished_.front());
    unpublished_.erase(unpublished_.begin());
  }
  if (!out.empty()) public_height_ = std::max(public_height_, height(out.back()));
  return out;
}

std::vector<chain::BlockId> SelfishMiner::on_pool_block(chain::BlockId block) {
  const int previous_lead = lead();
  private_tip_ = block;
  unpublished_.push_back(block);
  if (previous_lead == 0 && tie_) {
    // The pool extended its own side of the tie: publishing wins the race.
    tie_ = false;
    return publish_up_to(height(block));
  }
  return {};
}

std::vector<chain::BlockId> SelfishMiner::on_honest_block(chain::BlockId block) {
  const std::uint32_t h = height(block);
  if (h <= public_height_) return {};  // a block on a branch already outrun: changes nothing
  const int previous_lead = lead();
  public_height_ = h;
  honest_tip_ = block;
  tie_ = false;
  if (previous_lead <= 0) {
    // The others are ahead (or won the tie): adopt their chain.
    private_tip_ = block;
    unpublished_.clear();
    return {};
  }
  if (previous_lead == 1) {
    // Publish the one private block: a race between two branches of equal length.
    tie_ = true;
    tie_pool_block_ = unpublished_.back();
    tie_honest_block_ = block;
    return publish_up_to(h);
  }
  if (previous_lead == 2) return publish_up_to(height(private_tip_));  // one ahead: the pool wins
  return publish_up_to(h);  // comfortably ahead: reveal the block matching theirs
}

}  // namespace cbsim::models::consensus::nakamoto
