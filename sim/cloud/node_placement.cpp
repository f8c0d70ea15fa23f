#include "sim/cloud/node_placement.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "models/cloud/host_pool.h"
#include "models/cloud/power_model.h"
#include "models/random/rng.h"

namespace cbsim::sim {

namespace cloud = models::cloud;

std::vector<int> place_nodes(const scenario::Scenario& s) {
  if (s.cloud.hosts == 0) return {};
  // Only cores matter here: RAM, MIPS and bandwidth are generous enough not to bind.
  constexpr std::uint64_t kMipsPerCore = 1000, kRamMb = 1u << 30, kBandwidth = 1u << 30;
  const cloud::HostSpec host{static_cast<std::uint32_t>(s.cloud.host_cores), kMipsPerCore, kRamMb, kBandwidth};
  cloud::HostPool pool(std::vector<cloud::HostSpec>(static_cast<std::size_t>(s.cloud.hosts), host));
  auto policy = cloud::make_placement_policy(s.cloud.placement, models::random::Rng(s.seed, "placement"));
  const cloud::VmRequest vm{static_cast<std::uint32_t>(s.cloud.vm_vcpus), kMipsPerCore, 1, 1};
  std::vector<int> node_host;
  for (int i = 0; i < s.nodes.count; ++i) {
    const auto placed = pool.place(vm, *policy);
    if (!placed) throw std::logic_error("the hosts cannot hold every node");  // the loader checked capacity
    node_host.push_back(static_cast<int>(placed->host));
  }
  return node_host;
}

std::vector<scenario::FaultConfig> node_faults(const scenario::Scenario& s, const std::vector<int>& node_host) {
  std::vector<scenario::FaultConfig> out;
  for (const scenario::FaultConfig& f : s.faults) {
    if (f.kind != "host-crash") {
      out.push_back(f);
      continue;
    }
    scenario::FaultConfig crash = f;
    crash.kind = "crash";
    crash.hosts.clear();
    for (std::size_t node = 0; node < node_host.size(); ++node)
      if (std::find(f.hosts.begin(), f.hosts.end(), node_host[node]) != f.hosts.end())
        crash.nodes.push_back(static_cast<int>(node));
    if (!crash.nodes.empty()) out.push_back(std::move(crash));  // a host without nodes fails unnoticed
  }
  return out;
}

nlohmann::json cloud_metrics(const scenario::Scenario& s, const std::vector<int>& node_host,
                             const std::vector<double>& node_busy_s, double sim_time_s) {
  std::map<int, int> per_host;
  std::map<int, double> busy_per_host;
  for (std::size_t i = 0; i < node_host.size(); ++i) {
    ++per_host[node_host[i]];
    busy_per_host[node_host[i]] += i < node_busy_s.size() ? node_busy_s[i] : 0.0;
  }
  int most = 0;
  for (const auto& [host, n] : per_host) most = std::max(most, n);
  // Energy: each host in use at its own mean utilization; the power curve is
  // applied to the mean, not integrated over the run's load changes.
  const cloud::PowerModel power(*cloud::find_power_table(s.cloud.power_model));
  double energy = 0.0, utilization_sum = 0.0;
  for (const auto& [host, busy] : busy_per_host) {
    const double u = sim_time_s > 0 ? std::min(1.0, busy / (s.cloud.host_cores * sim_time_s)) : 0.0;
    utilization_sum += u;
    energy += power.energy_kwh(u, sim_time_s);
  }
  return {{"vm_profile", s.cloud.vm_profile},
          {"hosts", s.cloud.hosts},
          {"placement", s.cloud.placement},
          {"hosts_used", per_host.size()},
          {"most_nodes_on_a_host", most},
          {"utilization", per_host.empty() ? 0.0 : utilization_sum / static_cast<double>(per_host.size())},
          {"energy_kwh", energy},
          {"power_model", s.cloud.power_model}};
}

}  // namespace cbsim::sim
