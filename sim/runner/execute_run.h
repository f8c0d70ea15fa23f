#pragma once
// One complete run as the command line and the Python package perform it:
// simulate, add the wall-clock fields (the only ones that differ between
// identical runs), write every result file.

#include <filesystem>

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

RunResult execute_run(const scenario::Scenario& scenario, const std::filesystem::path& out_dir,
                      ProgressListener* progress);

// The folder results go to when none is given: results/<scenario name>.
std::filesystem::path default_results_dir(const scenario::Scenario& scenario);

}  // namespace cbsim::sim
