#pragma once
// Writes a run's results. Each file is written to a temporary name in the same
// folder and renamed into place, so a reader (or an interrupted run) never
// sees a half-written file; metrics.json is written last and marks a complete run.

#include <filesystem>
#include <string>

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// Writes scenario.resolved.json, every table, then metrics.json into `dir`.
void write_results(const std::filesystem::path& dir, const scenario::Scenario& scenario, const RunResult& result);

}  // namespace cbsim::sim
