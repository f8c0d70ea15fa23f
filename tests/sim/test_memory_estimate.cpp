// The up-front memory estimate's arithmetic (sim/runner/memory_estimate.h),
// in process: no engine is started.

#include <gtest/gtest.h>

#include <cmath>

#include "sim/runner/memory_estimate.h"
#include "sim/scenario/scenario_loader.h"

using cbsim::scenario::Scenario;
using namespace cbsim::sim;

namespace {

Scenario scenario(const std::vector<std::string>& overrides, const std::string& json = "{}") {
  return cbsim::scenario::load_scenario_text(json, "memory.json", overrides);
}

const MemoryTerm& term(const MemoryEstimate& e, const std::string& what_prefix) {
  for (const MemoryTerm& t : e.terms)
    if (t.what.starts_with(what_prefix)) return t;
  throw std::runtime_error("no term " + what_prefix);
}

TEST(MemoryEstimate, TotalIsTheBasePlusTheMarginOverTheTerms) {
  MemoryEstimate e;
  EXPECT_DOUBLE_EQ(e.total_mb(), kBaseMemoryMb);
  EXPECT_EQ(e.largest(), nullptr);
  e.terms.push_back({"a", "x.a", 1024.0, 1024.0});        // 1 MB
  e.terms.push_back({"b", "x.b", 3.0, 1024.0 * 1024.0});  // 3 MB
  EXPECT_DOUBLE_EQ(e.terms[0].mb(), 1.0);
  EXPECT_DOUBLE_EQ(e.total_mb(), kBaseMemoryMb + kMemoryMargin * 4.0);
  ASSERT_NE(e.largest(), nullptr);
  EXPECT_EQ(e.largest()->field, "x.b");
}

TEST(MemoryEstimate, DoubleSpendTrialIsTheHonestLeadsWalkToTheGiveUpDeficitPlusPremining) {
  cbsim::scenario::AttackConfig a;
  a.kind = "double-spend";
  a.attacker_share = 0.3;
  a.premined_blocks = 1;
  a.give_up_deficit = 20;
  // (20 + 1) / (0.7 - 0.3) racing, (1 - 0.3) / (0.7 x 0.3) waiting for the pre-mined block.
  EXPECT_NEAR(attack_trial_blocks(a, 600.0), 21.0 / 0.4 + 0.7 / 0.21, 1e-9);
  a.max_trial_time_s = 6000.0;  // ten blocks at most
  EXPECT_NEAR(attack_trial_blocks(a, 600.0), 11.0 + 0.7 / 0.21, 1e-9);
  a.max_trial_time_s = 0.0;
  a.attacker_share = 0.0;  // never pre-mines its block: the trial never ends
  EXPECT_TRUE(std::isinf(attack_trial_blocks(a, 600.0)));
}

TEST(MemoryEstimate, OverlayEdgesFollowTheTopology) {
  EXPECT_DOUBLE_EQ(expected_overlay_edges(scenario({"nodes.count=1000000", "network.topology=random-regular",
                                                    "network.degree=1000"})),
                   5e8);
  EXPECT_DOUBLE_EQ(expected_overlay_edges(scenario({"nodes.count=1000", "network.topology=erdos-renyi",
                                                    "network.edge_probability=0.5"})),
                   1000.0 * 999.0 / 2.0 * 0.5);
  // SimBlock's Bitcoin outbound degrees average about 8.6.
  EXPECT_NEAR(expected_overlay_edges(scenario({"nodes.count=1000"})) / 1000.0, 8.645, 1e-9);
}

TEST(MemoryEstimate, RunLengthCountsBlocksTrialsOrRequestsAndStopsAtTheTimeLimit) {
  const RunLength blocks = run_length(scenario({"duration.blocks=30"}));
  EXPECT_DOUBLE_EQ(blocks.blocks, 30.0);
  EXPECT_DOUBLE_EQ(blocks.sim_time_s, 30.0 * 600.0 + 60.0);
  EXPECT_EQ(blocks.field, "duration.blocks");

  const RunLength trials = run_length(scenario({"attack.kind=double-spend", "attack.trials=1000"}));
  EXPECT_EQ(trials.field, "attack.trials");
  EXPECT_NEAR(trials.blocks, 1000.0 * (21.0 / 0.4 + 0.7 / 0.21), 1e-6);

  const RunLength capped = run_length(scenario({"attack.kind=double-spend", "duration.max_sim_time_s=6000"}));
  EXPECT_EQ(capped.field, "duration.max_sim_time_s");
  EXPECT_DOUBLE_EQ(capped.blocks, 10.0);

  const RunLength requests = run_length(scenario({"consensus.protocol=pbft", "nodes.count=4", "committee.requests=4000",
                                                  "committee.request_rate_per_s=200"}));
  EXPECT_EQ(requests.field, "committee.requests");
  EXPECT_DOUBLE_EQ(requests.requests, 4000.0);
  EXPECT_DOUBLE_EQ(requests.sim_time_s, 20.0 + 60.0);
}

TEST(MemoryEstimate, TransactionsGrowWithTheTrials) {
  // Issue 15's case: 1,000 double-spend trials at quickstart's 2.2 tx/s.
  const Scenario s = scenario({"transactions.rate_per_s=2.2", "nodes.count=200", "network.model=ideal",
                               "attack.kind=double-spend", "attack.trials=1000"});
  const MemoryEstimate e = estimate_memory(s);
  const MemoryTerm& tx = term(e, "transactions");
  EXPECT_NEAR(tx.count, 2.2 * run_length(s).sim_time_s, 1.0);
  EXPECT_EQ(e.largest()->field, "attack.trials");
  EXPECT_GT(e.total_mb(), 15000.0);
}

TEST(MemoryEstimate, InRangeMaximaEstimateFarBeyondAMachine) {
  const auto total = [](const std::vector<std::string>& overrides, const std::string& json = "{}") {
    return estimate_memory(scenario(overrides, json)).total_mb();
  };
  EXPECT_GT(total({"nodes.count=1000000", "network.topology=random-regular", "network.degree=1000"}), 5e4);
  EXPECT_GT(total({"cloud.hosts=10000000"}), 3e4);
  EXPECT_GT(total({"consensus.protocol=pbft", "nodes.count=4", "committee.requests=100000000"}), 3e4);
  EXPECT_GT(total({"integrity.trials=1", "integrity.objects=1000000", "integrity.object_bytes=4000"}), 4000.0);
  // A committee of 10,000 replicas: every batch's votes are all-to-all.
  EXPECT_GT(total({"consensus.protocol=pbft", "nodes.count=10000"}), 3e4);
  // A closed loop of 10^10 requests in flight, each at 100 replicas.
  EXPECT_GT(total({"consensus.protocol=pbft", "nodes.count=100", "committee.load=closed", "committee.clients=100000",
                   "committee.outstanding=100000", "committee.requests=100000000"}),
            1e6);
  // A default run stays small.
  EXPECT_LT(total({}), 200.0);
}

TEST(MemoryEstimate, EndlessCountsGiveAnEndlessEstimate) {
  EXPECT_TRUE(std::isinf(
      estimate_memory(scenario({"attack.kind=double-spend", "attack.attacker_share=0"})).total_mb()));
}

}  // namespace
