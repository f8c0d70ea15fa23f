#include "models/cloud/host_pool.h"

namespace cbsim::models::cloud {

HostPool::HostPool(const std::vector<HostSpec>& hosts, Overcommit overcommit) : vms_by_host_(hosts.size()) {
  hosts_.reserve(hosts.size());
  for (const auto& spec : hosts) hosts_.emplace_back(spec, overcommit);
}

std::optional<Placement> HostPool::place(const VmRequest& vm, PlacementPolicy& policy) {
  const auto host = policy.choose_host(hosts_, vm);
  if (!host) return std::nullopt;
  hosts_.at(*host).allocate(vm);
  const VmId id = next_id_++;
  vms_.emplace(id, PlacedVm{vm, *host});
  vms_by_host_[*host].insert(id);
  return Placement{id, *host};
}

bool HostPool::release(VmId vm) {
  const auto it = vms_.find(vm);
  if (it == vms_.end()) return false;
  hosts_[it->second.host].release(it->second.request);
  vms_by_host_[it->second.host].erase(vm);
  vms_.erase(it);
  return true;
}

bool HostPool::migrate(VmId vm, HostId to) {
  const auto it = vms_.find(vm);
  if (it == vms_.end() || to >= hosts_.size() || it->second.host == to || !hosts_[to].fits(it->second.request))
    return false;
  hosts_[it->second.host].release(it->second.request);
  vms_by_host_[it->second.host].erase(vm);
  hosts_[to].allocate(it->second.request);
  vms_by_host_[to].insert(vm);
  it->second.host = to;
  return true;
}

std::optional<HostId> HostPool::host_of(VmId vm) const {
  const auto it = vms_.find(vm);
  if (it == vms_.end()) return std::nullopt;
  return it->second.host;
}

const VmRequest& HostPool::request_of(VmId vm) const { return vms_.at(vm).request; }

Utilization HostPool::utilization(HostId host) const {
  const Host& h = hosts_.at(host);
  return {h.cpu_utilization(), h.ram_utilization()};
}

Utilization HostPool::overall_utilization() const {
  double mips = 0, physical_mips = 0, ram = 0, physical_ram = 0;
  for (const Host& h : hosts_) {
    mips += static_cast<double>(h.allocated_mips());
    physical_mips += static_cast<double>(h.physical_mips());
    ram += static_cast<double>(h.allocated_ram_mb());
    physical_ram += static_cast<double>(h.spec().ram_mb);
  }
  return {physical_mips == 0 ? 0.0 : mips / physical_mips, physical_ram == 0 ? 0.0 : ram / physical_ram};
}

}  // namespace cbsim::models::cloud
