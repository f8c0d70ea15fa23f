#pragma once
// The nodes' VMs placed on the scenario's physical hosts (cloud.hosts, with
// cloud.placement's policy from models/cloud/placement.h), and what a host's
// failure means for the nodes: a host-crash fault becomes a crash of every
// node placed on the failed hosts, so placement decides which failures are
// correlated (four replicas on one host fail together).

#include <nlohmann/json.hpp>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// The host of each node, or empty when cloud.hosts is 0 (a machine per node).
std::vector<int> place_nodes(const scenario::Scenario& s);

// The scenario's faults with each host-crash replaced by a crash of the nodes on its hosts.
std::vector<scenario::FaultConfig> node_faults(const scenario::Scenario& s, const std::vector<int>& node_host);

// metrics.json's "cloud": profile, hosts, the hosts in use, the most nodes on
// one host, the hosts' mean CPU utilization (the nodes' busy time over the
// hosts' cores and the run) and their energy from cloud.power_model at that
// utilization (hosts without nodes are switched off).
nlohmann::json cloud_metrics(const scenario::Scenario& s, const std::vector<int>& node_host,
                             const std::vector<double>& node_busy_s, double sim_time_s);

}  // namespace cbsim::sim
