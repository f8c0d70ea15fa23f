#pragma once
// A double-spend attack on a merchant, one trial at a time, as a state machine
// over real blocks (the race of Rosenfeld 2014, with optional pre-mining and a
// give-up rule):
//  1. premining: the attacker mines `premined_blocks` private blocks on the
//     public tip, the first holding its conflicting transaction; if the public
//     tip moves first, it starts over on the new tip.
//  2. racing: the payment is broadcast; the attacker keeps extending its
//     private branch. Whenever the merchant has accepted the payment (runner's
//     call: `confirmations` deep in its chain) and the private branch is
//     strictly longer than the public chain as the attacker sees it, the
//     attacker publishes what it has not published yet. Its view can lag
//     (a block still in flight), so a publication may only tie; the race then
//     simply goes on.
//  3. The trial fails when the public chain leads by `give_up_deficit` blocks
//     (0 = never) or lasts longer than `max_trial_time_s` (0 = never).
// Success itself is observed by the runner: the merchant's chain holds the
// conflicting transaction after it accepted the payment.

#include <cstdint>
#include <vector>

#include "models/chain/block.h"

namespace cbsim::models::consensus::nakamoto {

struct DoubleSpendRules {
  int premined_blocks = 1;
  int give_up_deficit = 20;
  double max_trial_time_s = 0.0;
};

class DoubleSpender {
public:
  enum class Phase : std::uint8_t { premining, racing, failed };

  struct Decision {
    bool broadcast_payment = false;       // send the payment to the merchant now
    std::vector<chain::BlockId> publish;  // blocks to publish now, parents first
    bool gave_up = false;
  };

  DoubleSpender(const chain::BlockStore& store, const DoubleSpendRules& rules);

  // Starts a trial on the attacker's view of the public tip.
  Decision start_trial(chain::BlockId public_tip, double now);
  chain::BlockId mining_parent() const { return private_tip_; }
  Phase phase() const { return phase_; }
  bool merchant_accepted() const { return accepted_; }

  Decision on_attacker_block(chain::BlockId block, chain::BlockId public_tip);
  Decision on_public_tip(chain::BlockId public_tip, double now);
  Decision on_merchant_accepted(chain::BlockId public_tip);

private:
  std::uint32_t height(chain::BlockId b) const { return store_->at(b).header.height; }
  Decision publish_if_ahead(chain::BlockId public_tip);

  const chain::BlockStore* store_;
  DoubleSpendRules rules_;
  Phase phase_ = Phase::failed;
  chain::BlockId fork_point_ = chain::kNoBlock;
  chain::BlockId private_tip_ = chain::kNoBlock;
  int private_blocks_ = 0;
  std::uint32_t published_height_ = 0;
  bool accepted_ = false;
  double started_ = 0.0;
};

}  // namespace cbsim::models::consensus::nakamoto
