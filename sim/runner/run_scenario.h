#pragma once
// Runs a loaded scenario with the simulation its consensus protocol needs.

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

RunResult run_scenario(const scenario::Scenario& scenario, ProgressListener* progress);

}  // namespace cbsim::sim
