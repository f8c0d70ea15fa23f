#pragma once
// Other tenants' VMs sharing the hosts: each asks for a fraction of its vCPUs
// that changes every step (CloudSim's PlanetLab traces change every 300 s),
// drawn uniformly in [mean - spread, mean + spread] and clipped to [0, 1].
// A draw is a hash of (seed, VM, step), not a position in a stream, so any
// step of any VM can be asked for in any order and the answer never changes.

#include <cstddef>
#include <cstdint>

namespace cbsim::models::cloud {

struct CoTenantLoadSpec {
  std::uint32_t vms_per_host = 0;
  std::uint32_t vcpus = 2;
  double mean_utilization = 0.5;
  double spread = 0.2;
  double step_s = 300.0;  // > 0
  std::uint64_t seed = 1;
};

class CoTenantLoad {
public:
  // Throws std::invalid_argument for step_s <= 0, a mean outside [0, 1] or a negative spread.
  explicit CoTenantLoad(const CoTenantLoadSpec& spec);

  const CoTenantLoadSpec& spec() const { return spec_; }
  std::size_t step_at(double time_s) const;
  double step_start_s(std::size_t step) const { return static_cast<double>(step) * spec_.step_s; }
  // Fraction of its vCPUs co-tenant VM `vm` asks for during `step`.
  double utilization(std::size_t vm, std::size_t step) const;
  // The same in cores.
  double demand_cores(std::size_t vm, std::size_t step) const { return utilization(vm, step) * spec_.vcpus; }

private:
  CoTenantLoadSpec spec_;
};

}  // namespace cbsim::models::cloud
