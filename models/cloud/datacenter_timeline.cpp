#include "models/cloud/datacenter_timeline.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "models/cloud/cpu_share.h"
#include "models/cloud/host_pool.h"

namespace cbsim::models::cloud {

namespace {

constexpr double kMigratingSpeed = 0.9;  // CloudSim: a migrating VM loses 10 % of its CPU

}  // namespace

double HostUsage::mean_utilization() const {
  return active_s > 0.0 ? utilization_s / active_s : 0.0;
}

DatacenterTimeline::DatacenterTimeline(DatacenterSpec spec) : spec_(std::move(spec)), load_(spec_.co_tenants) {
  const std::size_t hosts = spec_.hosts.size();
  if (spec_.consolidation_interval_s > 0.0) {
    const double ratio = spec_.consolidation_interval_s / step_s();
    steps_per_consolidation_ = static_cast<std::size_t>(std::llround(ratio));
    if (steps_per_consolidation_ == 0 || std::abs(ratio - static_cast<double>(steps_per_consolidation_)) > 1e-9)
      throw std::invalid_argument("DatacenterTimeline: the consolidation interval must be a whole number of steps");
  }
  for (HostId h : spec_.node_host)
    if (h >= hosts) throw std::invalid_argument("DatacenterTimeline: a node's host is out of range");
  co_tenant_host_.resize(hosts * spec_.co_tenants.vms_per_host);
  for (std::size_t i = 0; i < co_tenant_host_.size(); ++i) co_tenant_host_[i] = i / spec_.co_tenants.vms_per_host;
  node_accounting_host_ = spec_.node_host;
  node_segments_.resize(spec_.node_host.size());
  for (std::size_t n = 0; n < spec_.node_host.size(); ++n) node_segments_[n].push_back({0.0, spec_.node_host[n]});
  node_windows_.resize(spec_.node_host.size());
  node_interval_work_.assign(spec_.node_host.size(), 0.0);
  migrating_until_.assign(hosts, 0.0);
}

bool DatacenterTimeline::host_down(HostId host, double time_s) const {
  for (const HostOutage& o : spec_.outages)
    if (o.host == host && time_s >= o.from_s && (o.until_s <= o.from_s || time_s < o.until_s)) return true;
  return false;
}

void DatacenterTimeline::apply_finished_migrations(double time_s) {
  auto done = [&](std::size_t i) { return migrations_[i].end_s <= time_s; };
  for (std::size_t i : in_flight_) {
    if (!done(i)) continue;
    const VmMigration& m = migrations_[i];
    (m.node ? node_accounting_host_ : co_tenant_host_)[m.vm] = m.to;
  }
  std::erase_if(in_flight_, done);
}

void DatacenterTimeline::consolidate(std::size_t step) {
  const double now = load_.step_start_s(step);
  const std::size_t hosts = spec_.hosts.size();
  // A snapshot of the healthy hosts: every VM at its measured demand (what a
  // provider's monitoring sees: co-tenants at this step's, nodes at their mean
  // over the last interval), holding its vCPUs and memory. VMs in flight
  // are where they are going and do not move again.
  std::vector<HostId> healthy;
  std::vector<std::optional<HostId>> snapshot_index(hosts);
  for (HostId h = 0; h < hosts; ++h)
    if (!host_down(h, now)) {
      snapshot_index[h] = healthy.size();
      healthy.push_back(h);
    }
  std::vector<HostSpec> specs;
  for (HostId h : healthy) specs.push_back(spec_.hosts[h]);
  HostPool pool(specs, spec_.overcommit);
  PinnedHostPolicy fixed;
  struct Member {
    bool node;
    std::size_t vm;
  };
  std::map<VmId, Member> members;
  auto in_flight = [&](bool node, std::size_t vm) {
    return std::any_of(in_flight_.begin(), in_flight_.end(),
                       [&](std::size_t i) { return migrations_[i].node == node && migrations_[i].vm == vm; });
  };
  auto committed_host = [&](bool node, std::size_t vm) {
    for (std::size_t i : in_flight_)
      if (migrations_[i].node == node && migrations_[i].vm == vm) return migrations_[i].to;
    return (node ? node_accounting_host_ : co_tenant_host_)[vm];
  };
  auto add = [&](bool node, std::size_t vm, const VmRequest& request) {
    const auto index = snapshot_index[committed_host(node, vm)];
    if (!index) return;  // on a host that is down
    fixed.host = *index;
    if (const auto placed = pool.place(request, fixed)) members[placed->vm] = Member{node, vm};
  };
  // A node VM's demand: what its node computed since the last round.
  const std::uint64_t mips = spec_.node_vm.mips_per_vcpu;
  const double interval_s = static_cast<double>(steps_per_consolidation_) * step_s();
  for (std::size_t n = 0; n < spec_.node_host.size(); ++n) {
    VmRequest demand = spec_.node_vm;
    const double per_vcpu = node_interval_work_[n] / interval_s / demand.vcpus;
    demand.mips_per_vcpu = std::min(mips, static_cast<std::uint64_t>(std::llround(per_vcpu * static_cast<double>(mips))));
    add(true, n, demand);
    node_interval_work_[n] = 0.0;
  }
  for (std::size_t c = 0; c < co_tenant_host_.size(); ++c) {
    const auto demand_mips = static_cast<std::uint64_t>(std::llround(load_.utilization(c, step) * static_cast<double>(mips)));
    add(false, c, VmRequest{spec_.co_tenants.vcpus, demand_mips, spec_.co_tenant_ram_mb, 0});
  }
  std::vector<PlannedMigration> plan = plan_consolidation(pool, spec_.thresholds);
  std::erase_if(plan, [&](const PlannedMigration& p) {
    const Member& m = members.at(p.vm);
    return in_flight(m.node, m.vm);
  });
  // A host takes part in one live migration at a time (OpenStack Nova's
  // max_concurrent_live_migrations defaults to 1): each gets the whole NIC,
  // and the others wait for both of their hosts to be free.
  for (const PlannedMigration& p : plan) {
    const Member& m = members.at(p.vm);
    const HostId from = healthy[p.from], to = healthy[p.to];
    PreCopyParameters parameters = spec_.migration;
    parameters.stop_copy_threshold_mb = parameters.bandwidth_mb_per_s * spec_.max_downtime_s;
    const PreCopyResult r = pre_copy_migration(parameters);
    const double start = std::max({now, migrating_until_[from], migrating_until_[to]});
    const double end = start + r.total_time_s;
    migrating_until_[from] = migrating_until_[to] = end;
    VmMigration migration{m.node, m.vm, from, to, now, start, end, r.downtime_s, r.rounds, r.data_sent_mb};
    if (m.node) {
      node_segments_[m.vm].push_back({end, to});
      node_windows_[m.vm].push_back({start, end - r.downtime_s, kMigratingSpeed});
      node_windows_[m.vm].push_back({end - r.downtime_s, end, 0.0});
    }
    in_flight_.push_back(migrations_.size());
    migrations_.push_back(migration);
  }
}

void DatacenterTimeline::plan_through_step(std::size_t step) {
  const std::size_t hosts = spec_.hosts.size();
  while (planned_steps_ <= step) {
    const std::size_t s = planned_steps_;
    const double now = load_.step_start_s(s);
    apply_finished_migrations(now);
    if (steps_per_consolidation_ > 0 && s > 0 && s % steps_per_consolidation_ == 0) consolidate(s);
    std::vector<std::vector<CpuClaim>> claims(hosts);
    std::vector<StepState> states(hosts);
    for (std::size_t c = 0; c < co_tenant_host_.size(); ++c) {
      const double demand = load_.demand_cores(c, s);
      claims[co_tenant_host_[c]].push_back({static_cast<double>(spec_.co_tenants.vcpus), demand});
      states[co_tenant_host_[c]].co_tenant_demand += demand;
      ++states[co_tenant_host_[c]].vms;
    }
    for (HostId h : node_accounting_host_) ++states[h].vms;
    for (HostId h = 0; h < hosts; ++h) {
      StepState& st = states[h];
      const double cores = spec_.hosts[h].cores;
      st.down = host_down(h, now);
      st.co_tenant_used = std::min<double>(cores, st.co_tenant_demand);
      claims[h].push_back({1.0, spec_.node_cpu_cap});
      st.node_share = max_min_shares(cores, claims[h]).back();
    }
    steps_.insert(steps_.end(), states.begin(), states.end());
    node_work_.resize(steps_.size(), 0.0);
    ++planned_steps_;
  }
}

HostId DatacenterTimeline::node_host_at(std::size_t node, double time_s) {
  plan_through_step(load_.step_at(time_s));
  const auto& segments = node_segments_.at(node);
  auto it = std::upper_bound(segments.begin(), segments.end(), time_s,
                             [](double t, const std::pair<double, HostId>& seg) { return t < seg.first; });
  return std::prev(it)->second;
}

void DatacenterTimeline::record_node_work(std::size_t step, HostId host, double core_s) {
  node_work_[step * spec_.hosts.size() + host] += core_s;
}

double DatacenterTimeline::finish_time(std::size_t node, double start_s, double work_s) {
  if (!(work_s > 0.0)) return start_s;
  node_interval_work_[node] += work_s;
  double t = start_s, left = work_s;
  for (;;) {
    std::size_t k = load_.step_at(t);
    if (load_.step_start_s(k + 1) <= t) ++k;  // t on a boundary that floor() rounded down
    plan_through_step(k);
    double end = load_.step_start_s(k + 1);
    // The host at t, and the next change of host.
    const auto& segments = node_segments_[node];
    auto seg = std::upper_bound(segments.begin(), segments.end(), t,
                                [](double x, const std::pair<double, HostId>& s) { return x < s.first; });
    const HostId host = std::prev(seg)->second;
    if (seg != segments.end()) end = std::min(end, seg->first);
    // A migration window at t, or the next one to begin.
    double speed = 1.0;
    for (const Window& w : node_windows_[node]) {
      if (w.end_s <= t) continue;
      if (w.start_s <= t) {
        speed = w.speed;
        end = std::min(end, w.end_s);
      } else {
        end = std::min(end, w.start_s);
      }
      break;
    }
    const double rate = state(k, host).node_share * speed;
    const double span = end - t;
    if (rate > 0.0 && left <= rate * span) {
      record_node_work(k, host, left);
      const double finish = t + left / rate;
      // Beyond what the cap alone would take (rounding may leave a tiny negative).
      steal_s_ += std::max(0.0, (finish - start_s) - work_s / spec_.node_cpu_cap);
      return finish;
    }
    record_node_work(k, host, rate * span);
    left -= rate * span;
    t = end;
  }
}

const std::vector<VmMigration>& DatacenterTimeline::migrations_until(double time_s) {
  plan_through_step(load_.step_at(time_s));
  return migrations_;
}

std::vector<HostUsage> DatacenterTimeline::host_usage(double end_s, const PowerModel& power) {
  const std::size_t hosts = spec_.hosts.size();
  std::vector<HostUsage> usage(hosts);
  if (!(end_s > 0.0)) return usage;
  const std::size_t last = load_.step_at(end_s);
  plan_through_step(last);
  for (std::size_t k = 0; k <= last; ++k) {
    const double begin = load_.step_start_s(k);
    const double dt = std::min(step_s(), end_s - begin);
    if (!(dt > 0.0)) break;
    for (HostId h = 0; h < hosts; ++h) {
      const StepState& st = state(k, h);
      if (st.down || st.vms == 0) continue;  // switched off
      const double cores = spec_.hosts[h].cores;
      const double node_core_s = node_work_[k * hosts + h];
      const double busy = std::min(cores * dt, st.co_tenant_used * dt + node_core_s);
      HostUsage& u = usage[h];
      u.active_s += dt;
      u.utilization_s += busy / cores;
      u.node_busy_core_s += node_core_s;
      u.energy_kwh += power.energy_kwh(busy / (cores * dt), dt);
      if (st.co_tenant_demand + node_core_s / dt >= cores * (1.0 - 1e-9)) u.overloaded_s += dt;
    }
  }
  return usage;
}

}  // namespace cbsim::models::cloud
