#pragma once
// A datacenter's hosts and the VMs placed on them: places through a policy,
// releases on VM expiry or stop, moves VMs (consolidation), reports utilization.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "models/cloud/host.h"
#include "models/cloud/placement.h"

namespace cbsim::models::cloud {

using VmId = std::uint64_t;

struct Placement {
  VmId vm = 0;
  HostId host = 0;
};

struct Utilization {
  double cpu = 0.0;  // allocated MIPS / physical MIPS
  double ram = 0.0;  // allocated RAM / physical RAM
};

class HostPool {
public:
  explicit HostPool(const std::vector<HostSpec>& hosts, Overcommit overcommit = {});

  // Nothing when no host fits (the pool is unchanged). Ids count up from 0.
  std::optional<Placement> place(const VmRequest& vm, PlacementPolicy& policy);
  // False when the VM is unknown (already released, or never placed).
  bool release(VmId vm);
  // False (and nothing moves) when the VM is unknown, already on `to`, or does not fit there.
  bool migrate(VmId vm, HostId to);

  const std::vector<Host>& hosts() const { return hosts_; }
  std::size_t vm_count() const { return vms_.size(); }
  std::optional<HostId> host_of(VmId vm) const;
  const VmRequest& request_of(VmId vm) const;  // throws std::out_of_range if unknown
  const std::set<VmId>& vms_on(HostId host) const { return vms_by_host_.at(host); }

  Utilization utilization(HostId host) const;
  // Totals over all hosts (allocated sum / physical sum), not a mean of ratios,
  // so a big host weighs more than a small one.
  Utilization overall_utilization() const;

private:
  struct PlacedVm {
    VmRequest request;
    HostId host;
  };
  std::vector<Host> hosts_;
  std::vector<std::set<VmId>> vms_by_host_;
  std::map<VmId, PlacedVm> vms_;
  VmId next_id_ = 0;
};

}  // namespace cbsim::models::cloud
