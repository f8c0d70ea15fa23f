// The virtualization profiles and the SPECpower power tables: the published
// values they hold and how the cost model uses them.

#include <gtest/gtest.h>

#include "models/cloud/power_model.h"
#include "models/cloud/vm_profile.h"

namespace cbsim::models::cloud {
namespace {

TEST(VmProfiles, HoldTheEightProfilesWithTheirPublishedValues) {
  EXPECT_EQ(vm_profile_names(), (std::vector<std::string>{"bare-metal", "kvm-tuned", "kvm-default", "xen", "esxi",
                                                           "docker", "docker-nat", "firecracker"}));
  // Felter et al. 2014: Linpack -2 % tuned, -17 % untuned; TCP_RR +30 us per round trip.
  EXPECT_EQ(find_vm_profile("kvm-tuned")->cpu_slowdown, 0.02);
  EXPECT_EQ(find_vm_profile("kvm-default")->cpu_slowdown, 0.17);
  EXPECT_DOUBLE_EQ(2 * find_vm_profile("kvm-tuned")->added_latency_s, 30e-6);
  // Firecracker's specification: <= 125 ms boot, <= 5 MiB, > 95 % CPU, ~0.06 ms latency.
  const VmProfile& fc = *find_vm_profile("firecracker");
  EXPECT_LE(fc.boot_s, 0.125);
  EXPECT_LE(fc.memory_overhead_mb, 5.0);
  EXPECT_LE(fc.cpu_slowdown, 0.05);
  EXPECT_DOUBLE_EQ(fc.added_latency_s, 60e-6);
  EXPECT_EQ(find_vm_profile("nonesuch"), nullptr);
  for (const VmProfile& p : vm_profiles()) {
    SCOPED_TRACE(p.name);
    EXPECT_FALSE(p.source.empty());
    EXPECT_GE(p.cpu_slowdown, 0.0);
    EXPECT_LT(p.cpu_slowdown, 1.0);
  }
}

TEST(VmProfiles, CpuBoundWorkTakesOneOverOneMinusTheSlowdown) {
  // The validation rule: a slowdown s makes CPU-bound work 1 / (1 - s) as long.
  EXPECT_DOUBLE_EQ(find_vm_profile("bare-metal")->cpu_time_factor(), 1.0);
  EXPECT_DOUBLE_EQ(find_vm_profile("kvm-default")->cpu_time_factor(), 1.0 / 0.83);
}

TEST(PowerModel, MatchesTheSpecPowerTableAndInterpolatesBetweenItsSteps) {
  // REFERENCE.md: HP ProLiant ML110 G5, 93.7 W idle to 135 W at 100 %.
  const PowerModel ml110(*find_power_table("hp-ml110-g5"));
  EXPECT_DOUBLE_EQ(ml110.power_w(0.0), 93.7);
  EXPECT_DOUBLE_EQ(ml110.power_w(1.0), 135.0);
  EXPECT_DOUBLE_EQ(ml110.power_w(0.5), 116.0);             // a measured step
  EXPECT_DOUBLE_EQ(ml110.power_w(0.55), (116.0 + 121.0) / 2);  // halfway between 50 % and 60 %
  EXPECT_DOUBLE_EQ(ml110.power_w(1.7), 135.0);             // clamped
  // An idle host for an hour: 93.7 Wh; a fully loaded one: 135 Wh.
  EXPECT_NEAR(ml110.energy_kwh(0.0, 3600.0), 0.0937, 1e-12);
  EXPECT_NEAR(ml110.energy_kwh(1.0, 3600.0), 0.135, 1e-12);
  for (const PowerTable& t : power_tables()) {
    SCOPED_TRACE(t.name);
    for (std::size_t i = 1; i < t.watts.size(); ++i) EXPECT_GE(t.watts[i], t.watts[i - 1]);  // more load, more power
    EXPECT_NE(t.source.find("SPECpower"), std::string::npos);
  }
}

}  // namespace
}  // namespace cbsim::models::cloud
