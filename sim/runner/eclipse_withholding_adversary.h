#pragma once
// Eclipse with withholding: Heilman et al. (2015)'s "N-confirmation double
// spending". The attacker holds every connection of the merchant. In each
// trial it sends the payment to the merchant alone and a conflicting
// transaction to the network, withholds honest blocks from the merchant and
// feeds it a branch of its own blocks (a merchant that mines extends that
// branch too). Once the merchant has the payment attack.confirmations deep, or
// after attack.max_trial_time_s, it releases the withheld blocks; the merchant
// switches to the network's chain, which holds the conflicting transaction.
// A trial succeeds if the merchant accepted within the window; the next trial
// starts once the merchant has caught up with the attacker's view.

#include <optional>
#include <unordered_set>

#include "sim/runner/adversary.h"
#include "sim/runner/trial_tally.h"

namespace cbsim::sim {

class EclipseWithholdingAdversary final : public Adversary {
public:
  EclipseWithholdingAdversary(const scenario::AttackConfig& config, double block_interval_s, std::uint32_t node,
                              std::uint32_t merchant, AdversaryHost& host);

  void start() override;
  models::chain::BlockId mining_parent() override;
  void on_own_block(models::chain::BlockId block) override;
  void on_block_accepted(std::uint32_t node, const models::chain::AddOutcome& outcome) override;
  Interception intercept(const models::consensus::nakamoto::Message& m) const override;
  std::optional<double> tx_arrival(std::uint32_t node, const models::chain::Transaction& tx) const override;
  nlohmann::json metrics(models::chain::BlockId best_tip) const override;
  std::pair<int, int> trials_progress() const override { return {tally_.done(), config_.trials}; }

private:
  // feeding: the merchant sees only the attacker's branch; released: the
  // withheld blocks are on their way and the trial ends when the merchant's
  // chain holds the conflicting transaction; catching_up: waiting for the
  // merchant to reach the attacker's tip before the next trial.
  enum class Phase : std::uint8_t { feeding, released, catching_up, over };

  void new_trial();
  void release();
  // Ends the feeding phase if the window has closed (a failed trial).
  void check_window();
  bool caught_up() const { return host_->tree_of(merchant_).tip() == host_->tree_of(node_).tip(); }

  scenario::AttackConfig config_;
  double block_interval_s_;
  std::uint32_t merchant_;
  Phase phase_ = Phase::over;
  models::chain::TxIndex payment_ = models::chain::kNoTx;
  models::chain::TxIndex twin_ = models::chain::kNoTx;
  bool accepted_ = false;
  // Blocks of the merchant's branches (the attacker's pushed blocks and those
  // the merchant mined on them): they never leave the merchant, not even
  // after the trial, or the payment could reach the network's chain.
  std::unordered_set<models::chain::BlockId> private_blocks_;
  TrialTally tally_;
  double accept_time_total_ = 0.0;  // over successful trials, from the trial's start
};

}  // namespace cbsim::sim
