#include "sim/runner/run_scenario.h"

#include <stdexcept>

#include "sim/runner/nakamoto_simulation.h"
#include "sim/runner/committee_simulation.h"

namespace cbsim::sim {

RunResult run_scenario(const scenario::Scenario& scenario, ProgressListener* progress) {
  if (scenario.consensus.protocol == "nakamoto") return run_nakamoto(scenario, progress);
  if (scenario.consensus.protocol == "pbft" || scenario.consensus.protocol == "hotstuff")
    return run_committee(scenario, progress);
  throw std::invalid_argument("consensus.protocol " + scenario.consensus.protocol + " has no simulation yet");
}

}  // namespace cbsim::sim
