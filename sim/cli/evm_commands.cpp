#include "sim/cli/evm_commands.h"

#include <charconv>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "models/evm/code_run.h"
#include "models/evm/fork.h"
#include "models/evm/hex.h"
#include "models/evm/interpreter.h"
#include "sim/evm/json_field.h"
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

void print_case(const sim::evm::StateTestCase& c) {
  std::cout << (c.passed ? "PASS " : c.over_budget ? "NOT RUN " : "FAIL ") << c.file << " " << c.name << " " << c.fork
            << " d" << c.data << " g" << c.gas << " v" << c.value;
  if (c.over_budget)
    std::cout << ": not run: " << c.detail;
  else if (!c.passed)
    std::cout << ": " << c.detail;
  std::cout << "\n";
}

std::string implemented_forks() {
  return std::string(ev::fork_name(ev::Fork::shanghai)) + " and " + std::string(ev::fork_name(ev::Fork::cancun));
}

// Why a run of state tests ran no case at all.
std::string why_no_case(const std::vector<std::string>& paths, std::size_t files,
                        const std::map<std::string, std::size_t>& skipped) {
  if (files == 0) {
    std::string where;
    for (const std::string& p : paths) where += (where.empty() ? "" : ", ") + sim::evm::abbreviate(p);
    return "no state test files (*.json) in " + where;
  }
  if (!skipped.empty()) return "no case for a fork this EVM implements (" + implemented_forks() + "); skipped every case";
  return "the files hold no state test case";
}

// Exit status 0 when every case passed, 1 when a case failed; throws
// EvmInputError (status 2) when a file is not a valid state test, a case went
// beyond the runner's budget (not run: an input this runner cannot judge) or
// no case ran. Neither stops the run: a malformed file is reported as one
// failure, a case beyond the budget as not run.
int run_statetests(const EvmOptions& o) {
  std::vector<std::filesystem::path> files;
  try {
    files = sim::evm::state_test_files(o.paths);
  } catch (const sim::evm::StateTestPathError& e) {
    throw EvmInputError(e.what());
  }
  std::size_t passed = 0, failed = 0, not_run = 0;
  std::string first_not_run;
  std::vector<std::string> malformed;
  std::map<std::string, std::size_t> skipped;
  for (const auto& file : files) {
    const sim::evm::StateTestFile result = sim::evm::run_state_test_file(file);
    if (!result.error.empty()) {
      ++failed;
      malformed.push_back(result.error);
      std::cout << "FAIL " << result.error << "\n";
      continue;
    }
    for (const auto& c : result.cases) {
      if (!c.over_budget)
        (c.passed ? passed : failed)++;
      else if (not_run++ == 0)
        first_not_run = c.file + " " + c.name + " " + c.fork + ": " + c.detail;
      if (!c.passed || !o.failures_only) print_case(c);
    }
    for (const auto& [fork, n] : result.skipped_forks) skipped[fork] += n;
  }
  for (const auto& [fork, n] : skipped)
    std::cout << "skipped " << n << (n == 1 ? " case" : " cases") << " of unsupported fork " << fork
              << " (this EVM implements " << implemented_forks() << ")\n";
  std::cout << passed << " passed, " << failed << " failed";
  if (!malformed.empty())
    std::cout << " (" << malformed.size() << (malformed.size() == 1 ? " malformed file" : " malformed files") << ")";
  if (not_run > 0) std::cout << ", " << not_run << " not run (beyond the runner's budget)";
  std::cout << std::endl;
  if (!malformed.empty()) {
    const std::size_t more = malformed.size() - 1;
    throw EvmInputError(malformed.front() +
                        (more == 0 ? "" : " (and " + std::to_string(more) + " more malformed files: see the FAIL lines)"));
  }
  if (not_run > 0)
    throw EvmInputError(std::to_string(not_run) + (not_run == 1 ? " case" : " cases") + " not run, the first: " +
                        first_not_run);
  if (passed + failed == 0) throw EvmInputError(why_no_case(o.paths, files.size(), skipped));
  return failed == 0 ? 0 : 1;
}

// Why a call did not succeed, for the JSON: geth's words for a revert.
std::string error_text(const ev::ExecResult& r) {
  if (r.status == ev::Status::revert) return "execution reverted";
  if (r.status == ev::Status::aborted) return sim::evm::over_budget_text(r.failure, ev::kRunnerBudget);
  return std::string(ev::failure_message(r.failure));
}

// Exit status 0 whatever the EVM's outcome; 2 (the JSON printed first) when
// the code went beyond the runner's budget and could not be run to its end.
int run_code(const EvmOptions& o) {
  const ev::Bytes code = parse_hex(o.code_hex, "--code");
  const ev::Bytes input = parse_hex(o.input_hex, "--input");
  const ev::ExecResult r =
      ev::run_code(code, input, static_cast<std::int64_t>(o.gas), ev::Fork::cancun, ev::kRunnerBudget).result;
  static const char* names[] = {"success", "revert", "failure", "aborted"};
  nlohmann::json out = {{"status", names[static_cast<int>(r.status)]},
                        {"output", ev::to_hex(r.output)},
                        {"gas_used", o.gas - static_cast<std::uint64_t>(r.gas_left)}};
  if (r.status == ev::Status::aborted) out.erase("gas_used");  // not run to its end: no gas was "used"
  if (r.status != ev::Status::success) out["error"] = error_text(r);
  std::cout << out.dump() << "\n";
  if (r.status == ev::Status::aborted) throw EvmInputError("--code: not run: " + error_text(r));
  return 0;
}

// --gas: a whole number from 0 to kMaxRunGas, in decimal (CLI11 alone would
// take "-1" as 2^64 - 1 and "010" as octal).
CLI::Validator gas_amount() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t gas = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, gas);
        if (error != std::errc() || stop != end || gas > kMaxRunGas)
          return "must be a whole number from 0 to " + std::to_string(kMaxRunGas) + ", got " +
                 sim::evm::abbreviate(text);
        text = std::to_string(gas);  // no leading zeros left for an octal reading
        return "";
      },
      "0.." + std::to_string(kMaxRunGas));
}

}  // namespace

EvmCommands add_evm_commands(CLI::App& app, EvmOptions& o) {
  EvmCommands c;
  c.evm = app.add_subcommand("evm", "The EVM on its own: Ethereum state tests, running bytecode");
  c.evm->require_subcommand(1);
  c.statetest = c.evm->add_subcommand(
      "statetest",
      "Run Ethereum state tests (GeneralStateTests format) for Shanghai and Cancun. Exit status 0: every case "
      "passed; 1: a case failed; 2: a file is not a valid state test (reported as a failure, the others still run), "
      "a case went beyond the runner's budget of work or memory (reported as not run), or no case ran at all");
  c.statetest->add_option("paths", o.paths, "State test files or directories (searched for *.json)")->required();
  c.statetest->add_flag("--failures-only", o.failures_only, "Print only the failing cases (and the summary)");
  c.run = c.evm->add_subcommand(
      "run", "Execute bytecode against an empty state (Cancun) and print the result as JSON; \"error\" says why a "
             "call failed or reverted, or that it went beyond the runner's budget (status \"aborted\", exit status 2)");
  c.run->add_option("--code", o.code_hex, "Bytecode, hex")->required();
  c.run->add_option("--input", o.input_hex, "Call data, hex");
  c.run->add_option("--gas", o.gas, "Gas available, at most " + std::to_string(kMaxRunGas) + " (the default)")
      ->check(gas_amount());
  return c;
}

int run_evm_command(const EvmCommands& c, const EvmOptions& o) {
  if (*c.statetest) return run_statetests(o);
  return run_code(o);
}

}  // namespace cbsim::cli
