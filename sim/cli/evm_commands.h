#pragma once
// `cbsim evm statetest FILE|DIR...` (Ethereum state tests: one line per case,
// then "N passed, N failed"; exit 1 if any case failed, 2 if a file is not a
// valid state test or no case ran) and `cbsim evm run --code HEX [--input HEX]
// [--gas N]` (bytecode against an empty state, JSON {"status", "output",
// "gas_used"} as geth's `evm run`, and "error" saying why it did not succeed).

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

// The most gas `evm run` accepts: 10^10, about 300 Ethereum blocks. It bounds
// a run to about half a minute and the EVM memory any code can buy (memory
// costs words^2 / 512 gas, spread over up to 1,025 nested calls) to about 2.3 GB;
// the interpreter itself counts gas in a signed 64-bit integer.
inline constexpr std::uint64_t kMaxRunGas = 10'000'000'000;

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
