#pragma once
// A datacenter through time, for nodes whose VMs share hosts with other
// tenants: where every VM is, which migrations consolidation starts and when
// they end, how much of a core a node's vCPU gets, and what the hosts use
// (utilization, overload, energy). Consolidation sees every VM at its
// measured demand, the nodes' being the CPU work they reported since the last
// round. A round is planned when the timeline is first asked about a time at
// or past it: usually when the run reaches it, a little earlier when a node
// queues work that will run past it (its work is counted when it is queued).
//
// Time is cut into steps (the co-tenants' load step): co-tenant demand is
// constant within a step, consolidation runs at step boundaries, and the
// hosts' accounting is per step. A node's own host and migration windows are
// exact to the second.
//
// Sharing: while a node computes, its vCPU is one claim (weight 1, at most one
// core: a node handles one thing at a time) beside each co-tenant VM on its
// host (weight = its vCPUs, cap = its demand), shared by max-min fairness
// (cpu_share.h). Other nodes' VMs on the same host are not counted as
// competitors at that instant (nodes are mostly idle; their work does count
// in the host's utilization).

#include <cstdint>
#include <optional>
#include <vector>

#include "models/cloud/co_tenant_load.h"
#include "models/cloud/consolidation.h"
#include "models/cloud/host.h"
#include "models/cloud/migration.h"
#include "models/cloud/placement.h"
#include "models/cloud/power_model.h"

namespace cbsim::models::cloud {

struct HostOutage {
  HostId host = 0;
  double from_s = 0.0;
  double until_s = 0.0;  // <= from_s: for good
};

struct DatacenterSpec {
  std::vector<HostSpec> hosts;
  Overcommit overcommit;
  VmRequest node_vm;               // every node VM's allocation
  double node_cpu_cap = 1.0;       // (0, 1]: the share of a core a node's vCPU may use (a VM's CPU bound)
  std::vector<HostId> node_host;   // where each node's VM starts
  CoTenantLoadSpec co_tenants;     // vms_per_host on every host from the start; step_s is the accounting step
  std::uint64_t co_tenant_ram_mb = 0;  // a co-tenant VM's memory on its host
  double consolidation_interval_s = 0.0;  // 0 = never; a multiple of co_tenants.step_s
  ConsolidationThresholds thresholds;
  PreCopyParameters migration;     // bandwidth_mb_per_s is a host NIC's (one migration at a time per host);
                                   // stop_copy_threshold_mb is set from max_downtime_s
  double max_downtime_s = 0.3;     // stop-and-copy once the rest takes at most this long
  std::vector<HostOutage> outages;
};

struct VmMigration {
  bool node = false;       // a node's VM, or a co-tenant's
  std::size_t vm = 0;      // node index, or co-tenant index (host x vms_per_host + i at the start)
  HostId from = 0, to = 0;
  double decided_s = 0.0;  // the consolidation round that planned it; it starts once both hosts are free
  double start_s = 0.0, end_s = 0.0, downtime_s = 0.0;
  std::uint32_t rounds = 0;
  double data_mb = 0.0;
};

// One host over the run (hosts are switched off while they hold no VM or are down).
struct HostUsage {
  double active_s = 0.0;
  double overloaded_s = 0.0;      // demand at or above the host's cores (CloudSim's SLATAH numerator)
  double utilization_s = 0.0;     // utilization x time (cores used over the host's cores), nodes and co-tenants
  double node_busy_core_s = 0.0;  // the nodes' part of it
  double energy_kwh = 0.0;
  double mean_utilization() const;  // over the active time
};

class DatacenterTimeline {
public:
  // Throws std::invalid_argument when a node's starting host is out of range
  // or the consolidation interval is not a whole number of steps.
  explicit DatacenterTimeline(DatacenterSpec spec);

  std::size_t node_count() const { return spec_.node_host.size(); }
  HostId node_host_at(std::size_t node, double time_s);
  // A node starts `work_s` seconds of single-core work (seconds at a whole
  // core) at `start_s`: when it is done, given its host's co-tenants, its
  // migrations (CloudSim: 10 % of its CPU lost while migrating; nothing while
  // paused for the stop-and-copy). The work is recorded in the host's usage.
  double finish_time(std::size_t node, double start_s, double work_s);

  // Seconds the nodes' work took beyond its time at their cap: waiting for a
  // core (steal, as `top` reports it inside a VM) and, while migrating, the
  // 10 % slowdown and the pause; so far, including work that ends after the run.
  double steal_s() const { return steal_s_; }
  const std::vector<VmMigration>& migrations_until(double time_s);
  // Usage of every host over [0, end_s).
  std::vector<HostUsage> host_usage(double end_s, const PowerModel& power);

private:
  struct StepState {
    double node_share = 1.0;      // cores a computing node VM gets
    double co_tenant_used = 0.0;  // cores the co-tenants use
    double co_tenant_demand = 0.0;
    std::uint32_t vms = 0;        // VMs on the host (0: switched off)
    bool down = false;
  };
  struct Window {
    double start_s, end_s;
    double speed;  // 0.9 migrating, 0 paused
  };

  void plan_through_step(std::size_t step);
  void consolidate(std::size_t step);
  void apply_finished_migrations(double time_s);
  bool host_down(HostId host, double time_s) const;
  double step_s() const { return load_.spec().step_s; }
  StepState& state(std::size_t step, HostId host) { return steps_[step * spec_.hosts.size() + host]; }
  void record_node_work(std::size_t step, HostId host, double core_s);

  DatacenterSpec spec_;
  CoTenantLoad load_;
  std::size_t steps_per_consolidation_ = 0;
  std::size_t planned_steps_ = 0;
  std::vector<StepState> steps_;           // planned_steps_ x hosts
  std::vector<double> node_work_;          // core-seconds, planned_steps_ x hosts (grows with use)
  std::vector<HostId> co_tenant_host_;     // current (accounting) host of each co-tenant
  std::vector<HostId> node_accounting_host_;
  std::vector<std::vector<std::pair<double, HostId>>> node_segments_;  // (from, host), per node
  std::vector<std::vector<Window>> node_windows_;
  std::vector<VmMigration> migrations_;
  std::size_t applied_migrations_ = 0;     // migrations_[0..applied) have moved their VM for accounting
  std::vector<std::size_t> in_flight_;     // indexes into migrations_
  std::vector<double> migrating_until_;    // per host: when its last migration (out or in) ends
  std::vector<double> node_interval_work_; // per node: core-seconds of work since the last consolidation
  double steal_s_ = 0.0;
};

}  // namespace cbsim::models::cloud
