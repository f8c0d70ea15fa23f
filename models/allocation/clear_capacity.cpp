#include "models/allocation/clear_capacity.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <set>

namespace cbsim::models::allocation {

namespace {

// Least squares of gas on 1, n (and n^2 with `quadratic`).
Eigen::Vector3d fit(const std::vector<ClearSample>& served, bool quadratic) {
  const Eigen::Index columns = quadratic ? 3 : 2;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(served.size()), columns);
  Eigen::VectorXd y(static_cast<Eigen::Index>(served.size()));
  for (std::size_t i = 0; i < served.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    x(r, 0) = 1.0;
    x(r, 1) = served[i].bids;
    if (quadratic) x(r, 2) = served[i].bids * served[i].bids;
    y(r) = served[i].gas;
  }
  const Eigen::VectorXd k = x.colPivHouseholderQr().solve(y);
  return {k(0), k(1), quadratic ? k(2) : 0.0};
}

}  // namespace

ClearCapacity clear_capacity(const std::vector<ClearSample>& served, const std::vector<double>& failed_bids,
                             double gas_limit, double max_bids) {
  ClearCapacity out;
  const double fewest_failed =
      failed_bids.empty() ? INFINITY : *std::min_element(failed_bids.begin(), failed_bids.end());
  if (served.empty()) {
    out.upper_bound = true;
    out.bids = std::min(max_bids, std::isinf(fewest_failed) ? 0.0 : fewest_failed - 1.0);
    return out;
  }
  std::set<double> sizes;
  double bids = 0.0, gas = 0.0;
  for (const ClearSample& s : served) {
    sizes.insert(s.bids);
    bids += s.bids;
    gas += s.gas;
  }
  double capacity = gas_limit / (gas / bids);  // the mean gas per bid, if nothing better
  if (sizes.size() >= 2) {
    // Quadratic with three sizes or more; linear when the curvature comes out
    // negative (noise: the sort cannot make a clear cheaper per bid).
    Eigen::Vector3d k = fit(served, sizes.size() >= 3);
    if (k(2) < 0.0) k = fit(served, false);
    const double a = k(0), b = k(1), c = k(2);
    double n = -1.0;
    // (A whole number of bids; the fit's rounding must not cost one.)
    if (c > 0.0) n = std::floor((-b + std::sqrt(b * b - 4.0 * c * (a - gas_limit))) / (2.0 * c) + 1e-9);
    else if (b > 0.0) n = std::floor((gas_limit - a) / b + 1e-9);
    if (n >= 0.0) {
      capacity = n;
      out.fitted = true;
    }
  }
  out.bids = std::max(0.0, std::min({capacity, fewest_failed - 1.0, max_bids}));
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
