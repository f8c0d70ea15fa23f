#pragma once
// The nodes as tenants of a cloud, for the runners: where their VMs are over
// the run (placement, consolidation's live migrations), how long their CPU
// work takes beside co-tenants (models/cloud/datacenter_timeline.h), when each
// node starts (cloud.provision), what a host's failure takes down, and the
// cloud's part of metrics.json and cloud_hosts.csv.

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "models/cloud/datacenter_timeline.h"
#include "models/cloud/provisioning.h"
#include "sim/output/csv_table.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

class CloudDeployment {
public:
  explicit CloudDeployment(const scenario::Scenario& s);

  // Whether the scenario says anything the metrics should report (hosts or provisioning).
  bool reported() const { return timeline_.has_value() || !provisioning_.empty(); }

  // A node starts `work_s` seconds of work (at its VM's own speed, alone and
  // uncapped) at `start_s`: when it is done. Without hosts, start_s + work_s / cloud.vm_cpu_cap.
  double finish_time(std::uint32_t node, double start_s, double work_s);

  // When the last node's VM is running (0 without cloud.provision).
  double all_running_s() const;

  // The scenario's faults as the fault plan takes them: a provisioned node is
  // down until its VM runs (one crash fault per batch of VMs that start together).
  std::vector<scenario::FaultConfig> node_faults();
  // The nodes on a host-crash's hosts when it starts (the fault plan's
  // resolver): consolidation may have moved VMs there or away by then, on
  // what the nodes did up to that moment.
  std::vector<int> nodes_on_hosts(const scenario::FaultConfig& host_crash);

  nlohmann::json metrics(double sim_time_s);
  // One row per host: its datacenter, nodes at the start, active time,
  // utilization, overload and energy (empty without hosts).
  CsvTable host_table(double sim_time_s);

private:
  // Integrated once per end time: metrics and host_table ask for the same.
  const std::vector<models::cloud::HostUsage>& usage(double sim_time_s);

  const scenario::Scenario& s_;
  std::vector<int> node_host_;  // at the start
  std::optional<models::cloud::DatacenterTimeline> timeline_;
  std::vector<models::cloud::ProvisioningTimes> provisioning_;
  std::optional<std::pair<double, std::vector<models::cloud::HostUsage>>> usage_cache_;
};

}  // namespace cbsim::sim
