// Faults in a Nakamoto network: a partition splits the chain and the lighter
// branch is orphaned when it heals; crashed miners' hash power leaves the race
// and restarted nodes catch up; degraded links slow block propagation.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

struct MinedBlock {
  int miner;
  double mined_s;
};

// metrics.json, and blocks.csv as (miner, mined_s) in "blocks_mined".
json run_nakamoto(const std::string& scenario, const std::string& label, const std::vector<std::string>& overrides,
                  std::vector<MinedBlock>* blocks = nullptr) {
  const auto dir = scratch_dir("nakamoto-faults-" + label);
  std::vector<std::string> args = {"run", scenario_path(scenario), "--out", dir.string(), "--quiet"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const ProcessResult r = run_cbsim(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json m = read_json(dir / "metrics.json");
  if (blocks != nullptr) {
    // block_id,hash,height,parent_id,miner,miner_region,mined_s,...
    for (const auto& cells : read_csv_rows(dir / "blocks.csv"))
      blocks->push_back({std::stoi(cells.at(4)), std::stod(cells.at(6))});
  }
  std::filesystem::remove_all(dir);
  return m;
}

}  // namespace

TEST(NakamotoFaults, APartitionSplitsTheChainAndTheLighterBranchIsOrphanedWhenItHeals) {
  const json split = run_nakamoto("nakamoto-partition.json", "split", {});
  const json whole = run_nakamoto("nakamoto-partition.json", "whole", {"faults=[]"});
  // About 30 blocks are mined during the hour, shared by two halves of equal
  // hash power: the lighter branch holds min(X, Y), X and Y ~ Poisson(15), 12.8
  // blocks on average; all of them go stale in one reorganisation.
  const int stale = split["blocks"]["stale"].get<int>();
  EXPECT_GE(stale, 5);
  EXPECT_LE(stale, 30);
  EXPECT_GE(split["reorgs"]["max_depth"].get<int>(), 5);
  EXPECT_LE(whole["blocks"]["stale"].get<int>(), 2);  // 2-minute blocks, ~1 s propagation: rare forks
  EXPECT_EQ(split["faults"]["nodes_on_best_tip"].get<int>(), 100);  // healed: everyone agrees again
  EXPECT_GT(split["faults"]["messages_lost"]["partition"].get<int>(), 0);
}

TEST(NakamotoFaults, CrashedMinersLeaveTheRaceAndCatchUpAfterRecovery) {
  // Half the nodes (half the hash power: uniform shares) are down for the first
  // 30,000 s of 10-minute blocks: none of their blocks, and blocks at half the
  // rate, 25 expected (Poisson; 4 sigma = 20).
  std::string crashed;
  for (int i = 0; i < 50; ++i) crashed += (i ? ", " : "") + std::to_string(i);
  std::vector<MinedBlock> blocks;
  const json m = run_nakamoto(
      "nakamoto-partition.json", "crash",
      {"consensus.block_interval_s=600", "duration.blocks=70",
       R"(faults=[{"kind": "crash", "nodes": [)" + crashed + R"(], "at_s": 0, "until_s": 30000}])"},
      &blocks);
  int in_window = 0;
  for (const MinedBlock& b : blocks) {
    if (b.mined_s >= 30000) continue;
    ++in_window;
    EXPECT_GE(b.miner, 50) << "a crashed node mined at " << b.mined_s;
  }
  EXPECT_NEAR(in_window, 25, 20);
  EXPECT_EQ(m["faults"]["nodes_on_best_tip"].get<int>(), 100);  // the restarted half caught up
  EXPECT_GT(m["faults"]["messages_lost"]["receiver_down"].get<int>(), 0);
}

TEST(NakamotoFaults, DegradedLinksSlowBlockPropagationHopByHop) {
  // Compact relay costs at least three messages per hop (inv or cmpctblock,
  // plus the request and answer for what is missing); with every link 0.5 s
  // slower the median node is at least two hops away: over 1 s later.
  std::string all;
  for (int i = 0; i < 100; ++i) all += (i ? ", " : "") + std::to_string(i);
  const json fast = run_nakamoto("nakamoto-partition.json", "fast", {"faults=[]", "duration.blocks=20"});
  const json slow = run_nakamoto(
      "nakamoto-partition.json", "slow",
      {"duration.blocks=20", R"(faults=[{"kind": "degrade", "nodes": [)" + all + R"(], "extra_latency_s": 0.5}])"});
  EXPECT_GT(slow["propagation_s"]["p50"].get<double>() - fast["propagation_s"]["p50"].get<double>(), 1.0);
  EXPECT_GT(slow["faults"]["messages_delayed"].get<int>(), 0);
}

TEST(NakamotoFaults, ARunWhoseMinersAllCrashForGoodEnds) {
  // Every node down from 600 s on, with no recovery: the run stops mining then
  // and ends after the drain, short of the 60 blocks asked for.
  std::string all;
  for (int i = 0; i < 100; ++i) all += (i ? ", " : "") + std::to_string(i);
  const json m = run_nakamoto("nakamoto-partition.json", "all-down",
                              {R"(faults=[{"kind": "crash", "nodes": [)" + all + R"(], "at_s": 600}])"});
  EXPECT_LT(m["blocks"]["mined"].get<int>(), 60);
  EXPECT_LE(m["sim_time_s"].get<double>(), 600.0 + 120.0 + 1e-9);  // drain_s = 120
}
