#include "models/stats/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace cbsim::models::stats {

double quantile(std::vector<double> sample, double q) {
  if (q < 0.0 || q > 1.0) throw std::invalid_argument("quantile: q outside [0, 1]");
  if (sample.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(sample.begin(), sample.end());
  const double pos = q * static_cast<double>(sample.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sample.size() - 1);
  return sample[lo] + (pos - static_cast<double>(lo)) * (sample[hi] - sample[lo]);
}

double median(std::vector<double> sample) { return quantile(std::move(sample), 0.5); }

}  // namespace cbsim::models::stats
