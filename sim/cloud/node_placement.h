#pragma once
// Where the nodes' VMs start: on the scenario's physical hosts (cloud.hosts,
// with cloud.placement's policy from models/cloud/placement.h), beside the
// co-tenants' VMs, within the over-commit ratio; and, with cloud.datacenters,
// which region each node is then in.

#include <cstdint>
#include <vector>

#include "models/cloud/host.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// Each host's specification as the cloud models see it (MIPS are a scale:
// 1,000 per core and per vCPU, so a vCPU is at most one core); a VM's memory
// is cloud.vm_ram_mb plus the profile's overhead.
models::cloud::HostSpec cloud_host_spec(const scenario::Scenario& s);
models::cloud::VmRequest node_vm_request(const scenario::Scenario& s);
models::cloud::VmRequest co_tenant_vm_request(const scenario::Scenario& s);

// The host of each node, or empty when cloud.hosts is 0 (a machine per node).
std::vector<int> place_nodes(const scenario::Scenario& s);

// The region (index in network.regions' table) of each node's datacenter, or
// empty without cloud.datacenters.
std::vector<std::uint32_t> node_datacenter_regions(const scenario::Scenario& s);

}  // namespace cbsim::sim
