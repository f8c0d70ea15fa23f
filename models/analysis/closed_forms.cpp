#include "models/analysis/closed_forms.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cbsim::models::analysis {

namespace {
void check_share(double q, const char* name) {
  if (!(q >= 0.0 && q <= 1.0)) throw std::invalid_argument(std::string(name) + " must be in [0, 1]");
}
void check_confirmations(int z) {
  if (z < 0) throw std::invalid_argument("confirmations must be >= 0");
}
}  // namespace

double nakamoto_double_spend(double q, int z) {
  check_share(q, "q");
  check_confirmations(z);
  const double p = 1.0 - q;
  if (q >= p) return 1.0;
  const double lambda = z * (q / p);
  double sum = 1.0;
  double poisson = std::exp(-lambda);  // P(k = 0)
  for (int k = 0; k <= z; ++k) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1.0 - std::pow(q / p, z - k));
  }
  return sum;
}

double rosenfeld_double_spend(double q, int z) {
  check_share(q, "q");
  check_confirmations(z);
  const double p = 1.0 - q;
  if (q >= p) return 1.0;
  if (z == 0) return 1.0;
  double sum = 0.0;
  double binom = 1.0;  // C(m + z - 1, m), updated incrementally
  for (int m = 0; m <= z; ++m) {
    if (m > 0) binom *= static_cast<double>(m + z - 1) / m;
    sum += binom * (std::pow(p, z) * std::pow(q, m) - std::pow(p, m) * std::pow(q, z));
  }
  return 1.0 - sum;
}

double eclipse_withholding_success(double branch_share, int z, double window_blocks) {
  check_share(branch_share, "branch_share");
  check_confirmations(z);
  if (window_blocks < 0.0) throw std::invalid_argument("window_blocks must be >= 0");
  if (z == 0) return 1.0;
  if (window_blocks == 0.0) return branch_share > 0.0 ? 1.0 : 0.0;
  const double mean = branch_share * window_blocks;
  double term = std::exp(-mean);  // P(Poisson = k), from k = 0
  double below = 0.0;
  for (int k = 0; k < z; ++k) {
    below += term;
    term *= mean / (k + 1);
  }
  return std::max(0.0, 1.0 - below);
}

double selfish_mining_revenue(double alpha, double gamma) {
  check_share(alpha, "alpha");
  check_share(gamma, "gamma");
  const double a = alpha;
  const double numerator = a * (1 - a) * (1 - a) * (4 * a + gamma * (1 - 2 * a)) - a * a * a;
  const double denominator = 1 - a * (1 + (2 - a) * a);
  return numerator / denominator;
}

double selfish_mining_threshold(double gamma) {
  check_share(gamma, "gamma");
  return (1 - gamma) / (3 - 2 * gamma);
}

double fork_probability(double uninformed_integral_s, double block_interval_s) {
  if (!(block_interval_s > 0)) throw std::invalid_argument("block interval must be > 0");
  if (!(uninformed_integral_s >= 0)) throw std::invalid_argument("integral must be >= 0");
  return -std::expm1(-uninformed_integral_s / block_interval_s);
}

}  // namespace cbsim::models::analysis
