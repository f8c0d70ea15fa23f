#pragma once
// An upper estimate of a run's peak memory from the scenario alone, made
// before anything is built, so that a run that cannot fit is refused at once
// (preflight) instead of growing until the machine gives out. Each term is a
// count the input drives (nodes, overlay edges, blocks, transactions,
// requests, hosts, ...) times a per-unit cost measured on this simulator
// (bench/memory_fit.sh; the fit is in memory_estimate.cpp). Computing it
// allocates nothing in proportion to the input.

#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// One thing a run stores that grows with its input.
struct MemoryTerm {
  std::string what;   // what is stored, for the error message: "transactions", "overlay edges", ...
  std::string field;  // the field to lower to shrink it: "attack.trials", "nodes.count", ...
  double count = 0.0;
  double bytes_each = 0.0;
  double mb() const;  // 1 MB = 2^20 bytes
};

struct MemoryEstimate {
  std::vector<MemoryTerm> terms;
  // The upper envelope: a fixed base plus a margin over the sum of the terms,
  // in MB; +infinity when a count has no bound (a trial that never ends).
  double total_mb() const;
  // The term that weighs most: its field is the one to lower. nullptr without terms.
  const MemoryTerm* largest() const;
};

// Peak memory of a run that stores nothing (the process, its libraries,
// SimGrid's engine) and the factor over the sum of the terms that makes the
// estimate an upper envelope of the measured peaks.
inline constexpr double kBaseMemoryMb = 100.0;
inline constexpr double kMemoryMargin = 1.25;

MemoryEstimate estimate_memory(const scenario::Scenario& s);

// How long a run lasts, as the estimate sees it, and the field that sets it.
struct RunLength {
  double blocks = 0.0;      // Nakamoto: blocks mined over the run
  double requests = 0.0;    // committees: requests the clients submit
  double sim_time_s = 0.0;  // simulated time
  std::string field;        // duration.blocks, attack.trials, committee.requests, duration.max_sim_time_s
};
RunLength run_length(const scenario::Scenario& s);

// Expected blocks (the whole network's) of one attack trial: the race of
// models/analysis/double_spend_race.h seen as a random walk of the honest
// lead, an upper bound of its mean (a success only ends it sooner); the
// eclipse withholding trial feeds the victim attack.confirmations blocks.
// +infinity when a trial need never end.
double attack_trial_blocks(const scenario::AttackConfig& a, double block_interval_s);

// Expected edges of the Nakamoto overlay network.topology builds on nodes.count nodes.
double expected_overlay_edges(const scenario::Scenario& s);

}  // namespace cbsim::sim
