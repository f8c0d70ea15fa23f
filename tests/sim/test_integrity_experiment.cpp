// The integrity experiment of a run (issue 8): per audit sample size, the
// first audit's detection against 1 - (1 - t)^s within 4 binomial standard
// errors of its trials; the anchor's gas from the contract executed in the
// EVM; the anchor's wait, the chain's confirmation latency.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

TEST(IntegrityExperiment, DetectionFollowsTheClosedFormInAChainRun) {
  const auto dir = scratch_dir("integrity");
  const ProcessResult r = run_cbsim({"run", scenario_path("data-integrity.json"), "--out", dir.string(), "--quiet",
                                     "--set", "duration.blocks=20", "--set", "integrity.trials=800", "--set",
                                     "integrity.objects=200", "--set", "integrity.object_bytes=256", "--set",
                                     "integrity.tamper_fraction=0.02", "--set", "integrity.sample_sizes=[5, 40]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json m = read_json(dir / "metrics.json")["integrity"];
  EXPECT_EQ(m["tampered"].get<int>(), 4);
  ASSERT_EQ(m["by_sample_size"].size(), 2u);
  for (const json& point : m["by_sample_size"]) {
    const double s = point["sample_size"].get<double>();
    const double p = 1.0 - std::pow(1.0 - 0.02, s);
    EXPECT_NEAR(point["model_detection"].get<double>(), p, 1e-12);
    EXPECT_NEAR(point["detection"].get<double>(), p, 4 * std::sqrt(p * (1 - p) / 800)) << "s = " << s;
  }
  // 21,000 + two new storage slots (2 x 22,100) + a log + calldata: 65,000-72,000 gas.
  EXPECT_GT(m["anchor_gas"].get<int>(), 65000);
  EXPECT_LT(m["anchor_gas"].get<int>(), 72000);
  EXPECT_GT(m["anchor_latency_s"].get<double>(), 0.0);
  std::filesystem::remove_all(dir);
}
