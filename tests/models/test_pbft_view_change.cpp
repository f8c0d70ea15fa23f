#include <gtest/gtest.h>

#include <set>

#include "models/consensus/safety_checker.h"
#include "pbft_fake_network.h"

using namespace cbsim::test;

namespace {

// Safety: no two of `honest` replicas commit different digests at one seq
// (the simulator's own checker).
void expect_agreement(const PbftFakeNetwork& net, const std::vector<std::uint32_t>& honest) {
  cbsim::models::consensus::SafetyChecker checker;
  for (const auto& c : net.commits)
    if (std::find(honest.begin(), honest.end(), c.replica) != honest.end()) checker.on_commit(c.replica, c.seq, c.digest);
  EXPECT_EQ(checker.violations(), 0u) << checker.first_violation();
}

bool committed_request(const PbftFakeNetwork& net, std::uint32_t replica, std::uint64_t id) {
  for (const auto& c : net.commits_of(replica))
    for (const Request& r : c.batch)
      if (r.id == id) return true;
  return false;
}
}  // namespace

TEST(PbftViewChange, SilentPrimaryIsReplacedAndThePendingRequestCommitsInView1) {
  PbftFakeNetwork net(config(4), {{0, Behaviour::silent}});
  net.submit(9, 1);
  net.run();
  const Hash256 digest = batch_digest(Batch{Request{9, 1, 100}});
  for (std::uint32_t r = 1; r < 4; ++r) {
    const auto commits = net.commits_of(r);
    ASSERT_EQ(commits.size(), 1u) << "replica " << r;
    EXPECT_EQ(commits[0].view, 1u);
    EXPECT_EQ(commits[0].seq, 1u);
    EXPECT_EQ(commits[0].digest, digest);
    EXPECT_EQ(net.replicas[r].view(), 1u);
    EXPECT_FALSE(net.replicas[r].in_view_change());
    EXPECT_EQ(net.replicas[r].view_changes_started(), 1u);
  }
  // The silent replica still hears everything (it is mute, not crashed): it
  // follows the view change and execution but has sent nothing.
  // Each live replica multicast one view-change; replica 1 one new-view.
  EXPECT_EQ(net.count(MsgKind::view_change), 3 * 3);
  EXPECT_EQ(net.count(MsgKind::new_view), 3);
  for (const Message& m : net.trace) EXPECT_NE(m.from, 0u);  // silent
  std::set<std::pair<std::uint32_t, std::uint64_t>> installed(net.view_changes.begin(), net.view_changes.end());
  for (std::uint32_t r = 1; r < 4; ++r) EXPECT_EQ(installed.count({r, 1}), 1u);
  expect_agreement(net, {0, 1, 2, 3});
  // The view change happened after the timeout, not before.
  EXPECT_GE(net.now(), 1.0);
}

TEST(PbftViewChange, EquivocatingPrimaryCannotBreakAgreementAndRequestsCommitAfterTheViewChange) {
  for (std::uint32_t n : {4u, 7u}) {
    PbftFakeNetwork net(config(n), {{0, Behaviour::equivocating_primary}});
    net.submit(5, 1);
    net.submit(5, 2);
    net.run();
    std::vector<std::uint32_t> honest;
    for (std::uint32_t r = 1; r < n; ++r) honest.push_back(r);
    // The primary did equivocate: two digests for seq 1 in view 0.
    std::set<Hash256> offered;
    for (const Message& m : net.trace)
      if (m.kind == MsgKind::pre_prepare && m.view == 0 && m.seq == 1) offered.insert(m.digest);
    EXPECT_EQ(offered.size(), 2u) << "n = " << n;
    expect_agreement(net, honest);
    for (std::uint32_t r : honest) {
      EXPECT_GE(net.replicas[r].view(), 1u);
      EXPECT_TRUE(committed_request(net, r, 1)) << "n = " << n << " replica " << r;
      EXPECT_TRUE(committed_request(net, r, 2)) << "n = " << n << " replica " << r;
      // Nothing commits in view 0.
      for (const auto& c : net.commits_of(r)) EXPECT_GE(c.view, 1u);
    }
    // Every honest replica executed the same sequence.
    for (std::uint32_t r : honest) EXPECT_EQ(net.replicas[r].state_digest(), net.replicas[1].state_digest());
  }
}

TEST(PbftViewChange, APreparedButUncommittedRequestIsReissuedWithTheSameDigestAndSeq) {
  PbftFakeNetwork net(config(4));
  net.drop = [](const Message& m) { return m.kind == MsgKind::commit && m.view == 0; };
  net.submit(3, 42);
  net.run();
  const Hash256 digest = batch_digest(Batch{Request{3, 42, 100}});
  // The new primary's O re-issues seq 1 with the prepared digest.
  const Message* nv = nullptr;
  for (const Message& m : net.trace)
    if (m.kind == MsgKind::new_view && m.view == 1) nv = &m;
  ASSERT_NE(nv, nullptr);
  ASSERT_EQ(nv->new_view->pre_prepares.size(), 1u);
  EXPECT_EQ(nv->new_view->pre_prepares[0].seq, 1u);
  EXPECT_EQ(nv->new_view->pre_prepares[0].digest, digest);
  for (const ViewChange& vc : nv->new_view->view_changes) {
    ASSERT_EQ(vc.prepared.size(), 1u);
    EXPECT_EQ(vc.prepared[0].view, 0u);
    EXPECT_EQ(vc.prepared[0].digest, digest);
  }
  // All four (the old primary joins by the f+1 rule) commit it at seq 1 in view 1.
  for (std::uint32_t r = 0; r < 4; ++r) {
    const auto commits = net.commits_of(r);
    ASSERT_EQ(commits.size(), 1u) << "replica " << r;
    EXPECT_EQ(commits[0].view, 1u);
    EXPECT_EQ(commits[0].seq, 1u);
    EXPECT_EQ(commits[0].digest, digest);
  }
  // No new batch was cut for the request in view 1.
  for (const Message& m : net.trace) EXPECT_FALSE(m.kind == MsgKind::pre_prepare && m.view == 1);
}

TEST(PbftViewChange, ANewViewThatDoesNotFollowFromItsViewChangesIsRejected) {
  PbftFakeNetwork net(config(4), {{0, Behaviour::silent}});
  net.drop = [](const Message& m) { return m.kind == MsgKind::new_view; };
  net.submit(9, 1);
  net.run(1.5);  // view-changes exchanged; new-views dropped
  ASSERT_TRUE(net.replicas[2].in_view_change());
  ASSERT_FALSE(net.replicas[1].in_view_change());  // the new primary installed its own new-view
  // A forged new-view: the right V but an O with an extra re-issued request.
  NewView nv;
  nv.view = 1;
  for (std::uint32_t r = 1; r < 4; ++r) {
    ViewChange vc;
    vc.replica = r;
    vc.new_view = 1;
    nv.view_changes.push_back(vc);
  }
  nv.pre_prepares.push_back({1, batch_digest(Batch{Request{66, 6, 1}}), std::make_shared<const Batch>(Batch{Request{66, 6, 1}})});
  Message m;
  m.kind = MsgKind::new_view;
  m.from = 1;
  m.to = 2;
  m.view = 1;
  m.new_view = std::make_shared<const NewView>(nv);
  net.replicas[2].on_message(m, net);
  EXPECT_TRUE(net.replicas[2].in_view_change());
  nv.pre_prepares.clear();  // the correct O (nothing prepared) is accepted
  m.new_view = std::make_shared<const NewView>(nv);
  net.replicas[2].on_message(m, net);
  EXPECT_FALSE(net.replicas[2].in_view_change());
  EXPECT_EQ(net.replicas[2].view(), 1u);
}

TEST(PbftViewChange, TheTimeoutDoublesOnConsecutiveViewChanges) {
  // Replica 0 is silent and view 1's new-view is lost: replicas 2 and 3 give
  // up on view 1 after waiting 2T and move to view 2 (replica 2 is primary).
  PbftFakeNetwork net(config(4), {{0, Behaviour::silent}});
  net.drop = [](const Message& m) { return m.kind == MsgKind::new_view && m.view == 1; };
  net.submit(9, 1);
  net.run();
  bool doubled = false;
  for (const auto& t : net.timers_set)
    if ((t.replica == 2 || t.replica == 3) && t.delay == 2.0) doubled = true;
  EXPECT_TRUE(doubled);
  for (std::uint32_t r = 1; r < 4; ++r) {
    EXPECT_EQ(net.replicas[r].view(), 2u) << "replica " << r;
    EXPECT_TRUE(committed_request(net, r, 1)) << "replica " << r;
    EXPECT_EQ(net.replicas[r].current_view_change_timeout(), 1.0);  // back to T after progress
  }
  expect_agreement(net, {1, 2, 3});
}

TEST(PbftDeterminism, SameInputsGiveTheSameCommitSequence) {
  auto run_once = [] {
    PbftFakeNetwork net(config(7, 3), {{0, Behaviour::equivocating_primary}});
    for (std::uint64_t id = 1; id <= 10; ++id) net.submit(static_cast<std::uint32_t>(id % 3), id);
    net.run();
    return std::make_pair(net.commits, net.trace.size());
  };
  const auto a = run_once();
  const auto b = run_once();
  ASSERT_FALSE(a.first.empty());
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
}

TEST(PbftCorruption, ABackupWhoseEveryMessageIsAlteredChangesNothingForTheOthers) {
  // Replica 2's prepares, commits and checkpoints name digests nobody has:
  // they never join a quorum, and the other three (2f + 1) commit in view 0.
  PbftConfig c = config(4);
  PbftFakeNetwork net(c);
  net.tamper = [](Message& m) {
    if (m.from == 2) corrupt(m);
  };
  for (std::uint64_t id = 1; id <= 3; ++id) net.submit(6, id);
  net.run();
  for (const Message& m : net.trace)
    if (m.from == 2 && m.kind == MsgKind::prepare) {
      EXPECT_NE(m.digest, batch_digest(Batch{Request{6, m.seq, 100}}));
    }
  expect_agreement(net, {0, 1, 3});
  for (std::uint32_t r : {0u, 1u, 3u}) {
    for (std::uint64_t id = 1; id <= 3; ++id) EXPECT_TRUE(committed_request(net, r, id)) << "replica " << r;
    for (const auto& c : net.commits_of(r)) EXPECT_EQ(c.view, 0u);
  }
  EXPECT_TRUE(net.view_changes.empty());
}

TEST(PbftCorruption, APrimaryWhoseEveryMessageIsAlteredIsReplacedByAViewChange) {
  // Replica 0's pre-prepares carry digests that do not match their batches:
  // the backups drop them, time out and move to view 1 (whose primary is 1).
  for (std::uint32_t n : {4u, 7u}) {
    PbftFakeNetwork net(config(n));
    net.tamper = [](Message& m) {
      if (m.from == 0) corrupt(m);
    };
    net.submit(5, 1);
    net.submit(5, 2);
    net.run();
    std::vector<std::uint32_t> honest;
    for (std::uint32_t r = 1; r < n; ++r) honest.push_back(r);
    EXPECT_GT(net.count(MsgKind::pre_prepare), 0);
    expect_agreement(net, honest);
    for (std::uint32_t r : honest) {
      EXPECT_GE(net.replicas[r].view(), 1u) << "n = " << n << " replica " << r;
      EXPECT_TRUE(committed_request(net, r, 1)) << "n = " << n << " replica " << r;
      EXPECT_TRUE(committed_request(net, r, 2)) << "n = " << n << " replica " << r;
      for (const auto& c : net.commits_of(r)) EXPECT_GE(c.view, 1u);
    }
    EXPECT_FALSE(net.view_changes.empty());
  }
}

TEST(PbftCorruption, AViewChangeWhosePreparedCertificateDoesNotMatchItsBatchIsIgnored) {
  PbftFakeNetwork net(config(4));
  ViewChange vc;
  vc.replica = 3;
  vc.new_view = 1;
  vc.prepared.push_back(PreparedCert{0, 1, batch_digest(Batch{Request{1, 1, 100}}),
                                     std::make_shared<const Batch>(Batch{Request{1, 1, 100}})});
  Message m;
  m.kind = MsgKind::view_change;
  m.from = 3;
  m.to = 1;
  m.view = 1;
  m.view_change = std::make_shared<const ViewChange>(vc);
  Message altered = m;
  corrupt(altered);
  EXPECT_NE(altered.view_change->prepared[0].digest, vc.prepared[0].digest);
  EXPECT_EQ(m.view_change->prepared[0].digest, vc.prepared[0].digest);  // the original is untouched
  // Replica 1 (primary of view 1) joins once f + 1 = 2 others ask for view 1
  // (and, with its own, has the 2f + 1 to install it at once): the altered
  // view-change does not count, the genuine one does.
  Message from2 = m;
  from2.from = 2;
  auto vc2 = vc;
  vc2.replica = 2;
  from2.view_change = std::make_shared<const ViewChange>(vc2);
  net.replicas[1].on_message(altered, net);
  net.replicas[1].on_message(from2, net);
  EXPECT_EQ(net.replicas[1].view(), 0u);
  net.replicas[1].on_message(m, net);
  EXPECT_EQ(net.replicas[1].view(), 1u);
}
