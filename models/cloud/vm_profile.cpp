#include "models/cloud/vm_profile.h"

#include <cmath>

namespace cbsim::models::cloud {

namespace {
// Felter et al., "An Updated Performance Comparison of Virtual Machines and
// Linux Containers", IBM RC25482 (2014): KVM vs native Linpack -2 % tuned, up
// to -17 % untuned; netperf TCP_RR round trip +30 us or more (so about 15 us
// each way); random I/O about half of native; Docker close to native except
// with NAT networking.
constexpr const char* kFelter = "Felter et al., IBM RC25482 (2014)";
// Mao & Humphrey, "A Performance Study on the VM Startup Time in the Cloud",
// IEEE CLOUD 2012: Linux VMs on EC2 took about 97 s on average to start.
constexpr const char* kMao = "Mao & Humphrey, IEEE CLOUD 2012";
}  // namespace

const std::vector<VmProfile>& vm_profiles() {
  static const std::vector<VmProfile> profiles = {
      {"bare-metal", 0.0, 0.0, 1.0, 0.0, 0.0, "native: the reference"},
      {"kvm-tuned", 0.02, 15e-6, 0.5, 97.0, 150.0,
       std::string(kFelter) + " (CPU, latency, I/O); " + kMao + " (boot); memory overhead assumed (QEMU process)"},
      {"kvm-default", 0.17, 15e-6, 0.5, 97.0, 150.0,
       std::string(kFelter) + " (untuned CPU, latency, I/O); " + kMao + " (boot); memory overhead assumed"},
      {"xen", 0.03, 20e-6, 0.6, 97.0, 150.0,
       "assumed, between KVM tuned and untuned (Barham et al., SOSP 2003: CPU-bound work within a few % of native); "
       "boot " + std::string(kMao)},
      {"esxi", 0.03, 15e-6, 0.7, 97.0, 150.0,
       "assumed, close to KVM tuned (paravirtual devices); boot " + std::string(kMao)},
      {"docker", 0.0, 0.0, 1.0, 1.0, 10.0,
       std::string(kFelter) + ": host networking close to native; start about a second and a small runtime "
                              "footprint (assumed)"},
      {"docker-nat", 0.0, 15e-6, 1.0, 1.0, 10.0,
       std::string(kFelter) + ": NAT adds latency comparable to KVM's; start and footprint assumed"},
      {"firecracker", 0.05, 60e-6, 0.8, 0.125, 5.0,
       "Firecracker specification: guest CPU > 95 % of bare metal, about 0.06 ms added network latency, boot to "
       "guest init <= 125 ms, <= 5 MiB memory overhead per microVM; I/O factor assumed"},
  };
  return profiles;
}

std::uint64_t VmProfile::host_memory_mb(double guest_ram_mb) const {
  return static_cast<std::uint64_t>(std::ceil(guest_ram_mb + memory_overhead_mb));
}

const VmProfile* find_vm_profile(std::string_view name) {
  for (const VmProfile& p : vm_profiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<std::string> vm_profile_names() {
  std::vector<std::string> names;
  for (const VmProfile& p : vm_profiles()) names.push_back(p.name);
  return names;
}

}  // namespace cbsim::models::cloud
