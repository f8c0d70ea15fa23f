#pragma once
// Turns the final state of a Nakamoto run into metrics.json and its tables.

#include <array>
#include <cstdint>
#include <vector>

#include "models/chain/block.h"
#include "models/chain/tx_pool.h"
#include "models/consensus/nakamoto/messages.h"
#include "models/network/topology.h"
#include "sim/metrics/propagation_tracker.h"
#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

struct ChainCounters {
  static constexpr std::size_t kKinds = static_cast<std::size_t>(models::consensus::nakamoto::MsgKind::count);
  std::array<std::uint64_t, kKinds> messages{};
  std::array<std::uint64_t, kKinds> bytes{};
  std::uint64_t reorgs = 0;
  std::uint32_t max_reorg_depth = 0;
  std::uint64_t blocks_rejected = 0;
  std::uint64_t events = 0;
  std::uint64_t flows = 0;
  double cpu_seconds = 0.0;

  void count_message(models::consensus::nakamoto::MsgKind kind, std::uint64_t size) {
    messages[static_cast<std::size_t>(kind)]++;
    bytes[static_cast<std::size_t>(kind)] += size;
  }
  void count_reorg(std::uint32_t depth) {
    ++reorgs;
    max_reorg_depth = std::max(max_reorg_depth, depth);
  }
};

struct ChainReportInput {
  const scenario::Scenario& scenario;
  const models::chain::BlockStore& store;
  const models::chain::TxPool& pool;
  const PropagationTracker& tracker;
  const ChainCounters& counters;
  const models::network::Topology& topology;
  const std::vector<std::uint32_t>& node_region;
  const std::vector<double>& hash_share;
  std::vector<models::chain::BlockId> node_tips = {};
  models::chain::BlockId best_tip = models::chain::BlockStore::genesis();  // see best_tip() below
  double sim_time_s = 0.0;
};

// The chain most nodes would agree on: the most-work tip held by any node
// (ties: the tip held by more nodes, then the lower id).
models::chain::BlockId best_tip(const models::chain::BlockStore& store,
                                const std::vector<models::chain::BlockId>& tips);

RunResult build_chain_report(const ChainReportInput& in);

}  // namespace cbsim::sim
