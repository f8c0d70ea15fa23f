#pragma once
// Virtualization profiles: what running a node in a VM or container costs,
// as data with its sources. SimGrid applies no overhead to its VMs
// (SIMGRID-NOTES.md), so cbsim applies these itself: every CPU execution on
// the VM takes 1 / (1 - cpu_slowdown) as long, every message to or from it
// takes added_latency_s longer, storage runs at io_factor of native speed;
// starting it takes boot_s, and it holds memory_overhead_mb beyond its guest.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::models::cloud {

struct VmProfile {
  std::string name;
  double cpu_slowdown = 0.0;        // fraction of CPU throughput lost (0.02 = 2 %)
  double added_latency_s = 0.0;     // per message, each way
  double io_factor = 1.0;           // storage throughput as a fraction of native
  double boot_s = 0.0;              // from start to the guest running
  double memory_overhead_mb = 0.0;  // per VM, on its host
  std::string source;               // where the numbers come from (and which are assumptions)

  // How much longer CPU-bound work takes than on bare metal.
  double cpu_time_factor() const { return 1.0 / (1.0 - cpu_slowdown); }
  // What a VM of this profile with `guest_ram_mb` takes of its host's memory, whole MB.
  std::uint64_t host_memory_mb(double guest_ram_mb) const;
};

// bare-metal, kvm-tuned, kvm-default, xen, esxi, docker, docker-nat, firecracker.
const std::vector<VmProfile>& vm_profiles();
const VmProfile* find_vm_profile(std::string_view name);
std::vector<std::string> vm_profile_names();

}  // namespace cbsim::models::cloud
