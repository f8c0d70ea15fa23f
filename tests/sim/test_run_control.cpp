// RunControl (sim/runner/run_control.h): a run stops when its resident memory
// crosses the limit, whether or not a progress bar is shown (issue 15, item 8).

#include <gtest/gtest.h>

#include <vector>

#include "sim/runner/run_control.h"

using namespace cbsim::sim;

namespace {

// Counts the reports it is shown, like a progress bar would draw them.
class CountingDisplay final : public ProgressListener {
public:
  RunVerdict on_progress(const Progress& /*p*/) override {
    ++reports;
    return RunVerdict::go_on;
  }
  int reports = 0;
};

Progress at(double sim_time_s) {
  Progress p;
  p.sim_time_s = sim_time_s;
  return p;
}

}  // namespace

TEST(RunControl, StopsWhenResidentMemoryCrossesTheLimit) {
  double resident_mb = 50.0;
  RunControl control(100.0, nullptr, [&] { return resident_mb; });
  EXPECT_EQ(control.on_progress(at(10.0)), RunVerdict::go_on);
  resident_mb = 100.0;  // at the limit is still within it
  EXPECT_EQ(control.on_progress(at(20.0)), RunVerdict::go_on);
  EXPECT_FALSE(control.early_stop());
  resident_mb = 130.0;
  EXPECT_EQ(control.on_progress(at(1234.56)), RunVerdict::stop);
  ASSERT_TRUE(control.early_stop());
  const EarlyStop& stop = *control.early_stop();
  EXPECT_EQ(stop.cause, EarlyStop::Cause::memory_limit);
  EXPECT_DOUBLE_EQ(stop.sim_time_s, 1234.56);
  EXPECT_DOUBLE_EQ(stop.rss_mb, 130.0);
  EXPECT_DOUBLE_EQ(stop.limit_mb, 100.0);
  EXPECT_EQ(stop.reason(),
            "resident memory 130 MB (added since the run started) crossed the limit of 100 MB (limits.max_memory_mb; 0 = "
            "the memory available at "
            "the start) at simulated time 1234.6 s");
  // Once stopped it stays stopped, at the time it stopped, whatever the memory does.
  resident_mb = 10.0;
  EXPECT_EQ(control.on_progress(at(1300.0)), RunVerdict::stop);
  EXPECT_DOUBLE_EQ(control.early_stop()->sim_time_s, 1234.56);
}

TEST(RunControl, ChecksWithoutADisplayAndPassesEveryReportToOne) {
  CountingDisplay bar;
  RunControl with_bar(100.0, &bar, [] { return 500.0; });
  EXPECT_EQ(with_bar.on_progress(at(1.0)), RunVerdict::stop);
  EXPECT_EQ(with_bar.on_progress(at(2.0)), RunVerdict::stop);
  EXPECT_EQ(bar.reports, 2);
  RunControl without(100.0, nullptr, [] { return 500.0; });
  EXPECT_EQ(without.on_progress(at(1.0)), RunVerdict::stop);
}

TEST(RunControl, NoLimitWhenTheLimitIsUnknown) {
  RunControl control(0.0, nullptr, [] { return 1e9; });
  EXPECT_EQ(control.on_progress(at(1.0)), RunVerdict::go_on);
  control.check_after_run(5.0);
  EXPECT_FALSE(control.early_stop());
}
