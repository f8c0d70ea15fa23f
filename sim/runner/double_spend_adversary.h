#pragma once
// Double spending against a merchant, attack.trials trials in a row: success
// probability with its 95 % interval, next to the exact model value of the
// same race (Rosenfeld's closed form, or the Markov chain with give-up).
// Eclipse by delay: the merchant's only peer is the attacker, which announces
// honest blocks to it late and so races the merchant's (lagging) view of the
// chain instead of the network's; the victim's lag behind the network is reported.

#include "models/consensus/nakamoto/double_spender.h"
#include "sim/runner/adversary.h"
#include "sim/runner/trial_tally.h"

namespace cbsim::sim {

class DoubleSpendAdversary final : public Adversary {
public:
  DoubleSpendAdversary(const scenario::AttackConfig& config, std::uint32_t node, std::uint32_t merchant,
                       AdversaryHost& host);

  void start() override;
  models::chain::BlockId mining_parent() override { return spender_.mining_parent(); }
  void on_own_block(models::chain::BlockId block) override;
  void on_block_accepted(std::uint32_t node, const models::chain::AddOutcome& outcome) override;
  Interception intercept(const models::consensus::nakamoto::Message& m) const override;
  nlohmann::json metrics(models::chain::BlockId best_tip) const override;
  std::pair<int, int> trials_progress() const override { return {tally_.done(), config_.trials}; }

private:
  void new_trial();
  void apply(const models::consensus::nakamoto::DoubleSpender::Decision& d);
  void end_trial(bool success);
  // The chain the attacker races: its own view, or the eclipsed victim's.
  models::chain::BlockId public_tip() const { return host_->tree_of(view_node_).tip(); }
  models::chain::BlockId own_tip() const { return host_->tree_of(node_).tip(); }
  void track_victim_lag();

  scenario::AttackConfig config_;
  std::uint32_t merchant_;
  std::uint32_t view_node_;
  double lag_integral_ = 0.0;  // integral over time of (network height - victim height)
  double lag_since_ = 0.0;
  std::uint32_t lag_ = 0;
  models::consensus::nakamoto::DoubleSpender spender_;
  models::chain::TxIndex payment_ = models::chain::kNoTx;
  models::chain::TxIndex twin_ = models::chain::kNoTx;  // the conflicting transaction
  bool merchant_accepted_ = false;  // the merchant's own view; the attacker acts on its view
  TrialTally tally_;
};

}  // namespace cbsim::sim
