#include <gtest/gtest.h>

#include <set>

#include "hotstuff_fake_network.h"
#include "models/consensus/safety_checker.h"

using namespace cbsim::test;

namespace {
HotStuffConfig config(std::uint32_t n, std::uint32_t batch_max = 1) {
  HotStuffConfig c = make_config(n);
  c.batch_max_requests = batch_max;
  c.view_timeout_s = 1.0;
  return c;
}

// Safety: no two of `honest` replicas commit different blocks at one height.
void expect_agreement(const HotStuffFakeNetwork& net, const std::vector<std::uint32_t>& honest) {
  cbsim::models::consensus::SafetyChecker checker;  // the simulator's checker, heights as seqs
  for (const auto& c : net.commits)
    if (std::find(honest.begin(), honest.end(), c.replica) != honest.end()) checker.on_commit(c.replica, c.height, c.digest);
  EXPECT_EQ(checker.violations(), 0u) << checker.first_violation();
}

std::vector<std::uint64_t> committed_ids(const HotStuffFakeNetwork& net, std::uint32_t replica) {
  std::vector<std::uint64_t> ids;
  for (const auto& c : net.commits_of(replica))
    for (const Request& r : c.batch) ids.push_back(r.id);
  return ids;
}
}  // namespace

class HotStuffNormalCase : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(HotStuffNormalCase, RequestsCommitEverywhereInOrderWithLinearMessageCounts) {
  const std::uint32_t n = GetParam();
  constexpr std::uint64_t kRequests = 5;
  HotStuffFakeNetwork net(config(n));
  for (std::uint64_t id = 1; id <= kRequests; ++id) net.submit(100, id);
  net.run();

  // Views 1..5 carry one request each (batch of 1); the empty blocks of views
  // 6, 7 and 8 finish the three-chain of the block of view 5: 8 carries
  // QC(7), and 7 -> 6 -> 5 have consecutive views. Then the committee is idle.
  constexpr std::uint64_t kViews = kRequests + 3;
  const auto reference = net.commits_of(0);
  for (std::uint32_t r = 0; r < n; ++r) {
    auto commits = net.commits_of(r);
    // The leader of view 9 formed QC(8) from the votes: it alone also commits
    // the empty block of view 6 (7 -> 6 -> ... is its three-chain).
    const bool last_leader = r == static_cast<std::uint32_t>((kViews + 1) % n);
    ASSERT_EQ(commits.size(), kRequests + (last_leader ? 1 : 0)) << "replica " << r;
    for (std::uint64_t i = 0; i < kRequests; ++i) {
      EXPECT_EQ(commits[i].height, i + 1);
      EXPECT_EQ(commits[i].view, i + 1);
      EXPECT_EQ(commits[i].batch, (Batch{Request{100, i + 1, 100}}));
      EXPECT_EQ(commits[i].digest, net.commits_of(1 % n)[i].digest);  // same block everywhere
    }
    if (last_leader) {
      EXPECT_TRUE(commits.back().batch.empty());
    }
    EXPECT_EQ(committed_ids(net, r), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(net.replicas[r].pending_requests(), 0u);
  }
  expect_agreement(net, [n] {
    std::vector<std::uint32_t> all;
    for (std::uint32_t r = 0; r < n; ++r) all.push_back(r);
    return all;
  }());
  // Per view: the leader sends its proposal to the n-1 others; each of the n
  // replicas votes once to the next leader, whose own vote is not sent: n-1.
  // So 2(n-1) messages per block, against PBFT's (n-1) + (n-1)^2 + n(n-1).
  EXPECT_EQ(net.count(MsgKind::proposal), static_cast<int>(kViews * (n - 1)));
  EXPECT_EQ(net.count(MsgKind::vote), static_cast<int>(kViews * (n - 1)));
  EXPECT_EQ(net.count(MsgKind::new_view), 0);
  EXPECT_TRUE(net.view_changes.empty());
  for (const Message& m : net.trace) {
    EXPECT_NE(m.from, m.to);
    if (m.kind == MsgKind::vote) {
      EXPECT_EQ(m.to, (m.view + 1) % n);  // linear: votes go to the next leader only
    }
  }
  // Idle: nobody proposes again and no timeout fired.
  for (const HotStuffReplica& r : net.replicas) EXPECT_EQ(r.timeouts(), 0u);
}

INSTANTIATE_TEST_SUITE_P(HotStuff, HotStuffNormalCase, ::testing::Values(4u, 7u));

TEST(HotStuffThreeChain, ABlockCommitsOnlyWhenTheQcOfItsSecondDescendantArrives) {
  // n = 7: replica 6 leads none of views 1..5, so it receives all four
  // proposals; record its commits and lock after each.
  HotStuffFakeNetwork net(config(7));
  net.submit(5, 1);
  std::map<std::uint64_t, std::size_t> commits_after_proposal;  // view -> commits at replica 6
  std::map<std::uint64_t, std::uint64_t> locked_after_proposal;
  Message m;
  while (net.step(&m))
    if (m.kind == MsgKind::proposal && m.to == 6) {
      commits_after_proposal[m.view] = net.commits_of(6).size();
      locked_after_proposal[m.view] = net.replicas[6].locked()->view;
    }
  // b1 (view 1, the request), then b2, b3, b4 empty, carrying QC(b1), QC(b2), QC(b3).
  ASSERT_EQ(commits_after_proposal.size(), 4u);
  EXPECT_EQ(commits_after_proposal[1], 0u);
  EXPECT_EQ(commits_after_proposal[2], 0u);  // one-chain: QC(b1)
  EXPECT_EQ(commits_after_proposal[3], 0u);  // two-chain: QC(b2) locks b1
  EXPECT_EQ(locked_after_proposal[2], 0u);
  EXPECT_EQ(locked_after_proposal[3], 1u);
  EXPECT_EQ(commits_after_proposal[4], 1u);  // three-chain: QC(b3), views 3, 2, 1
  EXPECT_EQ(locked_after_proposal[4], 2u);
  const auto c = net.commits_of(6);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].view, 1u);
  EXPECT_EQ(c[0].batch, (Batch{Request{5, 1, 100}}));
}

TEST(HotStuffThreeChain, AViewGapDelaysTheCommitUntilThreeConsecutiveViews) {
  HotStuffFakeNetwork net(config(4));
  // View 3's proposal is lost: b1 (v1) <- b2 (v2) is orphaned at height 2, and
  // view 4's leader extends b1 (QC(b1) is the highest QC it learnt).
  net.drop = [](const Message& m) { return m.kind == MsgKind::proposal && m.view == 3; };
  net.submit(5, 1);
  net.run();
  for (std::uint32_t r = 0; r < 4; ++r) {
    const auto c = net.commits_of(r);
    ASSERT_GE(c.size(), 2u) << "replica " << r;
    EXPECT_EQ(c[0].view, 1u);
    EXPECT_EQ(c[0].batch, (Batch{Request{5, 1, 100}}));
    EXPECT_EQ(c[1].view, 4u);  // b4 <- b5 <- b6 (consecutive) committed b4 and, before it, b1
    EXPECT_EQ(c[1].height, 2u);
  }
  expect_agreement(net, {0, 1, 2, 3});
  // b1 did not commit with QC(b5) (views 5, 4, 1), carried in view 6: it
  // needed QC(b6) (views 6, 5, 4), carried in view 7, and commits with b4.
  const auto c2 = net.commits_of(2);
  EXPECT_EQ(c2[0].height, 1u);
  EXPECT_EQ(c2[1].height, 2u);
  std::size_t b1_at = 0, b4_at = 0;
  for (std::size_t i = 0; i < net.commits.size(); ++i)
    if (net.commits[i].replica == 2) {
      if (net.commits[i].view == 1) b1_at = i;
      if (net.commits[i].view == 4) b4_at = i;
    }
  EXPECT_EQ(b4_at, b1_at + 1);  // in one step: the same QC committed both
  // The proposal of view 4 extends b1, not the orphaned b2, and views 3 timed out.
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::proposal && m.view == 4) {
      EXPECT_EQ(m.block->justify.view, 1u);
      EXPECT_EQ(m.block->height, 2u);
    }
  EXPECT_GE(net.count(MsgKind::new_view), 2);
}

TEST(HotStuffPacemaker, SilentLeaderOfView1IsSkippedAndRequestsCommitAtEveryLiveReplica) {
  // n = 7, f = 2: replica 1 (leader of views 1, 8, 15, ...) is silent.
  HotStuffFakeNetwork net(config(7), {{1, Behaviour::silent}});
  for (std::uint64_t id = 1; id <= 3; ++id) net.submit(9, id);
  net.run();
  int timed_out = 0;
  for (std::uint32_t r = 0; r < 7; ++r) {
    if (r == 1) continue;
    EXPECT_EQ(committed_ids(net, r), (std::vector<std::uint64_t>{1, 2, 3})) << "replica " << r;
    timed_out += net.replicas[r].timeouts() >= 1 ? 1 : 0;
    EXPECT_EQ(net.replicas[r].pending_requests(), 0u);
  }
  // All six live replicas time out at t = 1 s, one after the other; once
  // replica 2 holds n - f = 5 new-views (its own included) it proposes view 2,
  // and the last replica gets that proposal before its own timer fires.
  EXPECT_EQ(timed_out, 5);
  for (const Message& m : net.trace) EXPECT_NE(m.from, 1u);
  // Everyone timed out in view 1 and sent new-view(2) with the genesis QC to replica 2.
  int new_views_for_2 = 0;
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::new_view && m.view == 2) {
      EXPECT_EQ(m.to, 2u);
      EXPECT_EQ(m.qc.view, 0u);
      ++new_views_for_2;
    }
  EXPECT_EQ(new_views_for_2, 4);  // the five that timed out but replica 2 itself
  // View 2's proposal extends genesis with the highest QC (view 0).
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::proposal && m.view == 2) {
      EXPECT_EQ(m.block->justify.view, 0u);
      EXPECT_EQ(m.block->height, 1u);
    }
  // The first commit at view >= 2, after the 1 s timeout.
  for (const auto& c : net.commits) EXPECT_GE(c.view, 2u);
  std::vector<std::uint32_t> live{0, 2, 3, 4, 5, 6};
  expect_agreement(net, live);
  std::set<std::pair<std::uint32_t, std::uint64_t>> vc(net.view_changes.begin(), net.view_changes.end());
  int entered_2 = 0;
  for (std::uint32_t r : live) entered_2 += static_cast<int>(vc.count({r, 2}));
  EXPECT_EQ(entered_2, 5);
}

TEST(HotStuffPacemaker, RoundRobinWithOneSilentReplicaInFourNeverCompletesAThreeChain) {
  // n = 4, replica 1 silent: views 2, 3, 4 have honest leaders but QC(b4) is
  // formed by the silent leader of view 5 and lost, so no block ever gets a
  // public QC on a three-chain of consecutive views. Safety holds; the views
  // keep moving; nothing commits. (Four consecutive honest leaders are needed.)
  HotStuffFakeNetwork net(config(4), {{1, Behaviour::silent}});
  net.submit(9, 1);
  net.run(60.0);
  EXPECT_TRUE(net.commits.empty());
  for (std::uint32_t r : {0u, 2u, 3u}) {
    EXPECT_GT(net.replicas[r].view(), 8u);
    EXPECT_GT(net.replicas[r].locked()->view, 0u);
  }
  EXPECT_GT(net.count(MsgKind::proposal), 0);
}

TEST(HotStuffPacemaker, TimeoutsDoubleOnConsecutiveFailuresAndResetOnProgress) {
  // All replicas but 0 silent: nothing progresses, replica 0 times out with
  // 1, 2, 4, ... seconds.
  HotStuffFakeNetwork net(config(4), {{1, Behaviour::silent}, {2, Behaviour::silent}, {3, Behaviour::silent}});
  net.submit(9, 1);
  net.run(1.0 + 2.0 + 4.0 + 0.5);
  EXPECT_EQ(net.replicas[0].timeouts(), 3u);
  EXPECT_DOUBLE_EQ(net.replicas[0].current_view_timeout(), 8.0);
  EXPECT_TRUE(net.commits.empty());
  // With everyone honest, a proposal resets it.
  HotStuffFakeNetwork ok(config(4));
  ok.submit(9, 1);
  ok.run();
  for (const HotStuffReplica& r : ok.replicas) EXPECT_DOUBLE_EQ(r.current_view_timeout(), 1.0);
}

TEST(HotStuffIdle, AlwaysProposingKeepsTheChainMovingWithEmptyBlocks) {
  HotStuffConfig c = config(4);
  c.propose_empty_always = true;
  HotStuffFakeNetwork net(c);
  net.submit(1, 1);
  for (int i = 0; i < 400 && net.step(); ++i) {
  }
  // One request, yet the views keep advancing and empty blocks commit after it
  // (the fake network has no latency: the loop is cut after 400 deliveries).
  EXPECT_GT(net.replicas[0].view(), 10u);
  const auto commits = net.commits_of(0);
  ASSERT_GT(commits.size(), 3u);
  EXPECT_EQ(commits[0].batch.size(), 1u);
  for (std::size_t i = 1; i < commits.size(); ++i) EXPECT_TRUE(commits[i].batch.empty());
  // The default configuration stays quiet with nothing to do.
  HotStuffFakeNetwork quiet(config(4));
  quiet.run();
  EXPECT_TRUE(quiet.trace.empty());
}

TEST(HotStuffDeterminism, TwoRunsProduceTheSameTraceAndCommits) {
  auto once = [] {
    HotStuffFakeNetwork net(config(7), {{1, Behaviour::silent}});
    for (std::uint64_t id = 1; id <= 4; ++id) net.submit(3, id);
    net.run();
    std::vector<std::tuple<int, std::uint32_t, std::uint32_t, std::uint64_t, Hash256>> t;
    for (const Message& m : net.trace)
      t.emplace_back(static_cast<int>(m.kind), m.from, m.to, m.view, m.block ? m.block->digest : m.digest);
    return std::make_pair(t, net.commits);
  };
  const auto a = once();
  const auto b = once();
  EXPECT_FALSE(a.second.empty());
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
}

TEST(HotStuffReplies, EveryCommittedBlockRepliesOncePerClientWithItsIdsInBlockOrder) {
  // n = 7 with a silent replica: it commits nothing it could announce and replies to nobody.
  HotStuffFakeNetwork net(config(7, 4), {{1, Behaviour::silent}});
  for (std::uint64_t id = 1; id <= 3; ++id) {
    net.submit(100, id);
    net.submit(200, 10 + id);
  }
  net.run();
  for (const Message& m : net.replies) EXPECT_NE(m.from, 1u);
  std::size_t expected = 0;
  for (const auto& c : net.commits) {
    if (c.replica == 1) continue;
    std::map<std::uint32_t, std::vector<std::uint64_t>> by_client;
    for (const Request& r : c.batch) by_client[r.client].push_back(r.id);
    expected += by_client.size();
    for (const auto& [client, ids] : by_client) {
      const auto n = std::count_if(net.replies.begin(), net.replies.end(), [&](const Message& m) {
        return m.from == c.replica && m.to == client && m.height == c.height && m.digest == c.digest &&
               m.request_ids == ids;
      });
      EXPECT_EQ(n, 1) << "replica " << c.replica << " client " << client << " height " << c.height;
    }
  }
  EXPECT_EQ(net.replies.size(), expected);
  // Every live replica answered every request exactly once.
  for (std::uint32_t r : {0u, 2u, 3u, 4u, 5u, 6u}) {
    std::multiset<std::pair<std::uint32_t, std::uint64_t>> answered;
    for (const Message& m : net.replies)
      if (m.from == r)
        for (std::uint64_t id : m.request_ids) answered.insert({m.to, id});
    EXPECT_EQ(answered, (std::multiset<std::pair<std::uint32_t, std::uint64_t>>{
                            {100, 1}, {100, 2}, {100, 3}, {200, 11}, {200, 12}, {200, 13}}))
        << "replica " << r;
  }
}

TEST(HotStuffWireSize, GrowsByOneRequestPerBatchEntryAndOneSignaturePerQcSigner) {
  const WireParams p{4, 10, 64};
  const cbsim::models::consensus::pbft::WireParams pp{4, 10};
  auto qc = [](std::uint32_t signers) {
    QC q{3, genesis()->digest, {}};
    for (std::uint32_t s = 0; s < signers; ++s) q.signers.push_back(s);
    return q;
  };
  auto proposal = [&](std::uint64_t requests, std::uint32_t signers) {
    auto batch = std::make_shared<Batch>();
    for (std::uint64_t i = 0; i < requests; ++i) batch->push_back(Request{7, i, 100});
    Message m;
    m.kind = MsgKind::proposal;
    m.block = make_block(qc(signers), 1, 4, std::move(batch));
    return wire_size(m, p);
  };
  // A request: header 10 + client 4 + id 8 + payload 100 + n MACs 4 x 10 = 162, as under PBFT.
  Message req;
  req.request = Request{7, 1, 100};
  EXPECT_EQ(wire_size(req, p), 162u);
  EXPECT_EQ(wire_size(req, p), cbsim::models::consensus::pbft::request_wire_size(req.request, pp));
  // Proposal: header 10 + block header 3 x 32 + 8 + 8 + batch (4 + 162 per request)
  // + justify (8 + 32 + 4 + 68 per signer: id 4 + signature 64).
  EXPECT_EQ(proposal(0, 0), 10u + 112 + 4 + 44);
  EXPECT_EQ(proposal(1, 3), 10u + 112 + 4 + 162 + 44 + 3 * 68);
  EXPECT_EQ(proposal(5, 3) - proposal(1, 3), 4u * 162);
  EXPECT_EQ(proposal(5, 4) - proposal(5, 3), 68u);
  // A vote: header + view + digest + signature, whatever the committee size.
  Message vote;
  vote.kind = MsgKind::vote;
  EXPECT_EQ(wire_size(vote, p), 10u + 8 + 32 + 64);
  EXPECT_EQ(wire_size(vote, WireParams{100, 10, 64}), wire_size(vote, p));
  EXPECT_EQ(wire_size(vote, WireParams{4, 10, 96}), wire_size(vote, p) + 32);
  // A new-view: header + view + QC.
  Message nv;
  nv.kind = MsgKind::new_view;
  nv.qc = qc(3);
  EXPECT_EQ(wire_size(nv, p), 10u + 8 + 44 + 3 * 68);
  nv.qc = qc(5);
  EXPECT_EQ(wire_size(nv, p), 10u + 8 + 44 + 5 * 68);
  // A reply: PBFT's, 8 bytes per request id.
  Message reply;
  reply.kind = MsgKind::reply;
  reply.request_ids = {1, 2, 3};
  EXPECT_EQ(wire_size(reply, p), 10u + 8 + 8 + 4 + 4 + 3 * 8 + 10);
  EXPECT_EQ(wire_size(reply, p), cbsim::models::consensus::pbft::reply_wire_size(3, pp));
}

class HotStuffEquivocatingLeader : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(HotStuffEquivocatingLeader, HonestReplicasAgreeAndEveryRequestCommitsOnce) {
  // Replica 1 leads views 1, n + 1, ...: each time, half of the others get one
  // block and half a sibling, so neither gathers n - f votes and the view times out.
  const std::uint32_t n = GetParam();
  HotStuffFakeNetwork net(config(n, 2), {{1, Behaviour::equivocating_leader}});
  for (std::uint64_t id = 1; id <= 6; ++id) net.submit(4, id);
  net.run();

  std::map<std::uint64_t, std::set<Hash256>> proposed;  // view -> blocks replica 1 proposed
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::proposal && m.from == 1) proposed[m.view].insert(m.block->digest);
  ASSERT_FALSE(proposed.empty());
  EXPECT_EQ(proposed.begin()->first, 1u);
  EXPECT_EQ(proposed.begin()->second.size(), 2u);  // it equivocated in view 1

  std::vector<std::uint32_t> honest;
  for (std::uint32_t r = 0; r < n; ++r)
    if (r != 1) honest.push_back(r);
  expect_agreement(net, honest);
  for (std::uint32_t r : honest) {
    auto ids = committed_ids(net, r);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6})) << "replica " << r;
    EXPECT_EQ(net.replicas[r].pending_requests(), 0u);
  }
  // Neither of view 1's blocks was certified: nothing of view 1 commits.
  for (const auto& c : net.commits) EXPECT_NE(c.view, 1u);
}

INSTANTIATE_TEST_SUITE_P(HotStuff, HotStuffEquivocatingLeader, ::testing::Values(4u, 7u));

TEST(HotStuffCorruption, AProposalWhoseDigestDoesNotMatchItsBlockIsDropped) {
  // The proposal of view 1 reaches replica 3 altered; the other three (n - f) still certify it.
  HotStuffFakeNetwork net(config(4));
  net.tamper = [](Message& m) {
    if (m.kind == MsgKind::proposal && m.view == 1 && m.to == 3) corrupt(m);
  };
  net.submit(5, 1);
  net.deliver_all();
  const Message* altered = nullptr;
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::proposal && m.view == 1 && m.to == 3) altered = &m;
  ASSERT_NE(altered, nullptr);
  const Block& b = *altered->block;
  EXPECT_NE(b.digest, block_digest(b.parent, b.view, b.height, b.batch_digest, b.justify.view));
  for (const Message& m : net.trace) EXPECT_FALSE(m.kind == MsgKind::vote && m.view == 1 && m.from == 3);
  EXPECT_GE(net.replicas[2].high_qc().view, 1u);  // QC(b1) formed without it
  // Block synchronisation: b2's proposal makes replica 3 fetch b1 from its
  // sender, so it catches up, votes from view 2 on and commits the request.
  bool fetched = false;
  for (const Message& m : net.trace) fetched = fetched || (m.kind == MsgKind::fetch && m.from == 3);
  EXPECT_TRUE(fetched);
  EXPECT_GT(net.replicas[3].view(), 1u);
  EXPECT_GE(net.replicas[3].last_committed()->height, 1u);
  EXPECT_EQ(net.replicas[3].pending_requests(), 0u);
}

TEST(HotStuffSync, AReplicaThatMissedAProposalFetchesItWhenTheNextOneArrives) {
  // View 1's proposal never reaches replica 3: view 2's proposal makes it fetch
  // b1 from view 2's leader, then it handles b2 as if just arrived: it votes
  // (to itself, the leader of view 3), forms QC(b2) and leads view 3.
  HotStuffFakeNetwork net(config(4));
  net.drop = [](const Message& m) { return m.kind == MsgKind::proposal && m.view == 1 && m.to == 3; };
  net.submit(5, 1);
  net.deliver_all();
  bool fetched = false, answered = false, led_three = false;
  for (const Message& m : net.trace) {
    fetched = fetched || (m.kind == MsgKind::fetch && m.from == 3 && m.to == 2);
    answered = answered || (m.kind == MsgKind::block && m.to == 3 && m.view == 1);
    led_three = led_three || (m.kind == MsgKind::proposal && m.from == 3 && m.view == 3);
  }
  EXPECT_TRUE(fetched);
  EXPECT_TRUE(answered);
  EXPECT_TRUE(led_three);
  // The same blocks committed in the same order as the others.
  const auto heights = [&](std::uint32_t r) {
    std::vector<std::pair<std::uint64_t, Hash256>> out;
    for (const auto& c : net.commits_of(r)) out.emplace_back(c.height, c.digest);
    return out;
  };
  EXPECT_FALSE(heights(3).empty());
  EXPECT_EQ(heights(3), heights(0));
  for (const auto& r : net.replicas) EXPECT_EQ(r.pending_requests(), 0u) << r.id();
}

TEST(HotStuffCorruption, VotesForABlockNobodyHasFormNoQc) {
  // Replica 2 leads view 2 and collects the votes for view 1: feed it n - f
  // votes for a digest it has never seen.
  HotStuffFakeNetwork net(config(4));
  Hash256 unknown = genesis()->digest;
  unknown[0] ^= 1;
  for (std::uint32_t from : {0u, 1u, 3u}) {
    Message v;
    v.kind = MsgKind::vote;
    v.from = from;
    v.view = 1;
    v.digest = unknown;
    net.replicas[2].on_message(v, net);
  }
  EXPECT_EQ(net.replicas[2].high_qc().view, 0u);
  EXPECT_EQ(net.replicas[2].view(), 1u);
  EXPECT_TRUE(net.trace.empty());  // no proposal built on it
}

class HotStuffCorruptedReplica : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(HotStuffCorruptedReplica, EveryMessageItSendsIsAlteredYetHonestReplicasAgreeAndCommit) {
  // n = 7, f = 2 (in 4, a replica whose QCs never arrive stalls the round
  // robin as a silent one does: see RoundRobinWithOneSilentReplicaInFour...).
  // Replica 1 leads view 1; replica 6 leads none of the first views.
  const std::uint32_t bad = GetParam();
  HotStuffFakeNetwork net(config(7));
  net.tamper = [bad](Message& m) {
    if (m.from == bad) corrupt(m);
  };
  for (std::uint64_t id = 1; id <= 4; ++id) net.submit(8, id);
  net.run();
  std::vector<std::uint32_t> honest;
  for (std::uint32_t r = 0; r < 7; ++r)
    if (r != bad) honest.push_back(r);
  expect_agreement(net, honest);
  for (std::uint32_t r : honest) {
    EXPECT_EQ(committed_ids(net, r), (std::vector<std::uint64_t>{1, 2, 3, 4})) << "replica " << r;
  }
  // Nothing the corrupted replica proposed was accepted: no vote names its blocks.
  std::set<Hash256> its_blocks;
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::proposal && m.from == bad) its_blocks.insert(m.block->digest);
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::vote && m.from != bad) {  // (its own vote, altered too, names the altered digest)
      EXPECT_EQ(its_blocks.count(m.digest), 0u);
    }
  if (bad == 1) {
    EXPECT_FALSE(its_blocks.empty());
    for (const auto& c : net.commits) EXPECT_NE(c.view, 1u);  // view 1 timed out
    EXPECT_FALSE(net.view_changes.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(HotStuff, HotStuffCorruptedReplica, ::testing::Values(6u, 1u));
