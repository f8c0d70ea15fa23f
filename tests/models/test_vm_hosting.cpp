// Allocated VMs on the provider's hosts (models/allocation/vm_hosting.h):
// provisioned when decided through the control plane's slots, late when
// still booting at their window's start, deleted at its end; hosts draw the
// SPECpower table's power at their VMs' share of vCPUs while they hold one.

#include <gtest/gtest.h>

#include "models/allocation/vm_hosting.h"

namespace cbsim::models::allocation {
namespace {

const cloud::PowerModel& ml110() {
  static const cloud::PowerModel p(*cloud::find_power_table("hp-ml110-g5"));
  return p;
}

PlacedVm vm(std::uint32_t id, double decided, double start, double end, std::uint32_t vcpus, std::uint32_t host = 0) {
  AllocationRequest r;
  r.id = id;
  r.arrival_s = decided;
  r.start_s = start;
  r.end_s = end;
  r.vcpus = vcpus;
  return {r, host, decided};
}

const cloud::ProvisioningSteps kSteps{.create_disk_s = 10, .create_nic_s = 10, .create_vm_s = 10, .boot_s = 5, .parallel = 1};

TEST(VmHosting, AHostDrawsIdlePowerUntilTheWindowThenItsLoadUntilTheEnd) {
  const HostingOutcome h = host_vms({vm(0, 0, 100, 3700, 4)}, kSteps, 2, 16, ml110());
  EXPECT_DOUBLE_EQ(h.running_s[0], 35.0);
  EXPECT_TRUE(h.in_time[0]);
  // Host 0 on from the decision (0 s) to the end; host 1 never on.
  const double expected = (ml110().power_w(0.0) * 100 + ml110().power_w(0.25) * 3600) / 3.6e6;
  EXPECT_NEAR(h.energy_kwh, expected, 1e-12);
  EXPECT_NEAR(h.host_hours_on, 3700.0 / 3600.0, 1e-12);
  EXPECT_EQ(h.peak_vms, 1u);
}

TEST(VmHosting, TheControlPlaneQueuesVmsAndTheLastOnesAreLate) {
  // One slot: the three VMs' 30 s of control-plane work run one after the other.
  const HostingOutcome h =
      host_vms({vm(0, 0, 60, 600, 2), vm(1, 0, 60, 600, 2), vm(2, 0, 60, 600, 2, 1)}, kSteps, 2, 16, ml110());
  EXPECT_DOUBLE_EQ(h.running_s[0], 35.0);
  EXPECT_DOUBLE_EQ(h.running_s[1], 65.0);
  EXPECT_DOUBLE_EQ(h.running_s[2], 95.0);
  EXPECT_TRUE(h.in_time[0]);
  EXPECT_FALSE(h.in_time[1]);
  EXPECT_FALSE(h.in_time[2]);
  EXPECT_EQ(h.peak_vms, 3u);
  // A late VM serves nobody: host 1 holds it idle; host 0 carries one VM's 2 vCPUs.
  const double expected = (ml110().power_w(0.0) * 60 + ml110().power_w(2.0 / 16) * 540 + ml110().power_w(0.0) * 600) / 3.6e6;
  EXPECT_NEAR(h.energy_kwh, expected, 1e-12);
  // With three slots they all run by 35 s.
  cloud::ProvisioningSteps wide = kSteps;
  wide.parallel = 3;
  const HostingOutcome w = host_vms({vm(0, 0, 60, 600, 2), vm(1, 0, 60, 600, 2), vm(2, 0, 60, 600, 2, 1)}, wide, 2, 16, ml110());
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(w.in_time[i]) << i;
}

TEST(VmHosting, ADeletedVmFreesItsHostWhichTurnsOff) {
  // Back to back on one host, then a gap during which the host is off: each
  // VM idles from its decision to its window (100 s), then loads the host.
  const HostingOutcome h = host_vms({vm(0, 0, 100, 200, 16), vm(1, 200, 300, 400, 16), vm(2, 1000, 1100, 1200, 8)},
                                    kSteps, 1, 16, ml110());
  EXPECT_EQ(h.peak_vms, 1u);
  EXPECT_NEAR(h.host_hours_on, (400.0 + 200.0) / 3600.0, 1e-12);
  const double expected =
      (ml110().power_w(0.0) * 300 + ml110().power_w(1.0) * 200 + ml110().power_w(0.5) * 100) /
      3.6e6;
  EXPECT_NEAR(h.energy_kwh, expected, 1e-12);
  EXPECT_THROW(host_vms({vm(0, 0, 100, 200, 1, 5)}, kSteps, 1, 16, ml110()), std::invalid_argument);
}

}  // namespace
}  // namespace cbsim::models::allocation
