#include "sim/cli/evm_commands.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "models/evm/code_run.h"
#include "models/evm/hex.h"
#include "models/evm/interpreter.h"
#include "sim/evm/state_test.h"

namespace cbsim::cli {

namespace ev = models::evm;

namespace {

ev::Bytes parse_hex(std::string_view s, const char* what) {
  try {
    return ev::bytes_from_hex(s);
  } catch (const ev::HexError& e) {
    throw EvmInputError(std::string(what) + ": " + e.what());
  }
}

int run_statetests(const EvmOptions& o) {
  std::size_t passed = 0, failed = 0;
  for (const auto& file : sim::evm::state_test_files(o.paths)) {
    std::vector<sim::evm::StateTestCase> cases;
    try {
      cases = sim::evm::run_state_test_file(file);
    } catch (const std::runtime_error& e) {
      throw EvmInputError(e.what());
    }
    for (const auto& c : cases) {
      (c.passed ? passed : failed)++;
      if (c.passed && o.failures_only) continue;
      std::cout << (c.passed ? "PASS " : "FAIL ") << c.file << " " << c.name << " " << c.fork << " d" << c.data
                << " g" << c.gas << " v" << c.value;
      if (!c.passed) std::cout << ": " << c.detail;
      std::cout << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

int run_code(const EvmOptions& o) {
  const ev::Bytes code = parse_hex(o.code_hex, "--code");
  const ev::Bytes input = parse_hex(o.input_hex, "--input");
  const ev::ExecResult r = ev::run_code(code, input, static_cast<std::int64_t>(o.gas)).result;
  static const char* names[] = {"success", "revert", "failure"};
  nlohmann::json out = {{"status", names[static_cast<int>(r.status)]},
                        {"output", ev::to_hex(r.output)},
                        {"gas_used", o.gas - static_cast<std::uint64_t>(r.gas_left)}};
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace

EvmCommands add_evm_commands(CLI::App& app, EvmOptions& o) {
  EvmCommands c;
  c.evm = app.add_subcommand("evm", "The EVM on its own: Ethereum state tests, running bytecode");
  c.evm->require_subcommand(1);
  c.statetest = c.evm->add_subcommand("statetest", "Run Ethereum state tests (GeneralStateTests format)");
  c.statetest->add_option("paths", o.paths, "State test files or directories (searched for *.json)")->required();
  c.statetest->add_flag("--failures-only", o.failures_only, "Print only the failing cases (and the summary)");
  c.run = c.evm->add_subcommand("run", "Execute bytecode against an empty state (Cancun) and print the result as JSON");
  c.run->add_option("--code", o.code_hex, "Bytecode, hex")->required();
  c.run->add_option("--input", o.input_hex, "Call data, hex");
  c.run->add_option("--gas", o.gas, "Gas available (default 10,000,000,000)");
  return c;
}

int run_evm_command(const EvmCommands& c, const EvmOptions& o) {
  if (*c.statetest) return run_statetests(o);
  return run_code(o);
}

}  // namespace cbsim::cli
