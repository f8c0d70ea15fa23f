#pragma once
// A Nakamoto (proof-of-work) network: builds the overlay, the platform, the
// nodes and the workload from a scenario, runs it and reports its metrics.

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

RunResult run_nakamoto(const scenario::Scenario& scenario, ProgressListener* progress);

}  // namespace cbsim::sim
