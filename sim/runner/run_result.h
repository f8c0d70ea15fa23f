#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/output/csv_table.h"

namespace cbsim::sim {

struct ContractAllocationRun;  // sim/allocation/allocation_contracts.h

// Why a run stopped before its end (see sim/runner/run_control.h).
struct EarlyStop {
  enum class Cause { interruption, memory_limit };
  Cause cause = Cause::interruption;
  double sim_time_s = 0.0;  // the simulated time reached
  int signal = 0;           // interruption: SIGINT or SIGTERM
  double rss_mb = 0.0;      // memory_limit: the resident memory that crossed the limit
  double limit_mb = 0.0;
  // One line: "interrupted by SIGINT at simulated time 1234.5 s", or the memory, limit and time.
  std::string reason() const;
};

struct RunResult {
  nlohmann::json metrics;                                // headline numbers (metrics.json)
  std::vector<std::pair<std::string, CsvTable>> tables;  // file name -> table
  // Non-empty: the run broke an invariant it must keep (a committee's safety
  // with at most f Byzantine replicas). Results are still written, then the
  // run fails with this message.
  std::string failure;
  // The chain's run of the allocation contracts (contract mechanisms only).
  std::shared_ptr<const ContractAllocationRun> contract_allocation;
  // Set: the run was stopped early; its results are partial (PARTIAL, no metrics.json).
  std::optional<EarlyStop> early_stop;
};

struct Progress {
  double sim_time_s = 0.0;
  int blocks_mined = 0;
  int blocks_target = 0;
  double max_sim_time_s = 0.0;
  bool draining = false;  // mining over, last blocks still propagating
  int trials_done = 0;    // attack runs counted in trials rather than blocks
  int trials_target = 0;
  int requests_done = 0;  // committee runs are counted in requests
  int requests_target = 0;
};

// What a listener asks of the run after a report.
enum class RunVerdict { go_on, stop };

// Called by the runner from time to time; must not touch the simulation. On
// RunVerdict::stop the runner stops its event loop and reports what it has.
class ProgressListener {
public:
  virtual ~ProgressListener() = default;
  virtual RunVerdict on_progress(const Progress& p) = 0;
};

}  // namespace cbsim::sim
