#include "models/allocation/vm_hosting.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace cbsim::models::allocation {

HostingOutcome host_vms(const std::vector<PlacedVm>& vms, const cloud::ProvisioningSteps& steps, std::uint32_t hosts,
                        std::uint32_t host_vcpus, const cloud::PowerModel& power) {
  if (host_vcpus == 0) throw std::invalid_argument("host_vms: hosts need vCPUs");
  HostingOutcome out;
  out.running_s.assign(vms.size(), 0.0);
  out.in_time.assign(vms.size(), false);
  // The control plane serves requests first come, first served.
  std::vector<std::size_t> order(vms.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return vms[a].decided_s < vms[b].decided_s; });
  // A VM decided once its window has begun is not created (its tenant is
  // not served): it takes no control-plane slot and no host.
  std::erase_if(order, [&](std::size_t i) { return vms[i].decided_s > vms[i].request.start_s; });
  std::vector<double> requested;
  requested.reserve(order.size());
  for (const std::size_t i : order) requested.push_back(vms[i].decided_s);
  const std::vector<cloud::ProvisioningTimes> times = cloud::provision(requested, steps);
  std::vector<bool> created(vms.size(), false);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    created[i] = true;
    out.running_s[i] = times[k].running_s;
    out.in_time[i] = times[k].running_s <= vms[i].request.start_s;
  }

  // Per host, a sweep over the moments anything changes: a VM is created
  // (provisioning begins: the host is on), its window begins or ends (its
  // vCPUs load the host; at the end it is deleted). A late VM's tenant is
  // not served, so it loads nothing, but the host holds it until its end.
  struct Change {
    double at_s;
    int vms;       // VMs held
    int vcpus;     // vCPUs in use
  };
  std::vector<std::vector<Change>> changes(hosts);
  for (std::size_t i = 0; i < vms.size(); ++i) {
    const PlacedVm& v = vms[i];
    if (v.host >= hosts) throw std::invalid_argument("host_vms: a VM on a host that does not exist");
    if (!created[i]) continue;
    auto& c = changes[v.host];
    c.push_back({v.decided_s, +1, 0});
    c.push_back({v.request.end_s, -1, 0});
    if (out.in_time[i]) {
      const auto n = static_cast<int>(v.request.vcpus);
      c.push_back({v.request.start_s, 0, +n});
      c.push_back({v.request.end_s, 0, -n});
    }
  }
  std::vector<Change> all;
  for (auto& c : changes) {
    std::stable_sort(c.begin(), c.end(), [](const Change& a, const Change& b) { return a.at_s < b.at_s; });
    int held = 0, vcpus = 0;
    for (std::size_t k = 0; k < c.size(); ++k) {
      held += c[k].vms;
      vcpus += c[k].vcpus;
      const double until = k + 1 < c.size() ? c[k + 1].at_s : c[k].at_s;
      if (held > 0 && until > c[k].at_s) {
        const double load = std::min(1.0, static_cast<double>(vcpus) / host_vcpus);
        out.energy_kwh += power.energy_kwh(load, until - c[k].at_s);
        out.host_hours_on += (until - c[k].at_s) / 3600.0;
      }
    }
    all.insert(all.end(), c.begin(), c.end());
  }
  // VMs held at once, over all hosts (deletions before creations at the same instant).
  std::stable_sort(all.begin(), all.end(), [](const Change& a, const Change& b) {
    return a.at_s != b.at_s ? a.at_s < b.at_s : a.vms < b.vms;
  });
  long held = 0;
  for (const Change& c : all) {
    held += c.vms;
    out.peak_vms = std::max(out.peak_vms, static_cast<std::size_t>(std::max(0L, held)));
  }
  return out;
}

}  // namespace cbsim::models::allocation
