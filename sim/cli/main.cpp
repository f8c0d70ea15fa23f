// cbsim command line: run, validate, schema, fields, evm, calibrate.
// Exit status: 0 success, 1 internal error, 2 bad input (file, field and reason on stderr;
// also a results folder or file that cannot be written, with the OS's reason), 3 the run
// broke an invariant it must keep or crossed the memory limit (results written; the reason
// on stderr), 130 / 143 interrupted by SIGINT / SIGTERM (partial results written).

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>

#include "sim/calibration/cost_calibration.h"
#include "sim/cli/evm_commands.h"
#include "sim/cli/progress_bar.h"
#include "sim/cli/summary_table.h"
#include "sim/engine/interruption.h"
#include "sim/output/results_writer.h"
#include "sim/runner/execute_run.h"
#include "sim/runner/preflight.h"
#include "sim/scenario/scenario_loader.h"

namespace {

constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitRunFailed = 3;

struct RunOptions {
  std::string scenario_path;
  std::string out_dir;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;
  bool quiet = false;
  bool no_progress = false;
};

cbsim::scenario::Scenario load(const RunOptions& o) {
  std::vector<std::string> overrides = o.overrides;
  if (o.seed) overrides.push_back("seed=" + std::to_string(*o.seed));
  cbsim::scenario::Scenario s = cbsim::scenario::load_scenario_file(o.scenario_path, overrides);
  cbsim::sim::preflight(s);
  return s;
}

int command_validate(const RunOptions& o) {
  const cbsim::scenario::Scenario s = load(o);
  std::cout << o.scenario_path << ": ok (" << s.name << ", " << s.nodes.count << " nodes, " << s.consensus.protocol
            << ", network " << s.network.model << ")\n";
  return 0;
}

// A run stopped early: its partial results are written; say why.
int report_early_stop(const cbsim::sim::EarlyStop& stop, const cbsim::scenario::Scenario& s,
                      const std::filesystem::path& out) {
  if (stop.cause == cbsim::sim::EarlyStop::Cause::interruption) {
    std::cerr << "interrupted at simulated time " << std::fixed << std::setprecision(1) << stop.sim_time_s
              << " s (partial results in " << out.string() << ")\n";
    return 128 + stop.signal;
  }
  std::cerr << "error: " << s.source << ": run stopped: " << stop.reason() << " (partial results written to "
            << out.string() << ")\n";
  return kExitRunFailed;
}

int command_run(const RunOptions& o) {
  const cbsim::scenario::Scenario s = load(o);
  const std::filesystem::path out = o.out_dir.empty() ? cbsim::sim::default_results_dir(s) : std::filesystem::path(o.out_dir);
  const bool show_progress = !o.quiet && !o.no_progress && ::isatty(STDERR_FILENO);
  std::optional<cbsim::cli::ProgressBar> bar;
  if (show_progress) bar.emplace(stderr);

  cbsim::sim::catch_interruptions();
  const cbsim::sim::RunResult result = cbsim::sim::execute_run(s, out, bar ? &*bar : nullptr);
  if (bar) bar->finish();
  if (result.early_stop) return report_early_stop(*result.early_stop, s, out);
  if (!o.quiet) std::cout << cbsim::cli::summary_table(result.metrics, out.string());
  if (!result.failure.empty()) {
    std::cerr << "error: " << s.source << ": run failed: " << result.failure << " (results written to " << out.string()
              << ")\n";
    return kExitRunFailed;
  }
  return 0;
}

void add_scenario_options(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("scenario", o.scenario_path, "Scenario file (JSON)")->required();
  cmd->add_option("--set", o.overrides, "Override a field: PATH=VALUE (repeatable), e.g. --set nodes.count=1000")
      ->allow_extra_args(false);
  cmd->add_option("--seed", o.seed, "Random seed (same as --set seed=N)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cbsim: discrete-event simulator of cloud-hosted blockchain networks"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cbsim 0.1.0");
  RunOptions options;

  CLI::App* run = app.add_subcommand("run", "Run a scenario and write its results");
  add_scenario_options(run, options);
  run->add_option("--out", options.out_dir, "Results folder (default: results/<scenario name>)");
  run->add_flag("--quiet", options.quiet, "Print nothing but errors");
  run->add_flag("--no-progress", options.no_progress, "No progress bar");

  CLI::App* validate = app.add_subcommand("validate", "Check a scenario without running it");
  add_scenario_options(validate, options);

  CLI::App* schema = app.add_subcommand("schema", "Print the JSON Schema of scenario files");
  CLI::App* fields = app.add_subcommand("fields", "Print the scenario fields as a Markdown table");
  std::string calibrate_out;
  double calibrate_seconds = 0.5;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate", "Measure this machine's cost of EVM gas, signature checks and hashing; write a cost profile");
  calibrate->add_option("--out", calibrate_out, "Write the profile to this file (default: print it)");
  calibrate->add_option("--seconds", calibrate_seconds, "Wall time per measurement (default 0.5)")
      ->check(CLI::Range(0.01, 60.0));
  cbsim::cli::EvmOptions evm_options;
  const cbsim::cli::EvmCommands evm = cbsim::cli::add_evm_commands(app, evm_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*run) return command_run(options);
    if (*validate) return command_validate(options);
    if (*schema) {
      std::cout << cbsim::scenario::json_schema().dump(2) << "\n";
      return 0;
    }
    if (*fields) {
      std::cout << cbsim::scenario::fields_markdown();
      return 0;
    }
    if (*evm.evm) return cbsim::cli::run_evm_command(evm, evm_options);
    if (*calibrate) {
      const std::string profile = cbsim::sim::calibration::calibrate_costs(calibrate_seconds).dump(2) + "\n";
      if (calibrate_out.empty()) {
        std::cout << profile;
      } else {
        cbsim::sim::write_file_atomically(calibrate_out, profile);  // never half a profile
        std::cout << "wrote " << calibrate_out << "\n";
      }
      return 0;
    }
  } catch (const cbsim::scenario::ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const cbsim::cli::EvmInputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const cbsim::sim::OutputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInternal;
}
