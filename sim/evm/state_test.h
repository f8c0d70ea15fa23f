#pragma once
// Runs Ethereum state tests (the format of ethereum/tests GeneralStateTests):
// each file holds tests with a pre-state, a transaction template and, per
// fork, the expected post-state root and logs hash for each combination of
// data, gas and value indexes (or the exception the transaction must raise).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cbsim::sim::evm {

struct StateTestCase {
  std::string file;
  std::string name;     // test name in the file
  std::string fork;
  int data = 0, gas = 0, value = 0;  // indexes into the transaction template
  bool passed = false;
  std::string detail;  // why it failed
};

// Every case of `file` for the forks this EVM implements (Shanghai, Cancun).
// Throws std::runtime_error for a file that is not a state test.
std::vector<StateTestCase> run_state_test_file(const std::filesystem::path& file);

// Files and directories (searched recursively for *.json), in a stable order.
std::vector<std::filesystem::path> state_test_files(const std::vector<std::string>& paths);

}  // namespace cbsim::sim::evm
