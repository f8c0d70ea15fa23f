#include "models/cloud/placement.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace cbsim::models::cloud {

namespace {

// Strictly-better comparison on (free MIPS, free PEs); the scan keeps the first
// of equals, which makes the lowest host index win a tie.
template <typename Better>
std::optional<HostId> scan_by_free_cpu(std::span<const Host> hosts, const VmRequest& vm, Better better) {
  std::optional<HostId> chosen;
  for (HostId i = 0; i < hosts.size(); ++i) {
    if (!hosts[i].fits(vm)) continue;
    if (!chosen || better(hosts[i], hosts[*chosen])) chosen = i;
  }
  return chosen;
}

}  // namespace

std::optional<HostId> FirstFitPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  for (HostId i = 0; i < hosts.size(); ++i)
    if (hosts[i].fits(vm)) return i;
  return std::nullopt;
}

// The VM takes the same amount from every host, so ranking by free capacity
// before placing equals ranking by what is left after placing.
std::optional<HostId> BestFitPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  return scan_by_free_cpu(hosts, vm, [](const Host& a, const Host& b) {
    if (a.free_mips() != b.free_mips()) return a.free_mips() < b.free_mips();
    return a.free_pes() < b.free_pes();
  });
}

std::optional<HostId> WorstFitPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  return scan_by_free_cpu(hosts, vm, [](const Host& a, const Host& b) {
    if (a.free_mips() != b.free_mips()) return a.free_mips() > b.free_mips();
    return a.free_pes() > b.free_pes();
  });
}

std::optional<HostId> RoundRobinPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  if (hosts.empty()) return std::nullopt;
  const HostId start = last_ ? (*last_ + 1) % hosts.size() : 0;
  for (HostId k = 0; k < hosts.size(); ++k) {
    const HostId i = (start + k) % hosts.size();
    if (hosts[i].fits(vm)) {
      last_ = i;
      return i;
    }
  }
  return std::nullopt;
}

std::optional<HostId> RandomPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  std::vector<HostId> suitable;
  for (HostId i = 0; i < hosts.size(); ++i)
    if (hosts[i].fits(vm)) suitable.push_back(i);
  // No draw when nothing fits: a failed request does not shift later choices.
  if (suitable.empty()) return std::nullopt;
  return suitable[rng_.uniform_index(suitable.size())];
}

std::optional<HostId> PinnedHostPolicy::choose_host(std::span<const Host> hosts, const VmRequest& vm) {
  return host < hosts.size() && hosts[host].fits(vm) ? std::optional<HostId>(host) : std::nullopt;
}

std::unique_ptr<PlacementPolicy> make_placement_policy(std::string_view name, random::Rng rng) {
  if (name == "first_fit") return std::make_unique<FirstFitPolicy>();
  if (name == "best_fit") return std::make_unique<BestFitPolicy>();
  if (name == "worst_fit") return std::make_unique<WorstFitPolicy>();
  if (name == "round_robin") return std::make_unique<RoundRobinPolicy>();
  if (name == "random") return std::make_unique<RandomPolicy>(std::move(rng));
  throw std::invalid_argument("make_placement_policy: unknown policy " + std::string(name));
}

}  // namespace cbsim::models::cloud
