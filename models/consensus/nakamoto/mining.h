#pragma once
// Proof-of-work mining.
//
// Timing: each miner finds blocks as a Poisson process of rate
// hash_share / (difficulty x base interval). The superposition of these races is
// one Poisson process whose next event goes to miner i with probability
// proportional to its rate, so the whole network is simulated by one
// exponential draw per block and one categorical draw for the winner. The
// process is memoryless, so restarting the race when a miner switches tip
// changes nothing in distribution; only a change of difficulty alters rates.
//
// Content: the winner assembles a real block on its tip from its mempool view
// and searches a nonce whose header hash meets a (small) proof-of-work target,
// which every receiver re-checks.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/block.h"
#include "models/chain/tx_pool.h"
#include "models/random/rng.h"

namespace cbsim::models::consensus::nakamoto {

// Hash-power shares (summing to 1) for `count` nodes; `miners` of them (0 = all)
// mine, picked at random. distribution: uniform | normal (SimBlock: mean 1,
// coefficient of variation `cv`, truncated at 0) | exponential.
std::vector<double> assign_hash_power(std::size_t count, std::size_t miners, const std::string& distribution,
                                      double cv, random::Rng& rng);

// Picks the index of the next block's miner with probability proportional to weight.
std::size_t draw_winner(const std::vector<double>& weights, double total, random::Rng& rng);

struct RetargetRule {
  bool enabled = false;
  std::uint32_t interval_blocks = 2016;
  double target_block_interval_s = 600.0;
};

// Difficulty of a block built on `parent` (1.0 = the difficulty at which the
// whole network's hash power finds a block every target interval). Bitcoin's
// rule: every interval_blocks, scale by target time / actual time, clamped to [1/4, 4].
double next_difficulty(const chain::BlockStore& store, chain::BlockId parent, const RetargetRule& rule);

// Assembles and "mines" (nonce search to pow_leading_zero_bits) a block on
// `parent`; adds it to the store and records its transactions' inclusion.
chain::BlockId mine_block(chain::BlockStore& store, chain::TxPool& pool, chain::BlockId parent,
                          std::vector<chain::TxIndex> transactions, std::uint32_t miner, double now,
                          double difficulty, int pow_leading_zero_bits,
                          std::optional<crypto::Hash256> state_root = std::nullopt);

}  // namespace cbsim::models::consensus::nakamoto
