#include "models/allocation/clear_capacity.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <set>

namespace cbsim::models::allocation {

ClearCapacity clear_capacity(const std::vector<ClearSample>& served, const std::vector<double>& failed_bids,
                             double gas_limit) {
  ClearCapacity out;
  const double fewest_failed =
      failed_bids.empty() ? INFINITY : *std::min_element(failed_bids.begin(), failed_bids.end());
  if (served.empty()) {
    out.upper_bound = true;
    out.bids = std::isinf(fewest_failed) ? 0.0 : fewest_failed - 1.0;
    return out;
  }
  std::set<double> sizes;
  double bids = 0.0, gas = 0.0;
  for (const ClearSample& s : served) {
    sizes.insert(s.bids);
    bids += s.bids;
    gas += s.gas;
  }
  double capacity = gas_limit / (gas / bids);  // the mean gas per bid
  if (sizes.size() >= 3) {
    Eigen::MatrixXd x(static_cast<Eigen::Index>(served.size()), 3);
    Eigen::VectorXd y(static_cast<Eigen::Index>(served.size()));
    for (std::size_t i = 0; i < served.size(); ++i) {
      const auto r = static_cast<Eigen::Index>(i);
      x(r, 0) = 1.0;
      x(r, 1) = served[i].bids;
      x(r, 2) = served[i].bids * served[i].bids;
      y(r) = served[i].gas;
    }
    const Eigen::Vector3d k = x.colPivHouseholderQr().solve(y);
    const auto fit = [&](double n) { return k(0) + k(1) * n + k(2) * n * n; };
    // The largest whole n the fit keeps within the limit, if the fit grows.
    const double largest_seen = *sizes.rbegin();
    if (fit(largest_seen) <= gas_limit && fit(2 * largest_seen) > fit(largest_seen)) {
      double n = largest_seen;
      while (n < 1e6 && fit(n + 1) <= gas_limit) n = std::max(n + 1, std::floor(n * 1.01));
      while (n > largest_seen && fit(n) > gas_limit) n -= 1;
      capacity = n;
      out.fitted = true;
    } else if (fit(largest_seen) > gas_limit) {
      capacity = largest_seen;  // the fit is below the data: the largest clear seen is what is known
      out.fitted = true;
    }
  }
  out.bids = std::min(capacity, fewest_failed - 1.0);
  return out;
}

double poisson_mean_within(double capacity, double overflow) {
  if (capacity < 0.0) return 0.0;
  const double n = std::floor(capacity);
  const auto exceeds = [&](double mean) {
    return mean > 0.0 && boost::math::cdf(boost::math::complement(boost::math::poisson_distribution<>(mean), n)) > overflow;
  };
  double low = 0.0, high = std::max(1.0, 2.0 * n + 10.0);
  while (!exceeds(high)) high *= 2.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (low + high);
    (exceeds(mid) ? high : low) = mid;
  }
  return low;
}

}  // namespace cbsim::models::allocation
