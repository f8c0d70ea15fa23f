#include "sim/cli/progress_bar.h"

#include <algorithm>
#include <string>

namespace cbsim::cli {

namespace {
std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}
}  // namespace

ProgressBar::ProgressBar(std::FILE* out) : out_(out), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

sim::RunVerdict ProgressBar::on_progress(const sim::Progress& p) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200)) return sim::RunVerdict::go_on;
  last_draw_ = now;
  drawn_ = true;
  const bool by_trials = p.trials_target > 0;
  const bool by_requests = p.requests_target > 0;
  double done = by_trials     ? static_cast<double>(p.trials_done) / p.trials_target
                : by_requests ? static_cast<double>(p.requests_done) / p.requests_target
                              : (p.blocks_target > 0 ? static_cast<double>(p.blocks_mined) / p.blocks_target : 0.0);
  if (p.max_sim_time_s > 0.0) done = std::max(done, p.sim_time_s / p.max_sim_time_s);
  done = std::clamp(done, 0.0, 1.0);
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(done * kWidth);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const std::string eta = (done > 0.0 && !p.draining) ? format_duration(elapsed * (1.0 - done) / done) : "--:--";
  const std::string count =
      by_trials     ? std::to_string(p.trials_done) + "/" + std::to_string(p.trials_target) + " trials, " +
                          std::to_string(p.blocks_mined) + " blocks"
      : by_requests ? std::to_string(p.requests_done) + "/" + std::to_string(p.requests_target) + " requests"
                    : std::to_string(p.blocks_mined) + "/" + std::to_string(p.blocks_target) + " blocks";
  std::fprintf(out_, "\r[%s%s] %s  sim %.0f s  elapsed %s  ETA %s%s  ",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), count.c_str(), p.sim_time_s,
               format_duration(elapsed).c_str(), eta.c_str(), p.draining ? " (propagating)" : "");
  std::fflush(out_);
  return sim::RunVerdict::go_on;
}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(out_, "\n");
  drawn_ = false;
}

}  // namespace cbsim::cli
