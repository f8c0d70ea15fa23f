#include <gtest/gtest.h>

#include <vector>

#include "models/cloud/consolidation.h"
#include "models/cloud/host_pool.h"

using namespace cbsim::models::cloud;

namespace {

VmId put(HostPool& pool, HostId host, VmRequest vm) {
  PinnedHostPolicy pin;
  pin.host = host;
  const auto placed = pool.place(vm, pin);
  EXPECT_TRUE(placed) << "the test's pool is built wrongly";
  return placed ? placed->vm : ~VmId{0};
}

VmRequest vm(std::uint64_t mips, std::uint64_t ram_mb) { return {1, mips, ram_mb, 10}; }

void apply(HostPool& pool, const std::vector<PlannedMigration>& plan) {
  for (const auto& m : plan) {
    ASSERT_EQ(pool.host_of(m.vm), m.from);
    ASSERT_TRUE(pool.migrate(m.vm, m.to));
  }
}

}  // namespace

// Host 0 is at 100 %; with an upper threshold of 0.6 two VMs must leave: the two
// with the least RAM (B, then C), not the first placed. B fits on host 1 (the
// tightest fit); C would push host 1 above 0.6, so it goes to the idle host 2.
TEST(Consolidation, OverloadedHostShedsLeastRamVmsFirstUntilBelowThreshold) {
  HostPool pool(std::vector<HostSpec>(3, HostSpec{4, 1000, 16384, 1000}));
  const VmId a = put(pool, 0, vm(1000, 2048));
  const VmId b = put(pool, 0, vm(1000, 512));
  const VmId c = put(pool, 0, vm(1000, 1024));
  const VmId d = put(pool, 0, vm(1000, 4096));
  put(pool, 1, vm(1000, 1024));
  const auto plan = plan_consolidation(pool, {0.6, 0.0});
  EXPECT_EQ(plan, (std::vector<PlannedMigration>{{b, 0, 1}, {c, 0, 2}}));
  EXPECT_EQ(pool.vms_on(0), (std::set<VmId>{a, b, c, d}));  // planning does not move anything
  apply(pool, plan);
  for (HostId h = 0; h < 3; ++h) EXPECT_LE(pool.utilization(h).cpu, 0.6);
}

// The least-RAM VM needs 900 Mbps, more than host 1's link has left: it stays,
// and the next-least-RAM VM goes instead.
TEST(Consolidation, AVmThatFitsNowhereStaysAndTheNextIsTried) {
  HostPool pool({HostSpec{4, 1000, 16384, 1000}, HostSpec{4, 1000, 16384, 500}});
  put(pool, 0, VmRequest{1, 1000, 4096, 10});
  put(pool, 0, VmRequest{1, 1000, 1024, 900});
  const VmId next = put(pool, 0, VmRequest{1, 1000, 2048, 10});
  put(pool, 0, VmRequest{1, 1000, 4096, 10});
  EXPECT_EQ(plan_consolidation(pool), (std::vector<PlannedMigration>{{next, 0, 1}}));
}

TEST(Consolidation, NothingToDoWhenEveryHostIsBetweenTheThresholds) {
  HostPool pool(std::vector<HostSpec>(2, HostSpec{10, 1000, 16384, 1000}));
  for (int i = 0; i < 5; ++i) put(pool, 0, vm(1000, 512));
  for (int i = 0; i < 8; ++i) put(pool, 1, vm(1000, 512));
  EXPECT_TRUE(plan_consolidation(pool).empty());
}

// Host 0 at 10 % moves its only VM to the fullest host that stays at or below
// 0.8 (host 2 at 0.7 -> 0.8), never to the idle host 3, so host 0 can be switched off.
TEST(Consolidation, UnderloadedHostIsEmptiedOntoTheTightestNonIdleHost) {
  HostPool pool(std::vector<HostSpec>(4, HostSpec{10, 1000, 16384, 1000}));
  const VmId lone = put(pool, 0, vm(1000, 512));
  for (int i = 0; i < 5; ++i) put(pool, 1, vm(1000, 512));
  for (int i = 0; i < 7; ++i) put(pool, 2, vm(1000, 512));
  const auto plan = plan_consolidation(pool);
  EXPECT_EQ(plan, (std::vector<PlannedMigration>{{lone, 0, 2}}));
  apply(pool, plan);
  EXPECT_TRUE(pool.vms_on(0).empty());
  EXPECT_DOUBLE_EQ(pool.utilization(2).cpu, 0.8);
}

// Host 0's first VM fits on host 1 (0.7 -> 0.8) but then the second fits
// nowhere without overloading: all or nothing, so no migration is planned.
TEST(Consolidation, UnderloadedHostThatCannotBeFullyEmptiedKeepsAllItsVms) {
  HostPool pool(std::vector<HostSpec>(3, HostSpec{10, 1000, 16384, 1000}));
  put(pool, 0, vm(1000, 512));
  put(pool, 0, vm(500, 512));
  for (int i = 0; i < 7; ++i) put(pool, 1, vm(1000, 512));
  EXPECT_TRUE(plan_consolidation(pool).empty());
}

// Two underloaded hosts: the least utilized (host 0, 10 %) goes first; its VM
// would overload host 2 (0.75 + 0.1), so it lands on host 1 (15 %), which,
// having received a VM, is no longer emptied.
TEST(Consolidation, AHostThatReceivedVmsIsNotEmptiedAfterwards) {
  HostPool pool(std::vector<HostSpec>(3, HostSpec{10, 1000, 16384, 1000}));
  const VmId v0 = put(pool, 0, vm(1000, 512));
  put(pool, 1, vm(1000, 512));
  put(pool, 1, vm(500, 512));
  for (int i = 0; i < 7; ++i) put(pool, 2, vm(1000, 512));
  put(pool, 2, vm(500, 512));
  EXPECT_EQ(plan_consolidation(pool), (std::vector<PlannedMigration>{{v0, 0, 1}}));
}

TEST(Consolidation, OverloadAndUnderloadInOnePlan) {
  HostPool pool(std::vector<HostSpec>(3, HostSpec{10, 1000, 16384, 1000}));
  std::vector<VmId> hot;
  for (int i = 0; i < 9; ++i) hot.push_back(put(pool, 0, vm(1000, 1024 + 64 * static_cast<std::uint64_t>(i))));
  const VmId cold = put(pool, 1, vm(1000, 512));
  for (int i = 0; i < 5; ++i) put(pool, 2, vm(1000, 512));
  // Host 0 (0.9) sheds its least-RAM VM to host 2 (0.5 -> 0.6); then host 1 (0.1)
  // is emptied onto host 2 (0.6 -> 0.7), the tightest fit; host 0 is excluded.
  EXPECT_EQ(plan_consolidation(pool), (std::vector<PlannedMigration>{{hot[0], 0, 2}, {cold, 1, 2}}));
  EXPECT_THROW(plan_consolidation(pool, {0.2, 0.8}), std::invalid_argument);
}
