#pragma once
// Runs Ethereum state tests (the format of ethereum/tests GeneralStateTests):
// each file holds tests with a pre-state, a transaction template and, per
// fork, the expected post-state root and logs hash for each combination of
// data, gas and value indexes (or the exception the transaction must raise).

#include <cstddef>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/evm/interpreter.h"

namespace cbsim::sim::evm {

struct StateTestCase {
  std::string file;
  std::string name;     // test name in the file (abbreviated if very long)
  std::string fork;
  std::size_t data = 0, gas = 0, value = 0;  // indexes into the transaction template
  bool passed = false;
  // Not run to its end: the transaction went beyond the runner's budget
  // (detail says which); neither passed nor failed.
  bool over_budget = false;
  std::string detail;  // why it failed, or which budget it exceeded
};

// One file: its cases for the forks this EVM implements (Shanghai, Cancun),
// the cases it holds for other forks (not run), or why it could not be read.
struct StateTestFile {
  std::string file;
  std::vector<StateTestCase> cases;
  std::map<std::string, std::size_t> skipped_forks;  // fork name -> cases not run
  // Non-empty: the file is not a readable state test, and none of its cases
  // ran: "<file>: <json.path>: <reason>" (an unreadable file, invalid JSON, a
  // missing field, a value of the wrong type or out of range).
  std::string error;
};

// Every case of `file`, each transaction within `budget`. Bad input never
// throws: it is reported in `error`.
StateTestFile run_state_test_file(const std::filesystem::path& file,
                                  const models::evm::ExecutionBudget& budget = models::evm::kRunnerBudget);

// "exceeds the runner's budget (more than 10000000000 gas of work)", or "...
// MiB of memory)": why an execution ended as Status::aborted with `failure`.
std::string over_budget_text(models::evm::Failure failure, const models::evm::ExecutionBudget& budget);

// A directory that cannot be listed.
struct StateTestPathError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Files and directories (searched recursively for *.json), in a stable order;
// a path that is not a directory is taken as a file (opened later).
std::vector<std::filesystem::path> state_test_files(const std::vector<std::string>& paths);

}  // namespace cbsim::sim::evm
