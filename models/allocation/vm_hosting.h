#pragma once
// What happens on the provider's hosts once a mechanism has decided: each
// accepted request's VM is provisioned when its decision is known (create
// disk, NIC and VM through the control plane's limited slots, then boot:
// models/cloud/provisioning.h), runs on its host until its window ends, and
// is then deleted, which frees the host. A VM still booting when its window
// begins is late: the tenant is not served, and the host held it anyway; a
// VM decided after its window began is not created at all (running_s 0,
// not in time).
// Hosts draw power (models/cloud/power_model.h) while they hold a VM, at the
// share of their vCPUs the VMs in their windows use; an empty host is off.

#include <cstdint>
#include <vector>

#include "models/allocation/request.h"
#include "models/cloud/power_model.h"
#include "models/cloud/provisioning.h"

namespace cbsim::models::allocation {

struct PlacedVm {
  AllocationRequest request;
  std::uint32_t host = 0;
  double decided_s = 0.0;  // when the provider learns of it (provisioning begins)
};

struct HostingOutcome {
  std::vector<double> running_s;  // per placed VM, in the order given
  std::vector<bool> in_time;      // running by its window's start
  double energy_kwh = 0.0;
  std::size_t peak_vms = 0;       // VMs existing at once (booting or running)
  double host_hours_on = 0.0;     // hours hosts spent holding at least one VM
};

// Throws std::invalid_argument for a host index >= hosts or host_vcpus 0.
HostingOutcome host_vms(const std::vector<PlacedVm>& vms, const cloud::ProvisioningSteps& steps, std::uint32_t hosts,
                        std::uint32_t host_vcpus, const cloud::PowerModel& power);

}  // namespace cbsim::models::allocation
