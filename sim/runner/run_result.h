#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/output/csv_table.h"

namespace cbsim::sim {

struct ContractAllocationRun;  // sim/allocation/allocation_contracts.h

struct RunResult {
  nlohmann::json metrics;                                // headline numbers (metrics.json)
  std::vector<std::pair<std::string, CsvTable>> tables;  // file name -> table
  // Non-empty: the run broke an invariant it must keep (a committee's safety
  // with at most f Byzantine replicas). Results are still written, then the
  // run fails with this message.
  std::string failure;
  // The chain's run of the allocation contracts (contract mechanisms only).
  std::shared_ptr<const ContractAllocationRun> contract_allocation;
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

// Called by the runner from time to time; must not touch the simulation.
class ProgressListener {
public:
  virtual ~ProgressListener() = default;
  virtual void on_progress(const Progress& p) = 0;
};

}  // namespace cbsim::sim
