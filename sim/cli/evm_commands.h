#pragma once
// `cbsim evm statetest FILE|DIR...` (Ethereum state tests: one line per case,
// then "N passed, N failed"; exit 1 if any case failed, 2 if a file is not a
// valid state test or no case ran) and `cbsim evm run --code HEX [--input HEX]
// [--gas N]` (bytecode against an empty state, JSON {"status", "output",
// "gas_used"} as geth's `evm run`, and "error" saying why it did not succeed).
// Both run each transaction within models::evm::kRunnerBudget: a case beyond
// it is "not run" and the exit status 2.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/evm/interpreter.h"

namespace cbsim::cli {

// Bad input to an evm command (hex that is not hex, a file that is not a state
// test): reported on one line, exit status 2.
struct EvmInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The most gas `evm run` accepts: half the runner's work budget (5 * 10^9,
// about 150 Ethereum blocks), so that code runs out of gas before the budget
// stops it, unless gas underprices it (calls, KECCAK256, state changes): the
// budget, not the gas, bounds the time and memory of a run.
inline constexpr std::uint64_t kMaxRunGas = models::evm::kRunnerBudget.max_work / 2;

struct EvmOptions {
  std::vector<std::string> paths;
  bool failures_only = false;
  std::string code_hex;
  std::string input_hex;
  std::uint64_t gas = kMaxRunGas;
};

struct EvmCommands {
  CLI::App* evm = nullptr;
  CLI::App* statetest = nullptr;
  CLI::App* run = nullptr;
};

EvmCommands add_evm_commands(CLI::App& app, EvmOptions& options);
// The exit status of the evm command given; throws EvmInputError for bad input.
int run_evm_command(const EvmCommands& commands, const EvmOptions& options);

}  // namespace cbsim::cli
