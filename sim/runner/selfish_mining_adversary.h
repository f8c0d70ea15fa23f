#pragma once
// Selfish mining (Eyal & Sirer 2014) by one pool node: relative revenue and the
// honest miners' stale rate, next to the Markov-chain value of the same model.

#include "models/consensus/nakamoto/selfish_miner.h"
#include "sim/runner/adversary.h"

namespace cbsim::sim {

class SelfishMiningAdversary final : public Adversary {
public:
  SelfishMiningAdversary(const scenario::AttackConfig& config, std::uint32_t node, AdversaryHost& host);

  void start() override;
  models::chain::BlockId mining_parent() override { return miner_->mining_parent(); }
  void on_own_block(models::chain::BlockId block) override;
  void on_block_accepted(std::uint32_t node, const models::chain::AddOutcome& outcome) override;
  models::chain::BlockId honest_parent(std::uint32_t winner, models::random::Rng& rng) override;
  nlohmann::json metrics(models::chain::BlockId best_tip) const override;

private:
  void publish(const std::vector<models::chain::BlockId>& blocks);

  scenario::AttackConfig config_;
  std::unique_ptr<models::consensus::nakamoto::SelfishMiner> miner_;
  std::uint64_t ties_ = 0;
};

}  // namespace cbsim::sim
