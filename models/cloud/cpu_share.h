#pragma once
// How a host's cores are shared among the VMs that want them: weighted max-min
// fairness (water-filling), the allocation SimGrid's CPU model computes for
// actions with weights and bounds and Linux's CFS approaches over time for
// runnable vCPU threads of equal priority. A claim asks for at most cap_cores
// (a VM cannot use more cores than it has vCPUs, nor more than its bound);
// while the claims together ask for more than the host has, each gets
// weight x lambda, capped at its own cap, with lambda set so the host is full.

#include <vector>

namespace cbsim::models::cloud {

struct CpuClaim {
  double weight = 1.0;     // > 0: the VM's share of contended cores (its runnable vCPUs)
  double cap_cores = 1.0;  // >= 0: the most it would use alone
};

// The cores each claim gets, in claim order. Their sum is
// min(capacity_cores, sum of caps). Throws std::invalid_argument for a
// negative capacity, a weight <= 0 or a negative cap.
std::vector<double> max_min_shares(double capacity_cores, const std::vector<CpuClaim>& claims);

}  // namespace cbsim::models::cloud
