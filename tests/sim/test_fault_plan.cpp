// The fault plan answers what the simulations ask about a scenario's faults
// list: who is down when, what happens to a message, who misbehaves how.

#include <gtest/gtest.h>

#include "sim/faults/fault_plan.h"

namespace cbsim::sim {
namespace {

scenario::FaultConfig fault(std::string kind, std::vector<int> nodes, double at, double until) {
  scenario::FaultConfig f;
  f.kind = std::move(kind);
  f.nodes = std::move(nodes);
  f.at_s = at;
  f.until_s = until;
  return f;
}

FaultPlan plan(std::vector<scenario::FaultConfig> faults, std::uint32_t nodes = 6) {
  return FaultPlan(faults, nodes, models::random::Rng(7, "faults"));
}

TEST(FaultPlan, CrashWindowsAreHalfOpenAndOverlappingCrashesChain) {
  FaultPlan p = plan({fault("crash", {1}, 10, 20), fault("crash", {1}, 15, 30), fault("crash", {2}, 5, 0)});
  EXPECT_FALSE(p.is_down(1, 9.99));
  EXPECT_TRUE(p.is_down(1, 10));
  EXPECT_TRUE(p.is_down(1, 25));
  EXPECT_FALSE(p.is_down(1, 30));
  EXPECT_EQ(p.up_again(1, 12), 30.0);     // the second crash holds it past the first's end
  EXPECT_EQ(p.up_again(2, 1e6), FaultPlan::kNever);  // until_s = 0: never recovers
  EXPECT_FALSE(p.is_down(0, 12));
  EXPECT_EQ(p.change_times(), (std::vector<double>{5, 10, 15, 20, 30}));
}

TEST(FaultPlan, CrashedNodesNeitherSendNorReceive) {
  FaultPlan p = plan({fault("crash", {1}, 10, 20)});
  EXPECT_EQ(p.on_send(1, 0, 12).lost, MessageFate::Lost::sender_down);
  EXPECT_EQ(p.on_send(0, 1, 12).lost, MessageFate::Lost::no);  // lost on arrival instead
  EXPECT_TRUE(p.lost_on_arrival(1, 12));
  EXPECT_FALSE(p.lost_on_arrival(1, 20));
  EXPECT_EQ(p.counts().lost_sender_down, 1u);
  EXPECT_EQ(p.counts().lost_receiver_down, 1u);
}

TEST(FaultPlan, PartitionCutsBothDirectionsBetweenItsSidesOnly) {
  scenario::FaultConfig f = fault("partition", {0, 1}, 0, 50);
  f.peers = {2, 3};
  FaultPlan p = plan({f});
  EXPECT_EQ(p.on_send(0, 2, 1).lost, MessageFate::Lost::partition);
  EXPECT_EQ(p.on_send(3, 1, 1).lost, MessageFate::Lost::partition);
  EXPECT_EQ(p.on_send(0, 1, 1).lost, MessageFate::Lost::no);  // same side
  EXPECT_EQ(p.on_send(0, 4, 1).lost, MessageFate::Lost::no);  // 4 is on neither side
  EXPECT_EQ(p.on_send(0, 2, 50).lost, MessageFate::Lost::no);  // healed
}

TEST(FaultPlan, PartitionWithoutPeersCutsItsNodesOffFromEveryoneIncludingClients) {
  FaultPlan p = plan({fault("partition", {0}, 0, 0)}, 4);
  EXPECT_EQ(p.on_send(0, 3, 1).lost, MessageFate::Lost::partition);
  EXPECT_EQ(p.on_send(7, 0, 1).lost, MessageFate::Lost::partition);  // endpoint 7: a client
  EXPECT_EQ(p.on_send(7, 1, 1).lost, MessageFate::Lost::no);
}

TEST(FaultPlan, DegradedLinksDelayAndLoseAtTheConfiguredRate) {
  scenario::FaultConfig f = fault("degrade", {0}, 0, 0);
  f.extra_latency_s = 0.25;
  f.loss = 0.2;
  FaultPlan p = plan({f});
  EXPECT_EQ(p.on_send(1, 2, 1).extra_delay_s, 0.0);  // not a link of node 0
  constexpr int kMessages = 100000;
  int lost = 0;
  for (int i = 0; i < kMessages; ++i) {
    const MessageFate fate = p.on_send(0, 1, 1);
    if (fate.lost == MessageFate::Lost::link_loss) {
      ++lost;
    } else {
      EXPECT_EQ(fate.extra_delay_s, 0.25);
    }
  }
  // Binomial(100000, 0.2): standard deviation 126; 5 sigma.
  EXPECT_NEAR(lost, 20000, 632);
  EXPECT_EQ(p.counts().lost_link, static_cast<std::uint64_t>(lost));
}

TEST(FaultPlan, ByzantineBehaviourHoldsInItsWindowAndMarksTheNodeForTheWholeRun) {
  scenario::FaultConfig f = fault("byzantine", {3}, 5, 10);
  f.behaviour = "replay";
  f.replay_delay_s = 2.5;
  scenario::FaultConfig g = fault("byzantine", {4}, 0, 0);
  g.behaviour = "silent";
  FaultPlan p = plan({f, g});
  EXPECT_EQ(p.behaviour(3, 4), ByzantineBehaviour::none);
  EXPECT_EQ(p.behaviour(3, 5), ByzantineBehaviour::replay);
  EXPECT_EQ(p.replay_delay_s(3, 6), 2.5);
  EXPECT_EQ(p.behaviour(3, 10), ByzantineBehaviour::none);
  EXPECT_TRUE(p.ever_byzantine()[3]);
  EXPECT_FALSE(p.ever_byzantine()[2]);
  EXPECT_EQ(p.byzantine_count(), 2u);
  EXPECT_EQ(p.on_send(4, 0, 1).lost, MessageFate::Lost::silent);
}

TEST(FaultPlan, NoFaultsTouchNothing) {
  FaultPlan p = plan({});
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.on_send(0, 1, 1).lost, MessageFate::Lost::no);
  EXPECT_FALSE(p.lost_on_arrival(0, 1));
  EXPECT_EQ(p.byzantine_count(), 0u);
}

}  // namespace
}  // namespace cbsim::sim
