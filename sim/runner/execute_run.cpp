#include "sim/runner/execute_run.h"

#include <sys/resource.h>

#include <chrono>

#include "sim/output/results_writer.h"
#include "sim/runner/process_memory.h"
#include "sim/runner/run_control.h"
#include "sim/runner/run_scenario.h"

namespace cbsim::sim {

namespace {
double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}
}  // namespace

RunResult execute_run(const scenario::Scenario& scenario, const std::filesystem::path& out_dir,
                      ProgressListener* display) {
  prepare_results_dir(out_dir);  // an unusable folder fails now, not after the simulation
  // The limit is fixed at the start: the memory available shrinks as the run grows.
  RunControl control(memory_limit_mb(scenario.limits), display);
  const auto start = std::chrono::steady_clock::now();
  RunResult result = run_scenario(scenario, &control);
  control.check_after_run(result.metrics.value("sim_time_s", 0.0));
  result.early_stop = control.early_stop();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.metrics["wall_time_s"] = wall;
  result.metrics["peak_rss_mb"] = peak_rss_mb();
  result.metrics["messages_per_wall_s"] = wall > 0.0 ? result.metrics["messages"].get<double>() / wall : 0.0;
  write_results(out_dir, scenario, result);
  return result;
}

std::filesystem::path default_results_dir(const scenario::Scenario& scenario) {
  return std::filesystem::path("results") / scenario.name;
}

}  // namespace cbsim::sim
