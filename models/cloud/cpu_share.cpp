#include "models/cloud/cpu_share.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace cbsim::models::cloud {

std::vector<double> max_min_shares(double capacity_cores, const std::vector<CpuClaim>& claims) {
  if (capacity_cores < 0.0) throw std::invalid_argument("max_min_shares: negative capacity");
  for (const CpuClaim& c : claims)
    if (!(c.weight > 0.0) || c.cap_cores < 0.0) throw std::invalid_argument("max_min_shares: invalid claim");
  std::vector<double> share(claims.size(), 0.0);
  // Claims saturate in order of cap / weight: once lambda reaches a claim's
  // cap / weight it gets its cap and leaves the rest to the others.
  std::vector<std::size_t> order(claims.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return claims[a].cap_cores * claims[b].weight < claims[b].cap_cores * claims[a].weight;
  });
  double left = capacity_cores;
  double weight_left = 0.0;
  for (const CpuClaim& c : claims) weight_left += c.weight;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const CpuClaim& c = claims[order[k]];
    const double lambda = left / weight_left;
    if (c.cap_cores <= lambda * c.weight) {
      share[order[k]] = c.cap_cores;
      left -= c.cap_cores;
      weight_left -= c.weight;
      continue;
    }
    // Every remaining claim is limited by lambda, not by its cap.
    for (std::size_t j = k; j < order.size(); ++j) share[order[j]] = lambda * claims[order[j]].weight;
    break;
  }
  return share;
}

}  // namespace cbsim::models::cloud
