#include "models/cloud/consolidation.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace cbsim::models::cloud {

namespace {

double utilization_with(const Host& host, const VmRequest& vm) {
  const auto physical = host.physical_mips();
  if (physical == 0) return 0.0;
  return static_cast<double>(host.allocated_mips() + vm.total_mips()) / static_cast<double>(physical);
}

class Planner {
public:
  Planner(const HostPool& pool, ConsolidationThresholds thresholds)
      : pool_(pool), thresholds_(thresholds), excluded_(pool.hosts().size(), false),
        received_(pool.hosts().size(), false) {}

  std::vector<PlannedMigration> run() {
    relieve_overloaded_hosts();
    empty_underloaded_hosts();
    return plan_;
  }

private:
  bool overloaded(HostId h) const { return pool_.hosts()[h].cpu_utilization() > thresholds_.upper; }

  std::optional<HostId> find_target(VmId vm, HostId source, bool allow_idle) const {
    const VmRequest& request = pool_.request_of(vm);
    std::optional<HostId> best;
    for (HostId h = 0; h < pool_.hosts().size(); ++h) {
      const Host& host = pool_.hosts()[h];
      if (h == source || excluded_[h] || !host.fits(request)) continue;
      if (!allow_idle && pool_.vms_on(h).empty()) continue;
      if (utilization_with(host, request) > thresholds_.upper) continue;
      if (!best || host.free_mips() < pool_.hosts()[*best].free_mips()) best = h;
    }
    return best;
  }

  void move(VmId vm, HostId from, HostId to) {
    pool_.migrate(vm, to);
    received_[to] = true;
    plan_.push_back({vm, from, to});
  }

  void relieve_overloaded_hosts() {
    std::vector<HostId> overloaded_hosts;
    for (HostId h = 0; h < pool_.hosts().size(); ++h)
      if (overloaded(h)) overloaded_hosts.push_back(h);
    // Excluded as targets for the whole plan: they are the problem being solved.
    for (HostId h : overloaded_hosts) excluded_[h] = true;
    for (HostId h : overloaded_hosts) {
      std::vector<VmId> by_ram(pool_.vms_on(h).begin(), pool_.vms_on(h).end());
      std::stable_sort(by_ram.begin(), by_ram.end(), [&](VmId a, VmId b) {
        return pool_.request_of(a).ram_mb < pool_.request_of(b).ram_mb;
      });
      for (VmId vm : by_ram) {
        if (!overloaded(h)) break;
        if (const auto target = find_target(vm, h, /*allow_idle=*/true)) move(vm, h, *target);
      }
    }
  }

  void empty_underloaded_hosts() {
    std::vector<HostId> candidates;
    for (HostId h = 0; h < pool_.hosts().size(); ++h) {
      const bool idle = pool_.vms_on(h).empty();
      if (!idle && !excluded_[h] && !received_[h] && pool_.hosts()[h].cpu_utilization() < thresholds_.lower)
        candidates.push_back(h);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](HostId a, HostId b) {
      return pool_.hosts()[a].cpu_utilization() < pool_.hosts()[b].cpu_utilization();
    });
    for (HostId h : candidates) {
      if (received_[h]) continue;  // became a target of an earlier host's VMs
      std::vector<VmId> by_mips(pool_.vms_on(h).begin(), pool_.vms_on(h).end());
      std::stable_sort(by_mips.begin(), by_mips.end(), [&](VmId a, VmId b) {
        return pool_.request_of(a).total_mips() > pool_.request_of(b).total_mips();
      });
      // All or nothing: move them one by one, and undo the moves unless the
      // host ends up empty (undoing, not copying the pool per candidate: a
      // thousand-host pool is large).
      excluded_[h] = true;
      const std::vector<bool> received_before = received_;
      const std::size_t planned_before = plan_.size();
      bool all_moved = true;
      for (VmId vm : by_mips) {
        const auto target = find_target(vm, h, /*allow_idle=*/false);
        if (!target) {
          all_moved = false;
          break;
        }
        move(vm, h, *target);
      }
      if (all_moved) continue;
      for (std::size_t i = plan_.size(); i > planned_before; --i) pool_.migrate(plan_[i - 1].vm, h);
      plan_.resize(planned_before);
      received_ = received_before;
      excluded_[h] = false;
    }
  }

  HostPool pool_;  // a working copy: the plan is simulated, the caller's pool is untouched
  ConsolidationThresholds thresholds_;
  std::vector<bool> excluded_;
  std::vector<bool> received_;
  std::vector<PlannedMigration> plan_;
};

}  // namespace

std::vector<PlannedMigration> plan_consolidation(const HostPool& pool, ConsolidationThresholds thresholds) {
  if (!(thresholds.lower >= 0.0 && thresholds.lower <= thresholds.upper))
    throw std::invalid_argument("plan_consolidation: thresholds must satisfy 0 <= lower <= upper");
  return Planner(pool, thresholds).run();
}

}  // namespace cbsim::models::cloud
