// A run's lifecycle through the cbsim binary (issue 15, items 9 to 11):
// SIGINT and SIGTERM stop a run cleanly with partial results, the results
// folder is checked before anything is simulated, and a file that cannot be
// written names the operating system's reason.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <chrono>
#include <climits>
#include <fstream>
#include <thread>
#include <utility>

#include "tests/sim/cbsim_child.h"

using namespace cbsim::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Quickstart for far longer than a test waits (100,000 blocks, minutes of
// wall time): only a stop ends it before the test's deadline. No transactions
// keep its memory small.
std::vector<std::string> endless_run(const fs::path& out, const std::string& scenario = "quickstart.json") {
  std::vector<std::string> args = {"run", scenario_path(scenario), "--out", out.string(), "--no-progress"};
  for (const char* o : scenario == "quickstart.json"
                           ? std::vector<const char*>{"duration.blocks=100000", "transactions.rate_per_s=0",
                                                      "output.per_transaction_csv=false"}
                           : std::vector<const char*>{"committee.requests=1000000"}) {
    args.push_back("--set");
    args.push_back(o);
  }
  return args;
}

void write_text_file(const fs::path& p) { std::ofstream(p) << "x"; }

// A complete small run, with transactions.csv, which the runs above do not write.
void complete_run_into(const fs::path& out) {
  const ProcessResult r = run_cbsim({"run", scenario_path("quickstart.json"), "--out", out.string(), "--quiet",
                                     "--set", "nodes.count=40", "--set", "duration.blocks=3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(out / "transactions.csv"));
}

// Starts the run, lets it simulate a moment, sends `signal`, and waits for its end.
ProcessResult interrupt(const std::vector<std::string>& args, const fs::path& out, int signal) {
  CbsimChild run(args);
  // PARTIAL is written once the folder is checked, after cbsim's handlers are installed.
  EXPECT_TRUE(wait_for_file(out / "PARTIAL", 30s)) << "the run did not start";
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(run.running()) << "the run ended before it could be interrupted";
  run.send(signal);
  return run.wait(60s);
}

struct Interruption {
  const char* label;
  const char* scenario;
  int signal;
};

class Interrupted : public ::testing::TestWithParam<Interruption> {};

TEST_P(Interrupted, StopsCleanlyAndMarksTheFolderPartial) {
  const Interruption& c = GetParam();
  const fs::path dir = scratch_dir(std::string("interrupted-") + c.label);
  const fs::path out = dir / "r";
  complete_run_into(out);  // an earlier complete run in the same folder

  const ProcessResult r = interrupt(endless_run(out, c.scenario), out, c.signal);
  EXPECT_EQ(r.exit_code, 128 + c.signal) << r.err;
  EXPECT_NE(r.err.find("interrupted at simulated time "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "metrics.json"));
  EXPECT_FALSE(fs::exists(out / "transactions.csv")) << "a file of the earlier run was left";
  ASSERT_TRUE(fs::exists(out / "PARTIAL"));
  const nlohmann::json partial = read_json(out / "PARTIAL");
  EXPECT_EQ(partial["state"], "stopped");
  EXPECT_EQ(partial["cause"], "interruption");
  EXPECT_EQ(partial["signal"], c.signal == SIGINT ? "SIGINT" : "SIGTERM");
  EXPECT_GT(partial["sim_time_s"].get<double>(), 0.0);
  EXPECT_TRUE(fs::exists(out / "metrics.partial.json"));
  EXPECT_TRUE(temporary_files(out).empty());
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupted,
                         ::testing::Values(Interruption{"sigint_tcp_chain", "quickstart.json", SIGINT},
                                           Interruption{"sigterm_tcp_chain", "quickstart.json", SIGTERM},
                                           Interruption{"sigint_committee", "pbft-4.json", SIGINT}),
                         [](const auto& info) { return std::string(info.param.label); });

// The progress bar's line is ended before the message (stderr a terminal).
TEST(Interrupted, TheProgressLineIsEndedBeforeTheMessage) {
  const fs::path dir = scratch_dir("interrupted-bar");
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string terminal = ::ptsname(master);
  std::vector<std::string> args = endless_run(dir / "r");
  std::erase(args, "--no-progress");
  CbsimChild run(args, [&] {
    const int slave = ::open(terminal.c_str(), O_RDWR | O_NOCTTY);
    ::dup2(slave, STDERR_FILENO);
  });
  ASSERT_TRUE(wait_for_file(dir / "r" / "PARTIAL", 30s));
  std::this_thread::sleep_for(1500ms);  // the bar draws every 200 ms
  run.send(SIGINT);
  const ProcessResult r = run.wait(60s);
  EXPECT_EQ(r.exit_code, 130);
  std::string screen;
  char buf[4096];
  for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) screen.append(buf, static_cast<std::size_t>(n));
  ::close(master);
  const std::size_t message = screen.find("interrupted at simulated time ");
  ASSERT_NE(message, std::string::npos) << screen;
  EXPECT_NE(screen.find(" blocks"), std::string::npos) << "no progress bar drawn: " << screen;
  ASSERT_GT(message, 0u);
  EXPECT_EQ(screen[message - 1], '\n') << screen;  // a terminal shows "\r\n"
  EXPECT_EQ(screen.back(), '\n') << screen;
  fs::remove_all(dir);
}

// An unusable --out fails at once with exit 2, before a long run is simulated.
TEST(OutputFolder, AnUnusableFolderIsRefusedBeforeSimulating) {
  const fs::path dir = scratch_dir("out-unusable");
  write_text_file(dir / "a-file");
  // Permission bits do not stop root (the tests may run as root): a folder
  // under a regular file cannot be created, and /proc takes no new file.
  const std::pair<fs::path, std::string> unusable[] = {{dir / "a-file" / "results", "Not a directory"},
                                                       {"/proc/self", ""}};
  for (const auto& [out, reason] : unusable) {
    CbsimChild run(endless_run(out));
    const ProcessResult r = run.wait(30s);
    EXPECT_EQ(r.exit_code, 2) << out << ": " << r.err;
    EXPECT_NE(r.err.find("results folder " + out.string() + ": " + reason), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  }
  fs::remove_all(dir);
}

// A file that cannot be written after the run (here: beyond the file-size
// limit, as on a full disk) names the file and the OS's reason, exit 2.
TEST(OutputFolder, AWriteFailureNamesTheFileAndTheReason) {
  const fs::path dir = scratch_dir("out-write-fails");
  CbsimChild run({"run", scenario_path("quickstart.json"), "--out", (dir / "r").string(), "--quiet", "--set",
                  "nodes.count=40", "--set", "duration.blocks=3"},
                 [] {
                   ::signal(SIGXFSZ, SIG_IGN);  // the write fails with EFBIG rather than killing the process
                   const rlimit small{64 * 1024, 64 * 1024};
                   ::setrlimit(RLIMIT_FSIZE, &small);
                 });
  const ProcessResult r = run.wait(60s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("error: cannot write " + (dir / "r").string() + "/"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(".csv: File too large"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "r" / "metrics.json"));
  EXPECT_TRUE(fs::exists(dir / "r" / "PARTIAL"));
  fs::remove_all(dir);
}

// A complete run into a folder that held another leaves none of its files.
TEST(OutputFolder, ACompleteRunLeavesNothingOfAnEarlierOne) {
  const fs::path dir = scratch_dir("out-rerun");
  complete_run_into(dir / "r");
  write_text_file(dir / "r" / (".blocks.csv.tmp-" + std::to_string(INT_MAX)));  // left by a killed process
  const ProcessResult r = run_cbsim({"run", scenario_path("quickstart.json"), "--out", (dir / "r").string(),
                                     "--quiet", "--set", "nodes.count=40", "--set", "duration.blocks=3", "--set",
                                     "output.per_transaction_csv=false"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "r" / "metrics.json"));
  EXPECT_FALSE(fs::exists(dir / "r" / "transactions.csv"));
  EXPECT_FALSE(fs::exists(dir / "r" / "PARTIAL"));
  EXPECT_TRUE(temporary_files(dir / "r").empty());
  fs::remove_all(dir);
}

TEST(OutputFolder, CalibrateNamesAnUnwritableProfile) {
  const fs::path dir = scratch_dir("calibrate-out");
  write_text_file(dir / "a-file");
  const ProcessResult r =
      run_cbsim({"calibrate", "--seconds", "0.01", "--out", (dir / "a-file" / "profile.json").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("profile.json: Not a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  fs::remove_all(dir);
}

}  // namespace
