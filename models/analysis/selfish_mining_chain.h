#pragma once
// Eyal & Sirer's (FC 2014) selfish-mining state machine solved numerically: the
// model value next to every simulated (alpha, gamma), with the stale blocks the
// strategy causes, which the closed form in closed_forms.h does not give.
//
// States: 0 (no private block), 0' (a tie: two public branches of length 1, the
// pool's and the honest one), and 1, 2, ..., max_lead (the pool's private lead).
// Each transition is one block found: by the pool with probability alpha, else by
// the honest miners, a share gamma of which mine on the pool's branch during a tie.
// Blocks are credited at the transition where their fate is settled (the paper's
// section 4):
//   0  -> 1 pool finds;           0 -> 0 honest finds: honest +1
//   1  -> 2 pool finds;           1 -> 0' honest finds (the pool publishes its block)
//   0' -> 0 pool finds: pool +2, one honest block stale
//        honest on the pool's branch (gamma (1 - alpha)): pool +1, honest +1, one honest stale
//        honest on the honest branch ((1 - gamma)(1 - alpha)): honest +2, one pool stale
//   2  -> 3 pool finds;           2 -> 0 honest finds (the pool publishes all): pool +2, one honest stale
//   i  -> i+1 pool finds;         i -> i-1 (i > 2) honest finds: pool +1, one honest stale
// At max_lead a pool block keeps the lead at max_lead and is credited to the pool at
// once (every block the pool finds while ahead by two or more ends in the chain).
// The truncation's weight is the stationary probability of max_lead, about
// (alpha / (1 - alpha))^max_lead, reported as truncated_mass. Per block found, the
// credited blocks and the stale ones add up to 1.

namespace cbsim::models::analysis {

struct SelfishMining {
  double alpha;       // pool hash share, [0, 1]
  double gamma;       // share of honest hash power mining on the pool's block during a tie, [0, 1]
  int max_lead = 200; // the chain's last state; >= 2
};

struct SelfishMiningResult {
  double relative_revenue;         // pool blocks / all blocks in the main chain
  double pool_blocks_per_block;    // pool blocks ending in the main chain, per block found
  double honest_blocks_per_block;  // honest blocks ending in the main chain, per block found
  double stale_share;              // blocks ending stale (orphaned), per block found
  double honest_stale_share;       // honest blocks ending stale, per honest block found (0 if alpha = 1)
  double pool_stale_share;         // pool blocks ending stale, per pool block found (0 if alpha = 0)
  double truncated_mass;           // stationary probability of the state max_lead
};

// Throws std::invalid_argument for alpha or gamma outside [0, 1] or max_lead < 2.
SelfishMiningResult selfish_mining_markov(const SelfishMining& s);

}  // namespace cbsim::models::analysis
