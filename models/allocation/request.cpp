#include "models/allocation/request.h"

#include <stdexcept>

namespace cbsim::models::allocation {

std::vector<AllocationRequest> generate_requests(const WorkloadSpec& spec, random::Rng& rng) {
  if (spec.requests_per_s < 0.0 || spec.horizon_s < 0.0 || spec.lead_s < 0.0 || !(spec.mean_duration_s > 0.0) ||
      spec.tenants == 0 || spec.vcpu_choices.empty() || spec.bid_spread < 0.0 || spec.bid_spread > 1.0)
    throw std::invalid_argument("generate_requests: invalid workload");
  std::vector<AllocationRequest> out;
  if (spec.requests_per_s == 0.0) return out;
  double t = rng.exponential(1.0 / spec.requests_per_s);
  while (t < spec.horizon_s) {
    AllocationRequest r;
    r.id = static_cast<std::uint32_t>(out.size());
    r.tenant = static_cast<std::uint32_t>(rng.uniform_index(spec.tenants));
    r.arrival_s = t;
    r.start_s = t + spec.lead_s;
    r.end_s = r.start_s + rng.exponential(spec.mean_duration_s);
    r.vcpus = spec.vcpu_choices[rng.uniform_index(spec.vcpu_choices.size())];
    r.ram_mb = r.vcpus * spec.ram_per_vcpu_mb;
    const double factor = 1.0 - spec.bid_spread + 2.0 * spec.bid_spread * rng.uniform01();
    r.bid = r.vcpus * (r.duration_s() / 3600.0) * spec.mean_bid_per_vcpu_hour * factor;
    out.push_back(r);
    t += rng.exponential(1.0 / spec.requests_per_s);
  }
  return out;
}

}  // namespace cbsim::models::allocation
