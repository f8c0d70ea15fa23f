#pragma once
// What the scenario's cloud section does to the nodes' computation and
// messages: the VM profile's CPU slowdown lowers the speed a node computes at;
// its added latency is paid at each end of every message a node sends or
// receives (a committee's clients run outside the cloud).

#include <vector>

#include "models/cloud/provisioning.h"
#include "models/cloud/vm_profile.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

const models::cloud::VmProfile& node_vm_profile(const scenario::Scenario& s);
// Creating a VM's disk, NIC and the VM through cloud.provisioning_parallel
// control-plane slots, then booting it with the nodes' VM profile.
models::cloud::ProvisioningSteps provisioning_steps(const scenario::Scenario& s);
// nodes.cpu_hz x (1 - slowdown): CPU-bound work takes 1 / (1 - slowdown) as long.
double node_cpu_hz(const scenario::Scenario& s);
// Seconds to write `bytes` to a node's disk: costs.storage_write_mb_per_s
// times the VM profile's I/O factor (0 when storage is not modelled).
double storage_write_s(const scenario::Scenario& s, double bytes);
// Per endpoint (nodes first, then other endpoints such as clients): seconds
// added to every message it sends or receives.
std::vector<double> endpoint_message_overhead_s(const scenario::Scenario& s, std::size_t endpoints);

}  // namespace cbsim::sim
