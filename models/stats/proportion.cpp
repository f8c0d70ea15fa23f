#include "models/stats/proportion.h"

#include <cmath>

namespace cbsim::models::stats {

double wilson_half_width(std::uint64_t successes, std::uint64_t trials, double z) {
  if (trials == 0) return 0.5;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  return z / (1.0 + z2 / n) * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
}

}  // namespace cbsim::models::stats
