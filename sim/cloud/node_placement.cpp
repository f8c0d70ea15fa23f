#include "sim/cloud/node_placement.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/cloud/host_pool.h"
#include "models/network/regions.h"
#include "models/random/rng.h"
#include "sim/cloud/node_hosting.h"

namespace cbsim::sim {

namespace cloud = models::cloud;

namespace {
constexpr std::uint64_t kMipsPerCore = 1000;

std::uint64_t vm_memory_mb(const scenario::Scenario& s) { return node_vm_profile(s).host_memory_mb(s.cloud.vm_ram_mb); }
}  // namespace

cloud::HostSpec cloud_host_spec(const scenario::Scenario& s) {
  return {static_cast<std::uint32_t>(s.cloud.host_cores), kMipsPerCore,
          static_cast<std::uint64_t>(std::floor(s.cloud.host_ram_mb)),
          static_cast<std::uint64_t>(s.cloud.host_bandwidth_mbps)};
}

cloud::VmRequest node_vm_request(const scenario::Scenario& s) {
  return {static_cast<std::uint32_t>(s.cloud.vm_vcpus), kMipsPerCore, vm_memory_mb(s), 0};
}

cloud::VmRequest co_tenant_vm_request(const scenario::Scenario& s) {
  return {static_cast<std::uint32_t>(s.cloud.co_tenant_vcpus), kMipsPerCore, vm_memory_mb(s), 0};
}

std::vector<int> place_nodes(const scenario::Scenario& s) {
  if (s.cloud.hosts == 0) return {};
  cloud::HostPool pool(std::vector<cloud::HostSpec>(static_cast<std::size_t>(s.cloud.hosts), cloud_host_spec(s)),
                       cloud::Overcommit{s.cloud.cpu_overcommit, 1.0});
  // The co-tenants were there first, the same number on every host (round
  // robin over an empty pool puts VM i on host i mod hosts).
  cloud::RoundRobinPolicy spread;
  for (int i = 0; i < s.cloud.hosts * s.cloud.co_tenants; ++i)
    if (!pool.place(co_tenant_vm_request(s), spread))
      throw std::logic_error("a host cannot hold its co-tenants");  // checked at load
  auto policy = cloud::make_placement_policy(s.cloud.placement, models::random::Rng(s.seed, "placement"));
  const cloud::VmRequest vm = node_vm_request(s);
  std::vector<int> node_host;
  for (int i = 0; i < s.nodes.count; ++i) {
    const auto placed = pool.place(vm, *policy);
    if (!placed) throw std::logic_error("the hosts cannot hold every node");  // the loader checked capacity
    node_host.push_back(static_cast<int>(placed->host));
  }
  return node_host;
}

std::vector<std::uint32_t> node_datacenter_regions(const scenario::Scenario& s) {
  if (s.cloud.datacenters.empty()) return {};
  const models::network::RegionTable& table = models::network::region_table(s.network.regions);
  std::vector<std::uint32_t> datacenter_region;
  for (const std::string& name : s.cloud.datacenters) {
    const auto it = std::find_if(table.regions.begin(), table.regions.end(),
                                 [&](const models::network::Region& r) { return r.name == name; });
    if (it == table.regions.end()) throw std::logic_error("unknown datacenter region " + name);  // checked at load
    datacenter_region.push_back(static_cast<std::uint32_t>(it - table.regions.begin()));
  }
  std::vector<std::uint32_t> regions;
  for (const int host : place_nodes(s)) regions.push_back(datacenter_region[static_cast<std::size_t>(host) % datacenter_region.size()]);
  return regions;
}

}  // namespace cbsim::sim
