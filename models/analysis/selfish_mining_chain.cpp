#include "models/analysis/selfish_mining_chain.h"

#include <stdexcept>
#include <vector>

#include "models/analysis/markov_chain.h"

namespace cbsim::models::analysis {

namespace {

// A transition with the blocks whose fate it settles.
struct Move {
  int from;
  int to;
  double probability;
  double pool = 0;  // pool blocks that end in the main chain
  double honest = 0;
  double pool_stale = 0;
  double honest_stale = 0;
};

constexpr int kZero = 0;
constexpr int kTie = 1;  // 0'
int lead(int i) { return 1 + i; }

std::vector<Move> moves(const SelfishMining& s) {
  const double a = s.alpha, g = s.gamma, h = 1 - s.alpha;
  std::vector<Move> m = {
      {kZero, lead(1), a},
      {kZero, kZero, h, 0, 1},
      {lead(1), kTie, h},
      {kTie, kZero, a, 2, 0, 0, 1},
      {kTie, kZero, g * h, 1, 1, 0, 1},
      {kTie, kZero, (1 - g) * h, 0, 2, 1, 0},
      {lead(2), kZero, h, 2, 0, 0, 1},
  };
  for (int i = 1; i <= s.max_lead; ++i) {
    if (i < s.max_lead)
      m.push_back({lead(i), lead(i + 1), a});
    else
      m.push_back({lead(i), lead(i), a, 1});  // truncation: the lead stays, the block is the pool's for good
    if (i > 2) m.push_back({lead(i), lead(i - 1), h, 1, 0, 0, 1});
  }
  return m;
}

}  // namespace

SelfishMiningResult selfish_mining_markov(const SelfishMining& s) {
  if (!(s.alpha >= 0.0 && s.alpha <= 1.0)) throw std::invalid_argument("selfish mining: alpha must be in [0, 1]");
  if (!(s.gamma >= 0.0 && s.gamma <= 1.0)) throw std::invalid_argument("selfish mining: gamma must be in [0, 1]");
  if (s.max_lead < 2) throw std::invalid_argument("selfish mining: max_lead must be >= 2");

  const std::vector<Move> all = moves(s);
  std::vector<Transition> transitions;
  transitions.reserve(all.size());
  for (const Move& m : all) transitions.push_back({m.from, m.to, m.probability});
  const MarkovChain chain(lead(s.max_lead) + 1, transitions);
  // alpha = 0 or 1 leave some states unreachable, but there is still one closed
  // class ({0}, or {max_lead}), so the stationary distribution stays unique.
  const Eigen::VectorXd pi = chain.stationary_distribution();

  // Expected blocks settled per transition (= per block found) in steady state.
  Move per_block{0, 0, 0};
  for (const Move& m : all) {
    const double weight = pi(m.from) * m.probability;
    per_block.pool += weight * m.pool;
    per_block.honest += weight * m.honest;
    per_block.pool_stale += weight * m.pool_stale;
    per_block.honest_stale += weight * m.honest_stale;
  }
  SelfishMiningResult r{};
  r.pool_blocks_per_block = per_block.pool;
  r.honest_blocks_per_block = per_block.honest;
  r.relative_revenue = per_block.pool / (per_block.pool + per_block.honest);
  r.stale_share = per_block.pool_stale + per_block.honest_stale;
  r.honest_stale_share = s.alpha < 1 ? per_block.honest_stale / (1 - s.alpha) : 0.0;
  r.pool_stale_share = s.alpha > 0 ? per_block.pool_stale / s.alpha : 0.0;
  r.truncated_mass = pi(lead(s.max_lead));
  return r;
}

}  // namespace cbsim::models::analysis
