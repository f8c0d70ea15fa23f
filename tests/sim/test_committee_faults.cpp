// Committees under the scenario's faults: a crashed primary or leader is
// replaced and commits resume; a partition without a quorum side stops commits
// until it heals; Byzantine replicas (equivocating, silent, corrupting,
// replaying) never make honest replicas disagree while there are at most f of
// them; more than f is reported, not failed; degraded links add their latency.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/committee_run.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

void expect_all_committed_safely(const json& m, int requests) {
  EXPECT_EQ(m["consensus"]["committed_requests"].get<int>(), requests);
  EXPECT_EQ(m["safety"]["violations"].get<int>(), 0);
}

int accepted_between(const json& m, double from, double to) {
  int n = 0;
  for (const json& r : m["requests"])
    if (!r[1].is_null() && r[1].get<double>() > from && r[1].get<double>() < to) ++n;
  return n;
}

}  // namespace

TEST(CommitteeFaults, PbftPrimaryCrashIsFollowedByAViewChangeAndCommitsResume) {
  const json m = run_committee_scenario("pbft-primary-crash.json", "primary-crash", {});
  expect_all_committed_safely(m, 3000);
  EXPECT_GE(m["consensus"]["view_changes"].get<int>(), 1);
  // Backups notice after the 1 s view-change timeout; the new view is installed
  // a few message delays later (one region: milliseconds).
  const double resumed = m["faults"]["resumed_after_s"][0].get<double>();
  EXPECT_GT(resumed, 1.0);
  EXPECT_LT(resumed, 3.0);
  EXPECT_GT(m["consensus"]["stall_s"]["longest"].get<double>(), 1.0);
  EXPECT_GT(m["faults"]["messages_lost"]["receiver_down"].get<int>(), 0);
}

TEST(CommitteeFaults, HotStuffLeaderCrashIsSkippedByThePacemaker) {
  // Seven replicas: with one crashed, a rotating leader still finds the four
  // consecutive honest views a three-chain commit needs.
  const json m = run_committee_scenario("pbft-primary-crash.json", "leader-crash",
                                        {"consensus.protocol=hotstuff", "nodes.count=7",
                                         "committee.batch_max_requests=100",
                                         R"(faults=[{"kind": "crash", "nodes": [1], "at_s": 5}])"});
  expect_all_committed_safely(m, 3000);
  EXPECT_GE(m["consensus"]["view_changes"].get<int>(), 1);
}

TEST(CommitteeFaults, APartitionWithoutAQuorumSideStopsCommitsUntilItHeals) {
  const json m = run_committee_scenario("pbft-partition.json", "partition", {});
  expect_all_committed_safely(m, 3000);
  // 3 | 4 of 7 with a quorum of 5: nothing commits from shortly after 5 s
  // (messages already in flight) until the partition heals at 15 s.
  EXPECT_EQ(accepted_between(m, 6.0, 15.0), 0);
  EXPECT_GT(accepted_between(m, 15.0, 1e9), 0);
  EXPECT_GT(m["faults"]["messages_lost"]["partition"].get<int>(), 0);
  EXPECT_GT(m["consensus"]["stall_s"]["longest"].get<double>(), 9.0);
}

TEST(CommitteeFaults, EquivocatingPrimaryOrLeaderCannotSplitTheHonestReplicas) {
  const json pbft = run_committee_scenario("pbft-equivocating-primary.json", "equivocate-pbft", {});
  expect_all_committed_safely(pbft, 2000);
  EXPECT_GE(pbft["consensus"]["view_changes"].get<int>(), 1);  // the equivocator is voted out
  EXPECT_EQ(pbft["consensus"]["byzantine_replicas"].get<int>(), 1);
  EXPECT_TRUE(pbft["safety"]["within_f"].get<bool>());
  const json hotstuff = run_committee_scenario("pbft-equivocating-primary.json", "equivocate-hotstuff",
                                               {"consensus.protocol=hotstuff", "committee.batch_max_requests=100"});
  expect_all_committed_safely(hotstuff, 2000);
}

TEST(CommitteeFaults, SilentCorruptingOrReplayingBackupsChangeNothingForTheOthers) {
  for (const char* behaviour : {"silent", "corrupt", "replay"}) {
    SCOPED_TRACE(behaviour);
    const json m = run_committee_scenario(
        "pbft-4.json", std::string("byz-") + behaviour,
        {"committee.requests=500", "duration.max_sim_time_s=60",
         std::string(R"(faults=[{"kind": "byzantine", "nodes": [2], "behaviour": ")") + behaviour + "\"}]"});
    expect_all_committed_safely(m, 500);
    EXPECT_EQ(m["consensus"]["view_changes"].get<int>(), 0);  // the primary is honest
  }
}

TEST(CommitteeFaults, MoreThanFByzantineReplicasIsReportedNotFailed) {
  // Two silent replicas of four (f = 1): no quorum, nothing commits.
  const json m = run_committee_scenario(
      "pbft-4.json", "beyond-f",
      {"committee.requests=200", "duration.max_sim_time_s=20",
       R"(faults=[{"kind": "byzantine", "nodes": [2, 3], "behaviour": "silent"}])"});
  EXPECT_EQ(m["consensus"]["committed_requests"].get<int>(), 0);
  EXPECT_EQ(m["consensus"]["byzantine_replicas"].get<int>(), 2);
  EXPECT_FALSE(m["safety"]["within_f"].get<bool>());
  EXPECT_TRUE(m["faults"]["resumed_after_s"][0].is_null());
}

TEST(CommitteeFaults, DegradedLinksAddTheirLatencyToEveryHop) {
  // Light load on the latency model: a request's path is five one-way hops
  // (request, pre-prepare, prepare, commit, reply), each 50 ms slower.
  const std::vector<std::string> base = {"network.model=latency", "committee.request_rate_per_s=20",
                                         "committee.requests=300", "duration.max_sim_time_s=100"};
  const json fast = run_committee_scenario("pbft-4.json", "degrade-0", base);
  std::vector<std::string> slow_overrides = base;
  slow_overrides.push_back(R"(faults=[{"kind": "degrade", "nodes": [0, 1, 2, 3], "extra_latency_s": 0.05}])");
  const json slow = run_committee_scenario("pbft-4.json", "degrade-1", slow_overrides);
  const double added = slow["consensus"]["latency_s"]["p50"].get<double>() - fast["consensus"]["latency_s"]["p50"].get<double>();
  EXPECT_NEAR(added, 0.25, 0.01);
  EXPECT_EQ(slow["faults"]["messages_delayed"].get<int>(), slow["messages"].get<int>());
}

TEST(CommitteeFaults, ALossyBackupLinkLosesItsShareAndTheQuorumCarriesOn) {
  const json m = run_committee_scenario(
      "pbft-4.json", "lossy",
      {"committee.requests=500", "duration.max_sim_time_s=60",
       R"(faults=[{"kind": "degrade", "nodes": [3], "loss": 0.2}])"});
  expect_all_committed_safely(m, 500);
  const double lost = m["faults"]["messages_lost"]["link_loss"].get<double>();
  EXPECT_GT(lost, 0.0);
  EXPECT_LT(lost, 0.2 * m["messages"].get<double>());  // only replica 3's links lose
}

TEST(CommitteeFaults, ACrashedBackupThatRecoversDoesNotStopTheOthers) {
  const json m = run_committee_scenario(
      "pbft-4.json", "backup-crash",
      {"committee.requests=1000", "duration.max_sim_time_s=60",
       R"(faults=[{"kind": "crash", "nodes": [3], "at_s": 1, "until_s": 3}])"});
  expect_all_committed_safely(m, 1000);
  EXPECT_EQ(m["consensus"]["view_changes"].get<int>(), 0);
  EXPECT_GT(m["faults"]["messages_lost"]["receiver_down"].get<int>(), 0);
}
