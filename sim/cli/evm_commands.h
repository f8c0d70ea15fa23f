#pragma once
// `cbsim evm statetest FILE|DIR...` (Ethereum state tests: one line per case,
// then "N passed, N failed"; exit 1 if any failed) and
// `cbsim evm run --code HEX [--input HEX] [--gas N]` (bytecode against an empty
// state, JSON {"status", "output", "gas_used"} as geth's `evm run`).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cbsim::cli {

// Bad input to an evm command (hex that is not hex, a file that is not a state
// test): reported on one line, exit status 2.
struct EvmInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct EvmOptions {
  std::vector<std::string> paths;
  bool failures_only = false;
  std::string code_hex;
  std::string input_hex;
  std::uint64_t gas = 10'000'000'000;
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
