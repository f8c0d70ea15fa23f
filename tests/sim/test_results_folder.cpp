// The states of a results folder (sim/output/results_writer.h; issue 15,
// items 10 and 11): complete (metrics.json, nothing of an earlier run) or
// marked partial (PARTIAL, no metrics.json); checked before anything runs.

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <string>

#include "sim/output/results_writer.h"
#include "tests/sim/cbsim_process.h"

using namespace cbsim::sim;
using namespace cbsim::test;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p, const std::string& text = "x") { write_file_atomically(p, text); }

cbsim::scenario::Scenario resolved_scenario() {
  cbsim::scenario::Scenario s;
  s.resolved = {{"seed", 1}};
  return s;
}

RunResult a_result() {
  RunResult r;
  r.metrics = {{"sim_time_s", 12.5}};
  CsvTable nodes({"node"});
  nodes.cell(std::uint64_t{0}).end_row();
  r.tables.emplace_back("nodes.csv", std::move(nodes));
  return r;
}

}  // namespace

TEST(ResultsFolder, PreparingMarksItPartialAndRemovesTheEarlierRunsFiles) {
  const fs::path dir = scratch_dir("prepare");
  for (const char* f : {"metrics.json", "transactions.csv", "blocks.csv", "scenario.resolved.json"}) touch(dir / f);
  touch(dir / "notes.txt");  // not a result file: kept
  prepare_results_dir(dir);
  EXPECT_TRUE(fs::exists(dir / "PARTIAL"));
  EXPECT_EQ(read_json(dir / "PARTIAL")["state"], "running");
  EXPECT_EQ(read_json(dir / "PARTIAL")["pid"].get<int>(), ::getpid());
  for (const char* f : {"metrics.json", "transactions.csv", "blocks.csv", "scenario.resolved.json"})
    EXPECT_FALSE(fs::exists(dir / f)) << f;
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
}

TEST(ResultsFolder, TemporaryFilesOfDeadProcessesAreRemovedLiveOnesKept) {
  const fs::path dir = scratch_dir("stale");
  const std::string dead = ".blocks.csv.tmp-" + std::to_string(INT_MAX);  // above any pid_max
  const std::string live = ".nodes.csv.tmp-" + std::to_string(::getppid());
  touch(dir / dead);
  touch(dir / live);
  touch(dir / ".hidden.tmp-notapid");
  prepare_results_dir(dir);
  EXPECT_FALSE(fs::exists(dir / dead));
  EXPECT_TRUE(fs::exists(dir / live));
  EXPECT_TRUE(fs::exists(dir / ".hidden.tmp-notapid"));
  fs::remove_all(dir);
}

TEST(ResultsFolder, ACompleteRunRemovesPartialAfterWritingMetrics) {
  const fs::path dir = scratch_dir("complete");
  prepare_results_dir(dir);
  write_results(dir, resolved_scenario(), a_result());
  EXPECT_TRUE(fs::exists(dir / "metrics.json"));
  EXPECT_TRUE(fs::exists(dir / "nodes.csv"));
  EXPECT_FALSE(fs::exists(dir / "PARTIAL"));
  EXPECT_FALSE(fs::exists(dir / "metrics.partial.json"));
  EXPECT_TRUE(temporary_files(dir).empty());
  fs::remove_all(dir);
}

TEST(ResultsFolder, AStoppedRunWritesPartialMetricsAndSaysWhy) {
  const fs::path dir = scratch_dir("stopped");
  prepare_results_dir(dir);
  RunResult r = a_result();
  r.early_stop = EarlyStop{.cause = EarlyStop::Cause::memory_limit, .sim_time_s = 12.5, .rss_mb = 900, .limit_mb = 800};
  write_results(dir, resolved_scenario(), r);
  EXPECT_FALSE(fs::exists(dir / "metrics.json"));
  EXPECT_EQ(read_json(dir / "metrics.partial.json")["sim_time_s"].get<double>(), 12.5);
  const nlohmann::json partial = read_json(dir / "PARTIAL");
  EXPECT_EQ(partial["state"], "stopped");
  EXPECT_EQ(partial["cause"], "memory_limit");
  EXPECT_EQ(partial["sim_time_s"].get<double>(), 12.5);
  EXPECT_EQ(partial["limit_mb"].get<double>(), 800.0);
  EXPECT_NE(partial["reason"].get<std::string>().find("crossed the limit of 800 MB"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "nodes.csv"));
  EXPECT_TRUE(temporary_files(dir).empty());
  fs::remove_all(dir);
}

TEST(ResultsFolder, AnUnusableFolderIsRefusedNamingItAndTheReason) {
  const fs::path dir = scratch_dir("unusable");
  touch(dir / "a-file");
  // Permission bits do not stop root (the tests may run as root): a folder
  // under a regular file cannot be created, and /proc takes no new file.
  try {
    prepare_results_dir(dir / "a-file" / "results");
    ADD_FAILURE() << "a folder under a regular file was accepted";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "a-file" / "results").string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Not a directory"), std::string::npos) << e.what();
  }
  try {
    prepare_results_dir("/proc/self");
    ADD_FAILURE() << "/proc/self was accepted as a results folder";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write into the results folder /proc/self: "), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

TEST(ResultsFolder, ATableMissingFromTheKnownFilesIsAProgramError) {
  const fs::path dir = scratch_dir("unknown-table");
  prepare_results_dir(dir);
  RunResult r = a_result();
  r.tables.emplace_back("new_table.csv", CsvTable({"x"}));
  EXPECT_THROW(write_results(dir, resolved_scenario(), r), std::logic_error);
  fs::remove_all(dir);
}
