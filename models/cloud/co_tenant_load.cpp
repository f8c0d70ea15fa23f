#include "models/cloud/co_tenant_load.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/random/rng.h"

namespace cbsim::models::cloud {

CoTenantLoad::CoTenantLoad(const CoTenantLoadSpec& spec) : spec_(spec) {
  if (!(spec.step_s > 0.0) || !(spec.mean_utilization >= 0.0 && spec.mean_utilization <= 1.0) ||
      !(spec.spread >= 0.0))
    throw std::invalid_argument("CoTenantLoad: step_s must be > 0, mean_utilization in [0, 1], spread >= 0");
}

std::size_t CoTenantLoad::step_at(double time_s) const {
  return time_s <= 0.0 ? 0 : static_cast<std::size_t>(std::floor(time_s / spec_.step_s));
}

double CoTenantLoad::utilization(std::size_t vm, std::size_t step) const {
  const std::uint64_t key = random::mix64(random::mix64(spec_.seed ^ random::hash_name("co-tenants")) ^
                                          random::mix64(static_cast<std::uint64_t>(vm) * 0x9E3779B97F4A7C15ULL + step));
  const double u01 = static_cast<double>(key >> 11) * 0x1.0p-53;  // 53 random bits in [0, 1)
  return std::clamp(spec_.mean_utilization + spec_.spread * (2.0 * u01 - 1.0), 0.0, 1.0);
}

}  // namespace cbsim::models::cloud
