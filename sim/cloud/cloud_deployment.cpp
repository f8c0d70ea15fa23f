#include "sim/cloud/cloud_deployment.h"

#include <algorithm>
#include <map>

#include "models/cloud/power_model.h"
#include "models/stats/quantile.h"
#include "sim/cloud/node_hosting.h"
#include "sim/cloud/node_placement.h"

namespace cbsim::sim {

namespace cloud = models::cloud;

namespace {

std::vector<cloud::HostOutage> host_outages(const scenario::Scenario& s) {
  std::vector<cloud::HostOutage> outages;
  for (const scenario::FaultConfig& f : s.faults)
    if (f.kind == "host-crash")
      for (const int h : f.hosts) outages.push_back({static_cast<cloud::HostId>(h), f.at_s, f.until_s});
  return outages;
}

cloud::DatacenterSpec datacenter_spec(const scenario::Scenario& s, const std::vector<int>& node_host) {
  const scenario::CloudConfig& c = s.cloud;
  cloud::DatacenterSpec spec;
  spec.hosts.assign(static_cast<std::size_t>(c.hosts), cloud_host_spec(s));
  spec.overcommit = {c.cpu_overcommit, 1.0};
  spec.node_vm = node_vm_request(s);
  spec.node_cpu_cap = c.vm_cpu_cap;
  spec.node_host.assign(node_host.begin(), node_host.end());
  spec.co_tenants = {.vms_per_host = static_cast<std::uint32_t>(c.co_tenants),
                     .vcpus = static_cast<std::uint32_t>(c.co_tenant_vcpus),
                     .mean_utilization = c.co_tenant_utilization,
                     .spread = c.co_tenant_spread,
                     .step_s = c.load_step_s,
                     .seed = s.seed};
  spec.co_tenant_ram_mb = co_tenant_vm_request(s).ram_mb;
  spec.consolidation_interval_s = c.consolidation_interval_s;
  spec.thresholds = {c.upper_threshold, c.lower_threshold};
  const double bandwidth_mb_per_s = c.host_bandwidth_mbps / 8.0;
  spec.migration = {.ram_mb = c.vm_ram_mb,
                    .bandwidth_mb_per_s = bandwidth_mb_per_s,
                    .dirty_rate_mb_per_s = c.dirty_rate_mb_per_s,
                    .max_rounds = 30};
  spec.max_downtime_s = c.max_downtime_s;
  spec.outages = host_outages(s);
  return spec;
}

nlohmann::json summary(const std::vector<double>& values) {
  if (values.empty()) return {{"mean", 0.0}, {"max", 0.0}};
  double sum = 0.0;
  for (double v : values) sum += v;
  return {{"mean", sum / static_cast<double>(values.size())}, {"max", *std::max_element(values.begin(), values.end())}};
}

}  // namespace

CloudDeployment::CloudDeployment(const scenario::Scenario& s) : s_(s), node_host_(place_nodes(s)) {
  if (!node_host_.empty()) timeline_.emplace(datacenter_spec(s, node_host_));
  if (s.cloud.provision) {
    provisioning_ = cloud::provision(std::vector<double>(static_cast<std::size_t>(s.nodes.count), 0.0),
                                     provisioning_steps(s));
  }
}

double CloudDeployment::finish_time(std::uint32_t node, double start_s, double work_s) {
  return timeline_ ? timeline_->finish_time(node, start_s, work_s) : start_s + work_s / s_.cloud.vm_cpu_cap;
}

double CloudDeployment::all_running_s() const {
  double last = 0.0;
  for (const auto& p : provisioning_) last = std::max(last, p.running_s);
  return last;
}

std::vector<scenario::FaultConfig> CloudDeployment::node_faults() {
  std::vector<scenario::FaultConfig> out;
  // Nodes whose VMs run at the same date are one fault (a control plane
  // provisions them in batches), so a 10,000-node cloud adds few faults.
  std::map<double, std::vector<int>> booting_until;
  for (std::size_t node = 0; node < provisioning_.size(); ++node)
    if (provisioning_[node].running_s > 0.0) booting_until[provisioning_[node].running_s].push_back(static_cast<int>(node));
  for (auto& [until, nodes] : booting_until) {
    scenario::FaultConfig booting;
    booting.kind = "crash";
    booting.nodes = std::move(nodes);
    booting.until_s = until;
    out.push_back(std::move(booting));
  }
  out.insert(out.end(), s_.faults.begin(), s_.faults.end());
  return out;
}

std::vector<int> CloudDeployment::nodes_on_hosts(const scenario::FaultConfig& host_crash) {
  std::vector<int> nodes;
  for (std::size_t node = 0; node < node_host_.size(); ++node) {
    const auto host = static_cast<int>(timeline_->node_host_at(node, host_crash.at_s));
    if (std::find(host_crash.hosts.begin(), host_crash.hosts.end(), host) != host_crash.hosts.end())
      nodes.push_back(static_cast<int>(node));
  }
  return nodes;
}

const std::vector<cloud::HostUsage>& CloudDeployment::usage(double sim_time_s) {
  if (!usage_cache_ || usage_cache_->first != sim_time_s)
    usage_cache_.emplace(sim_time_s, timeline_->host_usage(sim_time_s, cloud::PowerModel(*cloud::find_power_table(s_.cloud.power_model))));
  return usage_cache_->second;
}

nlohmann::json CloudDeployment::metrics(double sim_time_s) {
  const scenario::CloudConfig& c = s_.cloud;
  nlohmann::json m = {{"service", c.service}, {"vm_profile", c.vm_profile}, {"hosts", c.hosts}};
  if (!provisioning_.empty()) {
    std::vector<double> latency;
    for (const auto& p : provisioning_) latency.push_back(p.latency_s());
    m["provisioning_s"] = {{"p50", models::stats::quantile(latency, 0.5)},
                           {"p90", models::stats::quantile(latency, 0.9)},
                           {"max", *std::max_element(latency.begin(), latency.end())}};
  }
  if (!timeline_) return m;
  std::map<int, int> per_host;
  for (const int h : node_host_) ++per_host[h];
  int most = 0;
  for (const auto& [host, n] : per_host) most = std::max(most, n);
  const std::vector<cloud::HostUsage>& hosts = usage(sim_time_s);
  double active = 0.0, utilized = 0.0, energy = 0.0, node_busy = 0.0, slatah = 0.0;
  int active_hosts = 0;
  for (const cloud::HostUsage& u : hosts) {
    active += u.active_s;
    utilized += u.utilization_s;
    energy += u.energy_kwh;
    node_busy += u.node_busy_core_s;
    if (u.active_s > 0.0) {
      ++active_hosts;
      slatah += u.overloaded_s / u.active_s;
    }
  }
  std::vector<double> time, downtime;
  int node_migrations = 0;
  for (const cloud::VmMigration& v : timeline_->migrations_until(sim_time_s)) {
    if (v.start_s >= sim_time_s) continue;  // queued beyond the run
    time.push_back(v.end_s - v.start_s);
    downtime.push_back(v.downtime_s);
    node_migrations += v.node ? 1 : 0;
  }
  const double steal = timeline_->steal_s();
  m.update({{"placement", c.placement},
            {"datacenters", c.datacenters},
            {"co_tenants", c.co_tenants},
            {"hosts_used", per_host.size()},
            {"most_nodes_on_a_host", most},
            {"active_hosts", active_hosts},
            {"utilization", active > 0.0 ? utilized / active : 0.0},
            {"vm_utilization", sim_time_s > 0.0 ? node_busy / (static_cast<double>(node_host_.size()) * c.vm_vcpus * sim_time_s) : 0.0},
            {"energy_kwh", energy},
            {"power_model", c.power_model},
            {"slatah", active_hosts > 0 ? slatah / active_hosts : 0.0},
            {"steal_s", steal},
            {"steal_share", node_busy + steal > 0.0 ? steal / (node_busy + steal) : 0.0},
            {"migrations", time.size()},
            {"node_migrations", node_migrations},
            {"migration_time_s", summary(time)},
            {"migration_downtime_s", summary(downtime)}});
  return m;
}

CsvTable CloudDeployment::host_table(double sim_time_s) {
  CsvTable table({"host", "datacenter", "nodes_at_start", "active_s", "utilization", "overloaded_s", "energy_kwh",
                  "node_busy_core_s"});
  if (!timeline_) return table;
  std::vector<int> nodes(static_cast<std::size_t>(s_.cloud.hosts), 0);
  for (const int h : node_host_) ++nodes[static_cast<std::size_t>(h)];
  const std::vector<cloud::HostUsage>& hosts = usage(sim_time_s);
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    const auto& dcs = s_.cloud.datacenters;
    table.cell(static_cast<std::int64_t>(h)).cell(dcs.empty() ? std::string_view("") : std::string_view(dcs[h % dcs.size()]));
    table.cell(nodes[h]).cell(hosts[h].active_s).cell(hosts[h].mean_utilization()).cell(hosts[h].overloaded_s);
    table.cell(hosts[h].energy_kwh).cell(hosts[h].node_busy_core_s);
    table.end_row();
  }
  return table;
}

}  // namespace cbsim::sim
