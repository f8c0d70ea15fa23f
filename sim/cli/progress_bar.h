#pragma once
// A one-line progress bar on stderr (only when stderr is a terminal): blocks
// mined, simulated time and an ETA. Uses wall-clock time for the display only;
// nothing it reads feeds back into the simulation.

#include <chrono>
#include <cstdio>

#include "sim/runner/run_result.h"

namespace cbsim::cli {

class ProgressBar final : public sim::ProgressListener {
public:
  explicit ProgressBar(std::FILE* out);
  // Ends the line also when the run ends by an exception.
  ~ProgressBar() override { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  sim::RunVerdict on_progress(const sim::Progress& p) override;
  // Ends the bar's line (once) so that what follows starts on a line of its own.
  void finish();

private:
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  bool drawn_ = false;
};

}  // namespace cbsim::cli
