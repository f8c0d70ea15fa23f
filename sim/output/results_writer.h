#pragma once
// Writes a run's results so that a results folder is always in one of two
// states a reader can tell apart:
//  - complete: metrics.json present, and no file of an earlier run beside it;
//  - partial: PARTIAL present and metrics.json absent. PARTIAL says why: a run
//    in progress (or one that died: its process is gone), or a run stopped
//    early (a signal, the memory limit) with its reason and simulated time.
// prepare_results_dir() writes PARTIAL first, then removes an earlier run's
// files; write_results() writes every file under a temporary name renamed into
// place (a reader never sees half a file), metrics.json last, and only then
// removes PARTIAL. A process killed at any moment leaves one of the two states
// (and hidden `.NAME.tmp-PID` files, removed by the next run into the folder).

#include <filesystem>
#include <stdexcept>
#include <string>

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// The results folder or one of its files cannot be written: the message names
// the path and the operating system's reason (exit status 2 at the command line).
class OutputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Throws OutputError naming `path` and the OS's reason.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// Before anything is simulated: creates `dir`, proves it writable by writing
// PARTIAL into it, removes the result files of an earlier run and temporary
// files left by processes no longer alive. Throws OutputError.
void prepare_results_dir(const std::filesystem::path& dir);

// Writes scenario.resolved.json and every table, then metrics.json and removes
// PARTIAL; or, when the run stopped early, metrics.partial.json and a PARTIAL
// giving the reason. Throws OutputError.
void write_results(const std::filesystem::path& dir, const scenario::Scenario& scenario, const RunResult& result);

}  // namespace cbsim::sim
