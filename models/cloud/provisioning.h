#pragma once
// Starting a VM the way cloud APIs do it (OpenStack, Azure): create its disk,
// then its network interface, then the VM itself, then boot it. The first
// three are control-plane operations that the provider runs a limited number
// of at a time (requests wait for a free slot, first come first served); the
// boot runs on the host, in parallel with everything else.

#include <cstdint>
#include <vector>

namespace cbsim::models::cloud {

struct ProvisioningSteps {
  double create_disk_s = 0.0;
  double create_nic_s = 0.0;
  double create_vm_s = 0.0;
  double boot_s = 0.0;          // the virtualization profile's boot time
  std::uint32_t parallel = 1;   // control-plane operations in progress at once, >= 1
};

// When each step of one VM's provisioning ended.
struct ProvisioningTimes {
  double requested_s = 0.0;
  double disk_ready_s = 0.0;
  double nic_ready_s = 0.0;
  double vm_created_s = 0.0;
  double running_s = 0.0;
  double latency_s() const { return running_s - requested_s; }
};

// One entry per request, in the order given; `requested_s` must not decrease.
// Throws std::invalid_argument for parallel 0, a negative duration or
// decreasing request times.
std::vector<ProvisioningTimes> provision(const std::vector<double>& requested_s, const ProvisioningSteps& steps);

}  // namespace cbsim::models::cloud
