#include "models/cloud/provisioning.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <stdexcept>

namespace cbsim::models::cloud {

std::vector<ProvisioningTimes> provision(const std::vector<double>& requested_s, const ProvisioningSteps& steps) {
  if (steps.parallel == 0 || steps.create_disk_s < 0.0 || steps.create_nic_s < 0.0 || steps.create_vm_s < 0.0 ||
      steps.boot_s < 0.0)
    throw std::invalid_argument("provision: parallel must be >= 1 and durations >= 0");
  // Dates at which each control-plane slot becomes free.
  std::priority_queue<double, std::vector<double>, std::greater<>> slots;
  for (std::uint32_t i = 0; i < steps.parallel; ++i) slots.push(0.0);
  std::vector<ProvisioningTimes> out;
  out.reserve(requested_s.size());
  double previous = requested_s.empty() ? 0.0 : requested_s.front();
  for (const double requested : requested_s) {
    if (requested < previous) throw std::invalid_argument("provision: request times must not decrease");
    previous = requested;
    const double start = std::max(requested, slots.top());
    slots.pop();
    ProvisioningTimes t;
    t.requested_s = requested;
    t.disk_ready_s = start + steps.create_disk_s;
    t.nic_ready_s = t.disk_ready_s + steps.create_nic_s;
    t.vm_created_s = t.nic_ready_s + steps.create_vm_s;
    t.running_s = t.vm_created_s + steps.boot_s;
    slots.push(t.vm_created_s);
    out.push_back(t);
  }
  return out;
}

}  // namespace cbsim::models::cloud
