#pragma once
// One complete run as the command line and the Python package perform it:
// check the results folder, simulate under a RunControl (signals, memory
// limit), add the wall-clock fields (the only ones that differ between
// identical runs), write every result file (sim/output/results_writer.h).

#include <filesystem>

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// `display` (may be null) sees every progress report. A run stopped early
// returns with early_stop set, its partial results written. Throws
// OutputError when the folder cannot be written (before simulating if it can
// be known then).
RunResult execute_run(const scenario::Scenario& scenario, const std::filesystem::path& out_dir,
                      ProgressListener* display);

// The folder results go to when none is given: results/<scenario name>.
std::filesystem::path default_results_dir(const scenario::Scenario& scenario);

}  // namespace cbsim::sim
