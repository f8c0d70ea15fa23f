#include "sim/runner/selfish_mining_adversary.h"

#include "models/analysis/closed_forms.h"
#include "models/analysis/selfish_mining_chain.h"

namespace cbsim::sim {

namespace chain = models::chain;

SelfishMiningAdversary::SelfishMiningAdversary(const scenario::AttackConfig& config, std::uint32_t node,
                                               AdversaryHost& host)
    : Adversary(node, host), config_(config) {}

void SelfishMiningAdversary::start() {
  miner_ = std::make_unique<models::consensus::nakamoto::SelfishMiner>(host_->store(), host_->tree_of(node_).tip());
}

void SelfishMiningAdversary::publish(const std::vector<chain::BlockId>& blocks) {
  // With an explicit gamma, honest miners must be able to choose the pool's
  // block, so every node hears of it; otherwise it spreads by relay alone.
  const bool to_every_node = config_.tie_breaking == "gamma";
  for (chain::BlockId b : blocks) host_->publish(node_, b, to_every_node);
}

void SelfishMiningAdversary::on_own_block(chain::BlockId block) { publish(miner_->on_pool_block(block)); }

void SelfishMiningAdversary::on_block_accepted(std::uint32_t node, const chain::AddOutcome& outcome) {
  if (node != node_) return;
  for (chain::BlockId b : outcome.connected) {
    if (host_->store().at(b).header.miner == node_) continue;  // its own, published
    const bool was_tie = miner_->tie();
    const std::vector<chain::BlockId> released = miner_->on_honest_block(b);
    publish(released);
    if (!was_tie && miner_->tie()) ++ties_;
    // Eyal & Sirer's gamma assumes every honest miner knows both blocks of a
    // race; first-seen relay stops the honest one at nodes that saw the pool's
    // first (they do not relay a block of equal work), so the nodes beyond
    // them would never hear of it. With an explicit gamma it reaches everyone.
    if (config_.tie_breaking == "gamma" && !released.empty()) host_->announce_to_every_node(node_, b);
  }
}

chain::BlockId SelfishMiningAdversary::honest_parent(std::uint32_t winner, models::random::Rng& rng) {
  const chain::BlockTree& tree = host_->tree_of(winner);
  const chain::BlockId tip = tree.tip();
  if (config_.tie_breaking != "gamma") return tip;
  // Eyal & Sirer's model decides, not the order in which blocks happened to
  // arrive: during a tie (state 0') a share gamma of honest mining extends the
  // pool's block; otherwise honest miners stay on their own branch even where
  // the pool has revealed a block of the same height to match it.
  if (miner_->tie()) {
    const chain::BlockId side =
        rng.uniform01() < config_.gamma ? miner_->tie_pool_block() : miner_->tie_honest_block();
    return tree.has(side) ? side : tip;
  }
  const chain::BlockStore& store = host_->store();
  const chain::BlockId honest = miner_->honest_tip();
  const bool tip_is_revealed_match = store.at(tip).header.miner == node_ && honest != chain::kNoBlock &&
                                     store.at(honest).header.height == store.at(tip).header.height;
  return tip_is_revealed_match && tree.has(honest) ? honest : tip;
}

nlohmann::json SelfishMiningAdversary::metrics(chain::BlockId best_tip) const {
  const chain::BlockStore& store = host_->store();
  std::uint64_t pool_main = 0, main = 0, pool_mined = 0, honest_mined = 0, honest_main = 0;
  const std::vector<char> on_main = store.chain_membership(best_tip);
  for (chain::BlockId b = 1; b < store.size(); ++b) {
    const bool pool = store.at(b).header.miner == node_;
    (pool ? pool_mined : honest_mined)++;
    if (on_main[b]) {
      ++main;
      if (pool) ++pool_main;
      else ++honest_main;
    }
  }
  nlohmann::json m;
  m["kind"] = "selfish-mining";
  m["attacker_node"] = node_;
  m["attacker_share"] = config_.attacker_share;
  m["relative_revenue"] = main > 0 ? static_cast<double>(pool_main) / static_cast<double>(main) : 0.0;
  m["pool_blocks_mined"] = pool_mined;
  m["honest_blocks_mined"] = honest_mined;
  m["honest_stale_rate"] =
      honest_mined > 0 ? static_cast<double>(honest_mined - honest_main) / static_cast<double>(honest_mined) : 0.0;
  m["ties"] = ties_;
  m["tie_breaking"] = config_.tie_breaking;
  // Eyal & Sirer's closed form and their Markov chain describe a pool below half
  // the hash power: from alpha = 1/2 on, the pool's lead grows without bound, the
  // chain has no stationary distribution and its truncated system is singular.
  if (config_.tie_breaking == "gamma" && config_.attacker_share >= 0.5) {
    m["gamma"] = config_.gamma;
    m["model_note"] = "no model value: the selfish-mining models hold for attacker_share < 0.5";
  } else if (config_.tie_breaking == "gamma") {
    // Eyal & Sirer's closed form and their Markov chain solved numerically.
    const auto chain_model = models::analysis::selfish_mining_markov({config_.attacker_share, config_.gamma});
    m["gamma"] = config_.gamma;
    m["model_relative_revenue"] = models::analysis::selfish_mining_revenue(config_.attacker_share, config_.gamma);
    m["markov_relative_revenue"] = chain_model.relative_revenue;
    m["model_honest_stale_rate"] = chain_model.honest_stale_share;
    m["profitable_threshold"] = models::analysis::selfish_mining_threshold(config_.gamma);
  }
  return m;
}

}  // namespace cbsim::sim
