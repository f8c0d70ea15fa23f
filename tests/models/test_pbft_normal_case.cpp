#include <gtest/gtest.h>

#include <set>

#include "pbft_fake_network.h"

using namespace cbsim::test;

class PbftNormalCase : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(PbftNormalCase, EveryReplicaCommitsTheSameDigestWithTheClosedFormMessageCounts) {
  const std::uint32_t n = GetParam();
  PbftFakeNetwork net(config(n));
  EXPECT_EQ(net.replicas[0].primary(0), 0u);
  net.submit(100, 1);
  net.run();

  const Hash256 expected = batch_digest(Batch{Request{100, 1, 100}});
  for (std::uint32_t r = 0; r < n; ++r) {
    const auto commits = net.commits_of(r);
    ASSERT_EQ(commits.size(), 1u) << "replica " << r;
    EXPECT_EQ(commits[0].seq, 1u);
    EXPECT_EQ(commits[0].view, 0u);
    EXPECT_EQ(commits[0].digest, expected);
    EXPECT_EQ(net.replicas[r].last_executed(), 1u);
  }
  // Castro & Liskov (REFERENCE.md): pre-prepare n-1, prepare (n-1)^2, commit n(n-1).
  EXPECT_EQ(net.count(MsgKind::pre_prepare), static_cast<int>(n - 1));
  EXPECT_EQ(net.count(MsgKind::prepare), static_cast<int>((n - 1) * (n - 1)));
  EXPECT_EQ(net.count(MsgKind::commit), static_cast<int>(n * (n - 1)));
  EXPECT_EQ(net.count(MsgKind::view_change), 0);
  // One reply per replica, naming the request.
  ASSERT_EQ(net.replies.size(), n);
  for (const Message& m : net.replies) {
    EXPECT_EQ(m.to, 100u);
    EXPECT_EQ(m.request_ids, std::vector<std::uint64_t>{1});
  }
  // No replica sends to itself.
  for (const Message& m : net.trace)
    if (m.kind != MsgKind::reply) {
      EXPECT_NE(m.from, m.to);
    }
}

INSTANTIATE_TEST_SUITE_P(Pbft, PbftNormalCase, ::testing::Values(4u, 7u));

TEST(PbftBatching, TenRequestsInBatchesOfFourGiveThreeBatchesInSeqOrder) {
  PbftFakeNetwork net(config(4, 4));
  for (std::uint64_t id = 1; id <= 10; ++id) net.submit(7, id);
  net.run();

  for (std::uint32_t r = 0; r < 4; ++r) {
    const auto commits = net.commits_of(r);
    ASSERT_EQ(commits.size(), 3u) << "replica " << r;
    const std::vector<std::size_t> sizes{4, 4, 2};
    std::uint64_t next_id = 1;
    for (std::size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(commits[i].seq, i + 1);
      ASSERT_EQ(commits[i].batch.size(), sizes[i]);
      for (const Request& q : commits[i].batch) EXPECT_EQ(q.id, next_id++);  // arrival order kept
      EXPECT_EQ(commits[i].digest, batch_digest(commits[i].batch));
    }
    EXPECT_EQ(commits, [&] {
      auto c0 = net.commits_of(0);
      for (auto& c : c0) c.replica = r;
      return c0;
    }());
  }
  // Every request replied exactly once by every replica.
  std::multiset<std::pair<std::uint32_t, std::uint64_t>> replied;
  for (const Message& m : net.replies)
    for (std::uint64_t id : m.request_ids) replied.insert({m.from, id});
  EXPECT_EQ(replied.size(), 40u);
  for (std::uint32_t r = 0; r < 4; ++r)
    for (std::uint64_t id = 1; id <= 10; ++id) EXPECT_EQ(replied.count({r, id}), 1u);
  // Three batches: 3 pre-prepares to each of 3 backups.
  EXPECT_EQ(net.count(MsgKind::pre_prepare), 9);
  EXPECT_EQ(net.count(MsgKind::view_change), 0);
}

TEST(PbftCheckpoint, StableCheckpointTruncatesTheLogAndMovesTheWatermarks) {
  PbftConfig c = config(4);
  c.checkpoint_interval = 2;
  c.log_window = 4;
  PbftFakeNetwork net(c);
  for (std::uint64_t id = 1; id <= 4; ++id) net.submit(1, id);
  net.run();
  for (const PbftReplica& r : net.replicas) {
    EXPECT_EQ(r.last_executed(), 4u);
    EXPECT_EQ(r.low_watermark(), 4u);
    EXPECT_EQ(r.high_watermark(), 8u);
    EXPECT_EQ(r.log_size(), 0u);
  }
  // Checkpoints at 2 and 4, each multicast by every replica.
  EXPECT_EQ(net.count(MsgKind::checkpoint), 2 * 4 * 3);
  // Every replica's checkpoint digest at a seq is the same state digest.
  std::map<std::uint64_t, std::set<Hash256>> digests;
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::checkpoint) digests[m.seq].insert(m.digest);
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests[2].size(), 1u);
  EXPECT_EQ(digests[4].size(), 1u);
  EXPECT_EQ(*digests[4].begin(), net.replicas[0].state_digest());
}

TEST(PbftCheckpoint, ThePrimaryWaitsForTheWindowToMove) {
  PbftConfig c = config(4);
  c.checkpoint_interval = 2;
  c.log_window = 2;
  PbftFakeNetwork net(c);
  for (std::uint64_t id = 1; id <= 6; ++id) net.submit(1, id);
  net.run();
  // Seq 3 cannot be proposed before checkpoint 2 is stable at the primary.
  std::size_t first_checkpoint = net.trace.size();
  for (std::size_t i = 0; i < net.trace.size(); ++i)
    if (net.trace[i].kind == MsgKind::checkpoint && net.trace[i].seq == 2) first_checkpoint = std::min(first_checkpoint, i);
  for (std::size_t i = 0; i < net.trace.size(); ++i) {
    const Message& m = net.trace[i];
    if (m.kind == MsgKind::pre_prepare && m.seq > 2) {
      EXPECT_GT(i, first_checkpoint);
    }
  }
  for (const PbftReplica& r : net.replicas) {
    EXPECT_EQ(r.last_executed(), 6u);
    EXPECT_EQ(r.low_watermark(), 6u);
  }
}

TEST(PbftMessages, DigestsAreSha256AndWireSizesFollowTheLayout) {
  const Batch a{Request{1, 1, 100}, Request{1, 2, 100}};
  const Batch b{Request{1, 2, 100}, Request{1, 1, 100}};
  EXPECT_NE(batch_digest(a), batch_digest(b));
  EXPECT_EQ(batch_digest(a), batch_digest(Batch(a)));
  EXPECT_NE(batch_digest(Batch{}), Hash256{});
  const WireParams p{4, 10};
  Message prep;
  prep.kind = MsgKind::prepare;
  EXPECT_EQ(wire_size(prep, p), 10u + 8 + 8 + 32 + 4 + 4 * 10);
  Message pp;
  pp.kind = MsgKind::pre_prepare;
  pp.batch = std::make_shared<const Batch>(a);
  const std::uint64_t request = 10 + 12 + 100 + 40;
  EXPECT_EQ(wire_size(pp, p), 10u + 8 + 8 + 32 + 4 + 2 * request + 40);
  EXPECT_GT(wire_size(pp, WireParams{7, 10}), wire_size(pp, p));  // authenticators grow with n
}
