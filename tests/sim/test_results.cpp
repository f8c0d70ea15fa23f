// What a run writes, and that the same scenario and seed give the same results.

#include <gtest/gtest.h>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {
const std::vector<std::string> kSmall = {"--set", "nodes.count=60", "--set", "duration.blocks=6"};

json without_wall_clock(json m) {
  for (const char* k : {"wall_time_s", "peak_rss_mb", "messages_per_wall_s"}) m.erase(k);
  return m;
}

ProcessResult run_quickstart(const std::filesystem::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", scenario_path("quickstart.json"), "--out", out.string(), "--quiet"};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cbsim(args);
}
}  // namespace

TEST(Results, ARunWritesMetricsTablesAndTheResolvedScenario) {
  const auto dir = scratch_dir("results");
  const ProcessResult r = run_quickstart(dir / "a");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"metrics.json", "blocks.csv", "transactions.csv", "propagation.csv", "nodes.csv",
                        "scenario.resolved.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / "a" / f)) << f;
  const json m = read_json(dir / "a" / "metrics.json");
  for (const char* key : {"stale_rate", "throughput_tps", "sim_time_s", "messages", "wall_time_s", "peak_rss_mb"})
    EXPECT_TRUE(m.contains(key)) << key;
  EXPECT_EQ(m["blocks"]["mined"].get<int>(), 6);
  EXPECT_EQ(m["blocks"]["main_chain"].get<int>() + m["blocks"]["stale"].get<int>(), 6);
  for (const char* p : {"p50", "p90", "p99"}) EXPECT_GT(m["propagation_s"][p].get<double>(), 0.0) << p;
  EXPECT_LE(m["propagation_s"]["p50"].get<double>(), m["propagation_s"]["p90"].get<double>());
  EXPECT_TRUE(m["confirmation_latency_s"].contains("p50"));
  EXPECT_GT(m["messages"].get<long>(), 0);

  // The resolved scenario has every default filled in, with the seed and overrides.
  const json resolved = read_json(dir / "a" / "scenario.resolved.json");
  EXPECT_EQ(resolved["seed"].get<int>(), 42);
  EXPECT_EQ(resolved["nodes"]["count"].get<int>(), 60);
  EXPECT_TRUE(resolved["consensus"].contains("pow_leading_zero_bits"));

  // ... and running it again reproduces the run exactly.
  const ProcessResult again =
      run_cbsim({"run", (dir / "a" / "scenario.resolved.json").string(), "--out", (dir / "b").string(), "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(without_wall_clock(read_json(dir / "b" / "metrics.json")).dump(),
            without_wall_clock(m).dump());
  std::filesystem::remove_all(dir);
}

TEST(Results, SameSeedSameResultsDifferentSeedDifferentResults) {
  const auto dir = scratch_dir("determinism");
  ASSERT_EQ(run_quickstart(dir / "a").exit_code, 0);
  ASSERT_EQ(run_quickstart(dir / "b").exit_code, 0);
  ASSERT_EQ(run_quickstart(dir / "c", {"--seed", "7"}).exit_code, 0);
  EXPECT_EQ(without_wall_clock(read_json(dir / "a" / "metrics.json")),
            without_wall_clock(read_json(dir / "b" / "metrics.json")));
  for (const char* f : {"blocks.csv", "transactions.csv", "propagation.csv", "nodes.csv"})
    EXPECT_EQ(read_text(dir / "a" / f), read_text(dir / "b" / f)) << f;
  EXPECT_NE(read_text(dir / "a" / "blocks.csv"), read_text(dir / "c" / "blocks.csv"));
  std::filesystem::remove_all(dir);
}

TEST(Results, TheSummaryTableIsPrintedUnlessQuiet) {
  const auto dir = scratch_dir("summary");
  std::vector<std::string> args = {"run", scenario_path("quickstart.json"), "--out", (dir / "a").string()};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  const ProcessResult r = run_cbsim(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stale rate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("propagation p50"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << "no progress bar when stderr is not a terminal: " << r.err;
  std::filesystem::remove_all(dir);
}
