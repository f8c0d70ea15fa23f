#include "models/consensus/nakamoto/double_spender.h"

#include <algorithm>

namespace cbsim::models::consensus::nakamoto {

DoubleSpender::DoubleSpender(const chain::BlockStore& store, const DoubleSpendRules& rules)
    : store_(&store), rules_(rules) {}

DoubleSpender::Decision DoubleSpender::start_trial(chain::BlockId public_tip, double now) {
  fork_point_ = public_tip;
  private_tip_ = public_tip;
  private_blocks_ = 0;
  published_height_ = height(public_tip);
  accepted_ = false;
  started_ = now;
  Decision d;
  if (rules_.premined_blocks == 0) {
    phase_ = Phase::racing;
    d.broadcast_payment = true;
  } else {
    phase_ = Phase::premining;
  }
  return d;
}

DoubleSpender::Decision DoubleSpender::publish_if_ahead(chain::BlockId public_tip) {
  Decision d;
  if (phase_ != Phase::racing || !accepted_ || height(private_tip_) <= height(public_tip)) return d;
  for (chain::BlockId b = private_tip_; b != fork_point_ && height(b) > published_height_; b = store_->at(b).parent)
    d.publish.push_back(b);
  std::reverse(d.publish.begin(), d.publish.end());
  published_height_ = height(private_tip_);
  return d;
}

DoubleSpender::Decision DoubleSpender::on_attacker_block(chain::BlockId block, chain::BlockId public_tip) {
  private_tip_ = block;
  ++private_blocks_;
  if (phase_ == Phase::premining) {
    Decision d;
    if (private_blocks_ >= rules_.premined_blocks) {
      phase_ = Phase::racing;
      d.broadcast_payment = true;
    }
    return d;
  }
  return publish_if_ahead(public_tip);
}

DoubleSpender::Decision DoubleSpender::on_public_tip(chain::BlockId public_tip, double now) {
  Decision d;
  if (phase_ == Phase::premining) {
    // The payment must be sent on top of the tip the private blocks extend.
    if (public_tip != fork_point_) {
      fork_point_ = public_tip;
      private_tip_ = public_tip;
      private_blocks_ = 0;
      published_height_ = height(public_tip);
    }
    return d;
  }
  if (phase_ != Phase::racing) return d;
  const int deficit = static_cast<int>(height(public_tip)) - static_cast<int>(height(private_tip_));
  const bool too_far = rules_.give_up_deficit > 0 && deficit >= rules_.give_up_deficit;
  const bool too_long = rules_.max_trial_time_s > 0.0 && now - started_ > rules_.max_trial_time_s;
  if (too_far || too_long) {
    phase_ = Phase::failed;
    d.gave_up = true;
  }
  return d;
}

DoubleSpender::Decision DoubleSpender::on_merchant_accepted(chain::BlockId public_tip) {
  accepted_ = true;
  return publish_if_ahead(public_tip);
}

}  // namespace cbsim::models::consensus::nakamoto
