// PBFT committees run end to end (tcp model): the fault-free normal case sends
// exactly Castro & Liskov's message counts per batch, every request commits,
// no safety violation, and the same seed gives the same results.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include "tests/sim/committee_run.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

json run_committee(const std::string& label, const std::vector<std::string>& overrides) {
  json m = run_committee_scenario("pbft-4.json", label, overrides);
  m["requests_csv_rows"] = m["requests"].size();
  return m;
}

}  // namespace

TEST(Committee, NormalCaseSendsCastroAndLiskovsMessageCountsPerBatch) {
  for (const int n : {4, 7, 16}) {
    const json m = run_committee("n" + std::to_string(n), {"nodes.count=" + std::to_string(n), "committee.requests=500"});
    const json& per_batch = m["pbft"]["messages_per_batch"];
    EXPECT_DOUBLE_EQ(per_batch["pre_prepare"].get<double>(), n - 1) << n;
    EXPECT_DOUBLE_EQ(per_batch["prepare"].get<double>(), (n - 1.0) * (n - 1)) << n;
    EXPECT_DOUBLE_EQ(per_batch["commit"].get<double>(), n * (n - 1.0)) << n;
    EXPECT_EQ(m["pbft"]["model_messages_per_batch"]["prepare"].get<double>(), (n - 1.0) * (n - 1));
    EXPECT_EQ(m["consensus"]["f"].get<int>(), (n - 1) / 3);
    EXPECT_EQ(m["consensus"]["committed_requests"].get<int>(), 500);
    EXPECT_EQ(m["consensus"]["view_changes"].get<int>(), 0);
    EXPECT_EQ(m["safety"]["violations"].get<int>(), 0);
    EXPECT_EQ(m["requests_csv_rows"].get<int>(), 500);
  }
}

TEST(Committee, BatchesFillUpUnderLoadAndLatencyCoversThreeRoundTrips) {
  // At 5,000 requests/s a 5 ms batch timeout collects about 25 requests, so the
  // batch limit of 10 binds. At 20 requests/s the limit never binds: a batch
  // is the request that starts the timer plus the Poisson arrivals of the next
  // 5 ms, 1 + 20 x 0.005 = 1.1 on average (variance 0.1 per batch).
  const json busy = run_committee("busy", {"committee.request_rate_per_s=5000", "committee.requests=2000"});
  EXPECT_NEAR(busy["pbft"]["requests_per_batch"].get<double>(), 10.0, 0.5);
  const json idle = run_committee("idle", {"committee.request_rate_per_s=20", "committee.requests=200"});
  const double batches = idle["consensus"]["committed_batches"].get<double>();
  EXPECT_NEAR(idle["pbft"]["requests_per_batch"].get<double>(), 1.1, 4 * std::sqrt(0.1 / batches));
  // Client-observed latency: request, pre-prepare, prepare, commit, reply are
  // five one-way delays, plus the batch timeout; never less than that.
  EXPECT_GT(idle["consensus"]["latency_s"]["p50"].get<double>(), 0.005);
  EXPECT_GE(idle["consensus"]["latency_s"]["p99"].get<double>(), idle["consensus"]["latency_s"]["p50"].get<double>());
  EXPECT_NEAR(idle["consensus"]["throughput_rps"].get<double>(), 20.0, 20.0 * 4 / std::sqrt(200.0));
}

TEST(Committee, SameSeedSameResults) {
  json a = run_committee("det-a", {"committee.requests=300"});
  json b = run_committee("det-b", {"committee.requests=300"});
  for (json* m : {&a, &b}) {
    m->erase("wall_time_s");
    m->erase("peak_rss_mb");
    m->erase("messages_per_wall_s");
  }
  EXPECT_EQ(a, b);
  const json c = run_committee("det-c", {"committee.requests=300", "seed=5"});
  EXPECT_NE(a["consensus"]["latency_s"], c["consensus"]["latency_s"]);
}

TEST(Committee, ARunCutShortByTimeReportsWhatCommitted) {
  // 2 s of a 200 requests/s load: about 400 submitted, the last ~0.16 s of
  // them (a client latency) still in flight when the run stops.
  const json m = run_committee("cut", {"duration.max_sim_time_s=2"});
  const json& c = m["consensus"];
  EXPECT_NEAR(m["sim_time_s"].get<double>(), 2.0, 1e-9);
  EXPECT_LT(c["committed_requests"].get<int>(), c["submitted_requests"].get<int>());
  EXPECT_GT(c["committed_requests"].get<int>(), 0);
  EXPECT_NEAR(c["submitted_requests"].get<double>(), 400.0, 4 * std::sqrt(400.0));  // Poisson count
  EXPECT_EQ(m["requests_csv_rows"].get<int>(), c["submitted_requests"].get<int>());
}

TEST(Committee, MessageCpuWorkDelaysTheCriticalPath) {
  // 2e6 cycles at the default 2 GHz: 1 ms per message a replica receives.
  const std::vector<std::string> load = {"committee.request_rate_per_s=20", "committee.requests=300",
                                         "costs.mac_cycles=0", "costs.signature_verify_cycles=0"};
  const json free = run_committee("cpu0", load);
  std::vector<std::string> costly = load;
  costly.push_back("committee.message_cycles=2e6");
  const json busy = run_committee("cpu1", costly);
  // Every message a replica received cost 1 ms (replies go to clients).
  const double received = busy["messages"].get<double>() - busy["messages_by_kind"]["reply"].get<double>();
  EXPECT_NEAR(busy["engine"]["cpu_busy_s"].get<double>(), received * 1e-3, 1e-6);
  // A lightly loaded committee's request crosses at least four handlings in
  // sequence (request at the primary, pre-prepare, prepare, commit), each 1 ms,
  // with queueing behind the other prepares and commits adding a few more.
  const double added = busy["consensus"]["latency_s"]["p50"].get<double>() - free["consensus"]["latency_s"]["p50"].get<double>();
  EXPECT_GT(added, 3e-3);
  EXPECT_LT(added, 12e-3);
}

TEST(Committee, HotStuffSendsLinearMessageCountsPerBlock) {
  // Chained HotStuff: per view, the leader's proposal to n-1 replicas and n-1
  // votes to the next leader (a replica's vote to itself is not sent). Blocks
  // commit three views after they are proposed, so a run that stops when the
  // last request is accepted has proposed a few more blocks than it committed.
  for (const int n : {4, 7, 16}) {
    SCOPED_TRACE(n);
    const json m = run_committee("hs-n" + std::to_string(n),
                                 {"consensus.protocol=hotstuff", "nodes.count=" + std::to_string(n),
                                  "committee.requests=500", "committee.batch_max_requests=100"});
    const double blocks = m["consensus"]["committed_blocks"].get<double>();
    const json& per_block = m["hotstuff"]["messages_per_block"];
    for (const char* kind : {"proposal", "vote"}) {
      EXPECT_GE(per_block[kind].get<double>(), n - 1.0) << kind;
      EXPECT_LE(per_block[kind].get<double>(), (n - 1.0) * (blocks + 4) / blocks) << kind;
      EXPECT_EQ(m["hotstuff"]["model_messages_per_block"][kind].get<double>(), n - 1.0);
    }
    EXPECT_EQ(per_block["new_view"].get<double>(), 0.0);
    EXPECT_EQ(m["consensus"]["committed_requests"].get<int>(), 500);
    EXPECT_EQ(m["consensus"]["view_changes"].get<int>(), 0);
    EXPECT_EQ(m["safety"]["violations"].get<int>(), 0);
  }
}

TEST(Committee, HotStuffSameSeedSameResults) {
  const std::vector<std::string> o = {"consensus.protocol=hotstuff", "nodes.count=7", "committee.requests=300"};
  json a = run_committee("hs-det-a", o);
  json b = run_committee("hs-det-b", o);
  for (json* m : {&a, &b}) {
    m->erase("wall_time_s");
    m->erase("peak_rss_mb");
    m->erase("messages_per_wall_s");
  }
  EXPECT_EQ(a, b);
}

TEST(Committee, ClosedLoopClientsKeepTheirWindowAndFollowLittlesLaw) {
  // 4 clients x 2 outstanding: 8 requests in flight at all times until the
  // last ones are submitted, so throughput = 8 / mean latency (Little's law),
  // up to the tail of the run (8 of 2,000 requests: 0.4 %).
  for (const char* protocol : {"pbft", "hotstuff"}) {
    SCOPED_TRACE(protocol);
    const json m = run_committee(std::string("closed-") + protocol,
                                 {std::string("consensus.protocol=") + protocol, "committee.load=closed",
                                  "committee.outstanding=2", "committee.requests=2000"});
    EXPECT_EQ(m["consensus"]["committed_requests"].get<int>(), 2000);
    double latency_sum = 0.0;
    std::vector<std::pair<double, int>> events;
    for (const json& r : m["requests"]) {
      latency_sum += r[1].get<double>() - r[0].get<double>();
      events.emplace_back(r[0].get<double>(), +1);
      events.emplace_back(r[1].get<double>(), -1);
    }
    std::sort(events.begin(), events.end());  // an acceptance sorts before a submission at the same time
    int in_flight = 0, most = 0;
    for (const auto& [t, delta] : events) most = std::max(most, in_flight += delta);
    EXPECT_EQ(most, 8);
    const double mean_latency = latency_sum / 2000;
    EXPECT_NEAR(m["consensus"]["throughput_rps"].get<double>() * mean_latency, 8.0, 8.0 * 0.02);
  }
}

TEST(Committee, AuthenticationCostsCpuTimeByTheCostModel) {
  // HotStuff, n = 7 (f = 2): per committed block the proposal reaches 6
  // replicas, each checking the leader's signature and the n - f = 5 of its
  // QC, and 6 votes reach the next leader: 6 x 6 + 6 = 42 signatures (a few
  // blocks proposed but not committed at the end add to that).
  const json m = run_committee("auth-hs", {"consensus.protocol=hotstuff", "nodes.count=7", "committee.requests=500",
                                           "committee.batch_max_requests=100"});
  const double blocks = m["consensus"]["committed_blocks"].get<double>();
  const double signatures = m["auth"]["signatures_checked"].get<double>();
  EXPECT_GE(signatures / blocks, 42.0);
  EXPECT_LE(signatures / blocks, 42.0 * (blocks + 4) / blocks);
  // Requests and fetches are MAC'd: one per request per replica (7 x 500).
  EXPECT_GE(m["auth"]["macs_checked"].get<double>(), 3500.0);
  // CPU time: exactly the checks at the default costs (3000 and 273364 cycles at 2 GHz).
  const double expected = (m["auth"]["macs_checked"].get<double>() * 3000 + signatures * 273364) / 2e9;
  EXPECT_NEAR(m["engine"]["cpu_busy_s"].get<double>(), expected, 1e-9 * expected);
}
