#include "sim/runner/run_scenario.h"

#include <stdexcept>

#include "sim/allocation/allocation_experiment.h"
#include "sim/integrity/integrity_experiment.h"
#include "sim/runner/nakamoto_simulation.h"
#include "sim/runner/committee_simulation.h"

namespace cbsim::sim {

namespace {
RunResult run_chain(const scenario::Scenario& scenario, ProgressListener* progress) {
  if (scenario.consensus.protocol == "nakamoto") return run_nakamoto(scenario, progress);
  if (scenario.consensus.protocol == "pbft" || scenario.consensus.protocol == "hotstuff")
    return run_committee(scenario, progress);
  throw std::invalid_argument("consensus.protocol " + scenario.consensus.protocol + " has no simulation yet");
}
}  // namespace

RunResult run_scenario(const scenario::Scenario& scenario, ProgressListener* progress) {
  RunResult result = run_chain(scenario, progress);
  // The allocation experiment's central mechanisms and optimum serve the same
  // requests off the chain; the contract mechanisms ran in it.
  if (allocation_enabled(scenario)) {
    AllocationExperiment experiment = run_allocation_experiment(scenario, result.contract_allocation.get());
    result.metrics["allocation"] = std::move(experiment.metrics);
    result.tables.emplace_back("allocations.csv", std::move(experiment.table));
  }
  if (integrity_enabled(scenario)) {
    nlohmann::json integrity = run_integrity_experiment(scenario);
    // An anchor is a transaction: it waits for the chain to confirm it.
    const nlohmann::json& m = result.metrics;
    if (m.contains("confirmation_latency_s")) integrity["anchor_latency_s"] = m["confirmation_latency_s"]["p50"];
    else if (m.contains("consensus") && m["consensus"].contains("latency_s"))
      integrity["anchor_latency_s"] = m["consensus"]["latency_s"]["p50"];
    result.metrics["integrity"] = std::move(integrity);
  }
  return result;
}

}  // namespace cbsim::sim
