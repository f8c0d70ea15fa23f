#pragma once
// VM requests as tenants send them to an allocation mechanism: advance
// reservations. A request arrives at arrival_s and asks for vcpus and ram_mb
// over the window [start_s, end_s), which begins lead time after its arrival;
// its bid is what the tenant is willing to pay for the whole window (its
// value: welfare counts the bids of the requests served). Every mechanism
// must have decided, and booted the VM, by start_s; resources are held over
// exactly the window, so any mechanism's accepted set is a feasible solution
// of the offline optimum's integer program (optimum.h) and efficiency <= 1.

#include <cstdint>
#include <vector>

#include "models/random/rng.h"

namespace cbsim::models::allocation {

struct AllocationRequest {
  std::uint32_t id = 0;      // index in the stream
  std::uint32_t tenant = 0;
  double arrival_s = 0.0;
  double start_s = 0.0;
  double end_s = 0.0;
  std::uint32_t vcpus = 1;
  std::uint64_t ram_mb = 0;
  double bid = 0.0;

  double duration_s() const { return end_s - start_s; }
  bool overlaps(double from_s, double to_s) const { return start_s < to_s && from_s < end_s; }
};

struct WorkloadSpec {
  double requests_per_s = 0.0;       // Poisson arrivals
  double horizon_s = 0.0;            // arrivals in [0, horizon)
  double lead_s = 600.0;             // window start = arrival + lead
  double mean_duration_s = 3600.0;   // exponential
  std::uint32_t tenants = 10;        // each request from a uniformly drawn tenant
  std::vector<std::uint32_t> vcpu_choices = {1, 2, 4, 8};  // uniform
  std::uint64_t ram_per_vcpu_mb = 4096;
  double mean_bid_per_vcpu_hour = 0.05;  // the bid is vcpus x hours x this x a uniform factor
  double bid_spread = 0.5;               // factor in [1 - spread, 1 + spread]
};

// Throws std::invalid_argument for a negative rate, horizon or lead, a
// non-positive duration, no tenant, no vCPU choice or a spread outside [0, 1].
std::vector<AllocationRequest> generate_requests(const WorkloadSpec& spec, random::Rng& rng);

}  // namespace cbsim::models::allocation
