#pragma once
// Dynamic VM consolidation after Beloglazov & Buyya (2012), simplified: static
// CPU thresholds, minimum-migration-time VM selection, best-fit targets. The
// plan is computed on a copy of the pool; executing it (and its timing) is the
// caller's business.

#include <vector>

#include "models/cloud/host_pool.h"

namespace cbsim::models::cloud {

struct ConsolidationThresholds {
  double upper = 0.8;  // a host above this CPU utilization is overloaded
  double lower = 0.2;  // a host below it (and not idle) is underloaded
};

struct PlannedMigration {
  VmId vm = 0;
  HostId from = 0;
  HostId to = 0;
  bool operator==(const PlannedMigration&) const = default;
};

// Utilization is the host's allocated MIPS over its physical MIPS (the
// allocation stands for the demand in this model).
//
// 1. Overloaded hosts, in host order: their VMs leave in ascending RAM (least
//    RAM = shortest migration; ties: lower VM id) until the host is at or below
//    `upper`. A VM that fits nowhere stays and the next one is tried.
// 2. Underloaded hosts, least utilized first (ties: lower host index): all their
//    VMs (largest MIPS first, ties: lower VM id) move, or none do, so the host
//    can be switched off. Hosts that received VMs in either step are not emptied.
//
// Targets: never the source, an overloaded host, an emptied host, or (in step 2)
// an idle host, since waking one up to empty another saves nothing; never a host
// the move would push above `upper`. Among the rest, the one with the fewest free
// MIPS after the move (best fit; ties: lower host index).
std::vector<PlannedMigration> plan_consolidation(const HostPool& pool, ConsolidationThresholds thresholds = {});

}  // namespace cbsim::models::cloud
