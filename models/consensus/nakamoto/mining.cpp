#include "models/consensus/nakamoto/mining.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/crypto/merkle.h"
#include "models/random/shuffle.h"

namespace cbsim::models::consensus::nakamoto {

std::vector<double> assign_hash_power(std::size_t count, std::size_t miners, const std::string& distribution,
                                      double cv, random::Rng& rng) {
  if (count == 0) throw std::invalid_argument("assign_hash_power: no nodes");
  if (miners == 0 || miners > count) miners = count;
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  random::shuffle(order, rng);

  std::vector<double> power(count, 0.0);
  for (std::size_t k = 0; k < miners; ++k) {
    double h = 1.0;
    if (distribution == "normal") {
      h = std::max(0.0, 1.0 + cv * rng.standard_normal());
    } else if (distribution == "exponential") {
      h = rng.exponential(1.0);
    } else if (distribution != "uniform") {
      throw std::invalid_argument("assign_hash_power: unknown distribution " + distribution);
    }
    power[order[k]] = h;
  }
  double total = std::accumulate(power.begin(), power.end(), 0.0);
  if (total <= 0.0) {  // every normal draw truncated: fall back to equal shares
    for (std::size_t k = 0; k < miners; ++k) power[order[k]] = 1.0;
    total = static_cast<double>(miners);
  }
  for (double& h : power) h /= total;
  return power;
}

std::size_t draw_winner(const std::vector<double>& weights, double total, random::Rng& rng) {
  double x = rng.uniform01() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  // Rounding left x at the very top: the last miner with weight.
  for (std::size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0.0) return i;
  throw std::logic_error("draw_winner: no weight");
}

double next_difficulty(const chain::BlockStore& store, chain::BlockId parent, const RetargetRule& rule) {
  const chain::Block& p = store.at(parent);
  const double current = (p.id == chain::BlockStore::genesis()) ? 1.0 : p.header.difficulty;
  const std::uint32_t height = p.header.height + 1;
  if (!rule.enabled || height % rule.interval_blocks != 0 || height < rule.interval_blocks) return current;
  const chain::Block& first = store.at(store.ancestor(parent, height - rule.interval_blocks));
  const double actual = (p.mined_s - first.mined_s);
  // The window spans interval_blocks - 1 block intervals (Bitcoin measures the
  // same window but divides by interval_blocks: its known off-by-one).
  const double expected = rule.target_block_interval_s * (rule.interval_blocks - 1);
  const double factor = std::clamp(actual > 0.0 ? expected / actual : 4.0, 0.25, 4.0);
  return current * factor;
}

chain::BlockId mine_block(chain::BlockStore& store, chain::TxPool& pool, chain::BlockId parent,
                          std::vector<chain::TxIndex> transactions, std::uint32_t miner, double now,
                          double difficulty, int pow_leading_zero_bits, std::optional<crypto::Hash256> state_root) {
  const chain::Block& p = store.at(parent);
  chain::Block b;
  b.parent = parent;
  b.mined_s = now;
  std::vector<crypto::Hash256> ids;
  ids.reserve(transactions.size());
  std::uint64_t tx_bytes = 0;
  for (chain::TxIndex i : transactions) {
    ids.push_back(pool.at(i).txid);
    tx_bytes += pool.at(i).size_bytes;
  }
  b.header.parent_hash = p.hash;
  b.header.merkle_root = crypto::merkle_root(ids);
  b.header.timestamp_us = static_cast<std::uint64_t>(std::llround(now * 1e6));
  b.header.height = p.header.height + 1;
  b.header.miner = miner;
  b.header.difficulty = difficulty;
  b.header.cumulative_work = p.header.cumulative_work + difficulty;
  b.header.state_root = state_root;
  b.size_bytes = chain::block_size_bytes(tx_bytes, transactions.size());
  b.transactions = std::move(transactions);
  while (crypto::leading_zero_bits(b.header.hash()) < pow_leading_zero_bits) ++b.header.nonce;
  const chain::BlockId id = store.add(std::move(b));
  pool.record_inclusion(store.at(id));
  return id;
}

}  // namespace cbsim::models::consensus::nakamoto
