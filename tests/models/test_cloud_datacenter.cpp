#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/cloud/co_tenant_load.h"
#include "models/cloud/cpu_share.h"
#include "models/cloud/datacenter_timeline.h"
#include "models/cloud/provisioning.h"

using namespace cbsim::models::cloud;

// --- max-min sharing ---------------------------------------------------------

TEST(CpuShare, WithoutContentionEveryClaimGetsItsCap) {
  const auto s = max_min_shares(4.0, {{2, 0.5}, {2, 0.5}, {1, 1.0}, {2, 2.0}});  // caps sum to exactly 4
  EXPECT_DOUBLE_EQ(s[0], 0.5);
  EXPECT_DOUBLE_EQ(s[1], 0.5);
  EXPECT_DOUBLE_EQ(s[2], 1.0);
  EXPECT_DOUBLE_EQ(s[3], 2.0);
}

TEST(CpuShare, EqualWeightsSplitTheCoresEvenly) {
  const auto s = max_min_shares(4.0, std::vector<CpuClaim>(6, CpuClaim{1, 1}));
  for (double x : s) EXPECT_DOUBLE_EQ(x, 4.0 / 6.0);
}

// Three co-tenants of 2 vCPUs asking for 1.6 cores each and a node asking for
// 1: lambda = 4 / 7, so 8/7 cores per co-tenant and 4/7 for the node.
TEST(CpuShare, ContendedClaimsGetWeightTimesLambda) {
  const auto s = max_min_shares(4.0, {{2, 1.6}, {2, 1.6}, {2, 1.6}, {1, 1}});
  EXPECT_NEAR(s[0], 8.0 / 7.0, 1e-12);
  EXPECT_NEAR(s[3], 4.0 / 7.0, 1e-12);
  EXPECT_NEAR(std::accumulate(s.begin(), s.end(), 0.0), 4.0, 1e-12);
}

// Small claims saturate first and leave their unused part to the others: the
// first takes its 0.2 (lambda would give it 4/5 x 2); then lambda = 3.8 / 3
// exceeds the third claim's cap of 1, which saturates too; the second takes
// the remaining 2.8.
TEST(CpuShare, CappedClaimsSaturateFirst) {
  const auto s = max_min_shares(4.0, {{2, 0.2}, {2, 4.0}, {1, 1.0}});
  EXPECT_DOUBLE_EQ(s[0], 0.2);
  EXPECT_NEAR(s[1], 2.8, 1e-12);
  EXPECT_DOUBLE_EQ(s[2], 1.0);
}

TEST(CpuShare, RejectsInvalidClaims) {
  EXPECT_THROW(max_min_shares(-1, {}), std::invalid_argument);
  EXPECT_THROW(max_min_shares(1, {{0, 1}}), std::invalid_argument);
  EXPECT_THROW(max_min_shares(1, {{1, -1}}), std::invalid_argument);
}

// --- co-tenant load ----------------------------------------------------------

// Uniform on [0.3, 0.7]: mean 0.5, standard deviation 0.2 / sqrt(3); the mean
// of 100,000 draws is within 4 standard errors (0.00073) of 0.5.
TEST(CoTenantLoad, DrawsAreUniformAroundTheMeanAndRepeatable) {
  const CoTenantLoad load({.vms_per_host = 1, .vcpus = 2, .mean_utilization = 0.5, .spread = 0.2, .step_s = 300, .seed = 7});
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = load.utilization(static_cast<std::size_t>(i % 100), static_cast<std::size_t>(i / 100));
    ASSERT_GE(u, 0.3);
    ASSERT_LE(u, 0.7);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 4 * (0.2 / std::sqrt(3.0)) / std::sqrt(n));
  EXPECT_EQ(load.utilization(42, 17), load.utilization(42, 17));
  EXPECT_DOUBLE_EQ(load.demand_cores(42, 17), 2 * load.utilization(42, 17));
  const CoTenantLoad other({.vms_per_host = 1, .vcpus = 2, .mean_utilization = 0.5, .spread = 0.2, .step_s = 300, .seed = 8});
  EXPECT_NE(load.utilization(42, 17), other.utilization(42, 17));
  EXPECT_EQ(load.step_at(599.9), 1u);
  EXPECT_THROW(CoTenantLoad({.step_s = 0}), std::invalid_argument);
}

// --- provisioning --------------------------------------------------------------

// Two control-plane slots, 6 s of control-plane work per VM: VMs 0-1 are
// created at 6 s, 2-3 at 12 s, 4 at 18 s; each runs after a 10 s boot.
TEST(Provisioning, ControlPlaneSlotsQueueRequestsAndBootsRunInParallel) {
  const ProvisioningSteps steps{.create_disk_s = 3, .create_nic_s = 1, .create_vm_s = 2, .boot_s = 10, .parallel = 2};
  const auto t = provision({0, 0, 0, 0, 0}, steps);
  const double created[] = {6, 6, 12, 12, 18};
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_DOUBLE_EQ(t[i].vm_created_s, created[i]);
    EXPECT_DOUBLE_EQ(t[i].running_s, created[i] + 10);
    EXPECT_DOUBLE_EQ(t[i].disk_ready_s, created[i] - 3);
    EXPECT_DOUBLE_EQ(t[i].nic_ready_s, created[i] - 2);
  }
  // A request after the queue has drained starts at once.
  const auto late = provision({0, 100}, steps);
  EXPECT_DOUBLE_EQ(late[1].latency_s(), 16);
  EXPECT_THROW(provision({5, 1}, steps), std::invalid_argument);
  EXPECT_THROW(provision({0}, {.parallel = 0}), std::invalid_argument);
}

// --- the datacenter through time ------------------------------------------------

namespace {

DatacenterSpec two_hosts(std::uint32_t co_tenants, double utilization) {
  DatacenterSpec spec;
  spec.hosts.assign(2, HostSpec{16, 1000, 1u << 20, 10000});
  spec.node_vm = VmRequest{2, 1000, 4096, 0};
  spec.node_host = {0, 1};
  spec.co_tenants = {.vms_per_host = co_tenants, .vcpus = 4, .mean_utilization = utilization, .spread = 0.0,
                     .step_s = 300, .seed = 1};
  spec.migration = PreCopyParameters{4096, 125, 10, 0.0, 30};
  spec.max_downtime_s = 1.0 / 125;  // stop-and-copy once 1 MB or less is left
  return spec;
}

const PowerModel kPower(*find_power_table("hp-ml110-g5"));

}  // namespace

TEST(DatacenterTimeline, AloneANodeComputesAtFullSpeedWithoutSteal) {
  DatacenterTimeline dc(two_hosts(0, 0.0));
  EXPECT_DOUBLE_EQ(dc.finish_time(0, 10.0, 2.5), 12.5);
  EXPECT_DOUBLE_EQ(dc.finish_time(1, 299.0, 2.0), 301.0);  // across a step boundary
  EXPECT_DOUBLE_EQ(dc.steal_s(), 0.0);
  // Idle hosts holding one VM each draw the table's idle power: 93.7 W for an hour.
  const auto usage = dc.host_usage(3600.0, kPower);
  EXPECT_NEAR(usage[0].energy_kwh, 0.0937, 0.0937 * 0.001);  // 2.5 core-seconds of work add 0.3 mWh
  EXPECT_DOUBLE_EQ(usage[0].node_busy_core_s, 2.5);
  EXPECT_DOUBLE_EQ(usage[0].overloaded_s, 0.0);
}

// Five co-tenants of 4 vCPUs each asking for all of them (20 cores on 16): the
// node gets 16 / 21 of a core, its work takes 21/16 as long, and the host
// is overloaded all the time (SLATAH 1) at 135 W.
TEST(DatacenterTimeline, CoTenantsStealFromANodeOnAnOverloadedHost) {
  DatacenterTimeline dc(two_hosts(5, 1.0));
  EXPECT_NEAR(dc.finish_time(0, 0.0, 16.0), 21.0, 1e-9);
  EXPECT_NEAR(dc.steal_s(), 5.0, 1e-9);
  const auto usage = dc.host_usage(3600.0, kPower);
  EXPECT_DOUBLE_EQ(usage[0].overloaded_s, 3600.0);
  EXPECT_NEAR(usage[0].mean_utilization(), 1.0, 1e-9);
  EXPECT_NEAR(usage[0].energy_kwh, 0.135, 1e-9);
}

// Each host holds one node VM: 2 of 16 cores = 12.5 %, below the 20 % lower
// threshold. At the first consolidation (t = 300 s) host 0, the first of the
// equally underloaded hosts, is emptied onto host 1: a pre-copy migration of
// 4,096 MB at 125 MB/s dirtying 10 MB/s; afterwards host 0 is switched off.
TEST(DatacenterTimeline, ConsolidationMigratesAnUnderloadedHostsNodeAndSwitchesItOff) {
  DatacenterSpec spec = two_hosts(0, 0.0);
  spec.consolidation_interval_s = 300;
  DatacenterTimeline dc(spec);
  PreCopyParameters alone = spec.migration;
  alone.stop_copy_threshold_mb = 1.0;
  const PreCopyResult expected = pre_copy_migration(alone);
  EXPECT_EQ(dc.node_host_at(0, 299.0), 0u);
  const auto& migrations = dc.migrations_until(300.0);
  ASSERT_EQ(migrations.size(), 1u);
  const VmMigration m = migrations[0];
  EXPECT_TRUE(m.node);
  EXPECT_EQ(m.vm, 0u);
  EXPECT_EQ(m.from, 0u);
  EXPECT_EQ(m.to, 1u);
  EXPECT_DOUBLE_EQ(m.decided_s, 300.0);
  EXPECT_DOUBLE_EQ(m.start_s, 300.0);
  EXPECT_DOUBLE_EQ(m.end_s, 300.0 + expected.total_time_s);
  EXPECT_DOUBLE_EQ(m.downtime_s, expected.downtime_s);
  EXPECT_EQ(dc.node_host_at(0, m.end_s - 1e-6), 0u);
  EXPECT_EQ(dc.node_host_at(0, m.end_s), 1u);
  // Work started with the migration runs at 90 % until the pause, stops
  // during it, then runs at full speed on the new host.
  const double pre_copy = expected.total_time_s - expected.downtime_s;
  const double work = 0.9 * pre_copy + 1.0;
  EXPECT_NEAR(dc.finish_time(0, 300.0, work), m.end_s + 1.0, 1e-9);
  EXPECT_NEAR(dc.steal_s(), 0.1 * pre_copy + expected.downtime_s, 1e-9);
  // Host 0 is on until the step in which the migration ended, then off.
  const auto usage = dc.host_usage(3600.0, kPower);
  EXPECT_DOUBLE_EQ(usage[0].active_s, 600.0);
  EXPECT_DOUBLE_EQ(usage[1].active_s, 3600.0);
  EXPECT_EQ(dc.migrations_until(3600.0).size(), 1u);  // one host left: nothing more to consolidate
}

// A host that is down is off, holds no VM that consolidation could move, and
// is never a target.
TEST(DatacenterTimeline, AHostOutageSwitchesTheHostOffAndKeepsConsolidationAway) {
  DatacenterSpec spec = two_hosts(0, 0.0);
  spec.consolidation_interval_s = 300;
  spec.outages = {HostOutage{1, 0.0, 0.0}};
  DatacenterTimeline dc(spec);
  EXPECT_TRUE(dc.migrations_until(3600.0).empty());
  const auto usage = dc.host_usage(3600.0, kPower);
  EXPECT_DOUBLE_EQ(usage[1].active_s, 0.0);
  EXPECT_DOUBLE_EQ(usage[1].energy_kwh, 0.0);
  EXPECT_DOUBLE_EQ(usage[0].active_s, 3600.0);
}

TEST(DatacenterTimeline, RejectsAnIntervalThatIsNotAWholeNumberOfSteps) {
  DatacenterSpec spec = two_hosts(0, 0.0);
  spec.consolidation_interval_s = 450;
  EXPECT_THROW(DatacenterTimeline{spec}, std::invalid_argument);
}

// Three hosts with a node each: the first consolidation empties hosts 0 and 2
// into host 1. Host 1 takes part in one migration at a time, so the second
// waits for the first and both run at the whole NIC's bandwidth.
TEST(DatacenterTimeline, AHostTakesPartInOneMigrationAtATime) {
  DatacenterSpec spec = two_hosts(0, 0.0);
  spec.hosts.push_back(spec.hosts[0]);
  spec.node_host = {0, 1, 2};
  spec.consolidation_interval_s = 300;
  DatacenterTimeline dc(spec);
  const auto& migrations = dc.migrations_until(300.0);
  ASSERT_EQ(migrations.size(), 2u);
  const double one = migrations[0].end_s - migrations[0].start_s;
  EXPECT_EQ(migrations[0].to, 1u);
  EXPECT_EQ(migrations[1].to, 1u);
  EXPECT_DOUBLE_EQ(migrations[1].decided_s, 300.0);
  EXPECT_DOUBLE_EQ(migrations[1].start_s, migrations[0].end_s);
  EXPECT_DOUBLE_EQ(migrations[1].end_s - migrations[1].start_s, one);
  EXPECT_EQ(dc.node_host_at(migrations[1].vm, migrations[1].end_s - 1e-6), migrations[1].from);
}

// A CPU cap of half a core: alone, work takes twice as long, and none of it
// is steal. Beside co-tenants wanting 6 of 4 cores, max-min gives the capped
// node its half core (lambda = 4/7 is above it), so still no steal.
TEST(DatacenterTimeline, ACpuCapSlowsANodeButIsNotSteal) {
  DatacenterSpec alone = two_hosts(0, 0.0);
  alone.node_cpu_cap = 0.5;
  DatacenterTimeline a(alone);
  EXPECT_NEAR(a.finish_time(0, 10.0, 3.0), 16.0, 1e-12);
  EXPECT_NEAR(a.steal_s(), 0.0, 1e-12);
  DatacenterSpec crowded = two_hosts(0, 0.0);
  crowded.hosts.assign(2, HostSpec{4, 1000, 1u << 20, 10000});
  crowded.node_vm = VmRequest{1, 1000, 4096, 0};
  crowded.overcommit = {2.0, 1.0};
  crowded.co_tenants = {.vms_per_host = 3, .vcpus = 2, .mean_utilization = 1.0, .spread = 0.0, .step_s = 300, .seed = 1};
  crowded.node_cpu_cap = 0.5;
  DatacenterTimeline c(crowded);
  EXPECT_NEAR(c.finish_time(0, 0.0, 1.0), 2.0, 1e-9);
  EXPECT_NEAR(c.steal_s(), 0.0, 1e-9);
}
