#include "sim/runner/run_control.h"

#include <cstdio>
#include <utility>

#include "sim/engine/interruption.h"
#include "sim/runner/process_memory.h"

namespace cbsim::sim {

std::string EarlyStop::reason() const {
  char buf[200];
  if (cause == Cause::interruption)
    std::snprintf(buf, sizeof buf, "interrupted by %s at simulated time %.1f s", signal_name(signal), sim_time_s);
  else
    std::snprintf(buf, sizeof buf,
                  "resident memory %.0f MB (added since the run started) crossed the limit of %.0f MB "
                  "(limits.max_memory_mb; 0 = the memory available at the start) at simulated time %.1f s",
                  rss_mb, limit_mb, sim_time_s);
  return buf;
}

RunControl::RunControl(double memory_limit_mb, ProgressListener* display, std::function<double()> resident_mb)
    : memory_limit_mb_(memory_limit_mb), display_(display), resident_mb_(std::move(resident_mb)) {}

// What the run itself added: a run forked from a Python interpreter starts with
// the interpreter's pages resident (shared with its parent), which are not the
// run's, so the limit applies to the growth since the run started.
RunControl::RunControl(double memory_limit_mb, ProgressListener* display)
    : RunControl(memory_limit_mb, display, [start = current_rss_mb()] { return current_rss_mb() - start; }) {}

std::optional<EarlyStop> RunControl::interruption_at(double sim_time_s) const {
  const int signal = interruption_signal();
  if (signal == 0) return std::nullopt;
  return EarlyStop{.cause = EarlyStop::Cause::interruption, .sim_time_s = sim_time_s, .signal = signal};
}

RunVerdict RunControl::on_progress(const Progress& p) {
  if (display_ != nullptr) display_->on_progress(p);
  if (early_stop_) return RunVerdict::stop;  // already asked: the runner is stopping
  early_stop_ = interruption_at(p.sim_time_s);
  if (!early_stop_ && memory_limit_mb_ > 0.0) {
    const double rss = resident_mb_();
    if (rss > memory_limit_mb_)
      early_stop_ = EarlyStop{.cause = EarlyStop::Cause::memory_limit,
                              .sim_time_s = p.sim_time_s,
                              .rss_mb = rss,
                              .limit_mb = memory_limit_mb_};
  }
  return early_stop_ ? RunVerdict::stop : RunVerdict::go_on;
}

void RunControl::check_after_run(double sim_time_s) {
  if (!early_stop_) early_stop_ = interruption_at(sim_time_s);
}

}  // namespace cbsim::sim
