#include "sim/cloud/node_hosting.h"

#include <stdexcept>

namespace cbsim::sim {

const models::cloud::VmProfile& node_vm_profile(const scenario::Scenario& s) {
  const models::cloud::VmProfile* p = models::cloud::find_vm_profile(s.cloud.vm_profile);
  if (p == nullptr) throw std::logic_error("unknown VM profile " + s.cloud.vm_profile);  // the loader checked it
  return *p;
}

models::cloud::ProvisioningSteps provisioning_steps(const scenario::Scenario& s) {
  return {.create_disk_s = s.cloud.create_disk_s,
          .create_nic_s = s.cloud.create_nic_s,
          .create_vm_s = s.cloud.create_vm_s,
          .boot_s = node_vm_profile(s).boot_s,
          .parallel = static_cast<std::uint32_t>(s.cloud.provisioning_parallel)};
}

double node_cpu_hz(const scenario::Scenario& s) { return s.nodes.cpu_hz * (1.0 - node_vm_profile(s).cpu_slowdown); }

double storage_write_s(const scenario::Scenario& s, double bytes) {
  const double rate = s.costs.storage_write_mb_per_s;
  return rate > 0.0 ? bytes / (rate * 1e6 * node_vm_profile(s).io_factor) : 0.0;
}

std::vector<double> endpoint_message_overhead_s(const scenario::Scenario& s, std::size_t endpoints) {
  std::vector<double> overhead(endpoints, 0.0);
  const double added = node_vm_profile(s).added_latency_s;
  for (std::size_t i = 0; i < endpoints && i < static_cast<std::size_t>(s.nodes.count); ++i) overhead[i] = added;
  return overhead;
}

}  // namespace cbsim::sim
