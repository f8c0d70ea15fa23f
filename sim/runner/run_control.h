#pragma once
// Whether a run goes on. execute_run installs one for every run, progress bar
// or not: at each progress report (every 65,536 events and every block mined
// for Nakamoto, every 16,384 events for committees) it stops the run when
// SIGINT or SIGTERM arrived (sim/engine/interruption.h) or when the process's
// resident memory crossed the limit (limits.max_memory_mb), and passes the
// report on to a display (the progress bar) if there is one.
//
// Phases that do not report, so that a stop waits for their end: building the
// network and the nodes, building the results after the event loop (chain
// report, committee metrics), the allocation and integrity experiments.

#include <functional>
#include <optional>

#include "sim/runner/run_result.h"

namespace cbsim::sim {

class RunControl final : public ProgressListener {
public:
  // memory_limit_mb <= 0: no limit. `resident_mb` reads the process's memory (tests replace it).
  RunControl(double memory_limit_mb, ProgressListener* display, std::function<double()> resident_mb);
  RunControl(double memory_limit_mb, ProgressListener* display);

  RunVerdict on_progress(const Progress& p) override;

  // Once the run is over: a signal that arrived where nothing reports (see
  // above) stops it as well, at `sim_time_s`, the time it reached.
  void check_after_run(double sim_time_s);

  const std::optional<EarlyStop>& early_stop() const { return early_stop_; }

private:
  std::optional<EarlyStop> interruption_at(double sim_time_s) const;

  double memory_limit_mb_;
  ProgressListener* display_;
  std::function<double()> resident_mb_;
  std::optional<EarlyStop> early_stop_;
};

}  // namespace cbsim::sim
