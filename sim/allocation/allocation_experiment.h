#pragma once
// The allocation experiment of a scenario's allocation section: one stream of
// advance reservations (models/allocation/request.h) served by each listed
// mechanism on the same hosts, each measured against the offline optimum (or
// its LP bound when the instance is too large to solve exactly).

#include <nlohmann/json.hpp>
#include <vector>

#include "models/allocation/request.h"
#include "sim/output/csv_table.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

struct AllocationExperiment {
  // metrics.json's "allocation": the workload, the reference (optimum or
  // bound) and, per mechanism, efficiency, acceptance, utilization, Jain
  // fairness over tenants, latency from request to running VM.
  nlohmann::json metrics;
  // allocations.csv: one row per request, with each mechanism's decision.
  CsvTable table{{}};
};

struct ContractAllocationRun;  // sim/allocation/allocation_contracts.h

bool allocation_enabled(const scenario::Scenario& s);
// The scenario's stream of VM requests (the same for every mechanism).
std::vector<models::allocation::AllocationRequest> allocation_requests(const scenario::Scenario& s);
// `chain`: the chain run's contract decisions, needed when the scenario lists
// contract mechanisms (nullptr otherwise).
AllocationExperiment run_allocation_experiment(const scenario::Scenario& s, const ContractAllocationRun* chain);

}  // namespace cbsim::sim
