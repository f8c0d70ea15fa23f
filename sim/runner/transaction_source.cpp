#include "sim/runner/transaction_source.h"

#include <algorithm>
#include <cmath>

namespace cbsim::sim {

namespace {
// Smallest valid Bitcoin transaction (one input, one output, no witness) is
// about 60 bytes; draws below are raised to it.
constexpr double kMinTxBytes = 60.0;
}  // namespace

TransactionSource::TransactionSource(const scenario::TransactionsConfig& config, std::size_t node_count,
                                     models::random::Rng rng)
    : config_(config), node_count_(node_count), rng_(std::move(rng)) {}

double TransactionSource::next_time(double now) { return now + rng_.exponential(1.0 / config_.rate_per_s); }

std::uint32_t TransactionSource::draw_size() {
  double size = config_.size_bytes_mean;
  if (config_.size_distribution == "exponential") {
    size = rng_.exponential(config_.size_bytes_mean);
  } else if (config_.size_distribution == "lognormal") {
    // Parameterised by its mean: mu = ln(mean) - sigma^2 / 2.
    const double sigma = config_.size_bytes_sigma;
    const double mu = std::log(config_.size_bytes_mean) - sigma * sigma / 2.0;
    size = std::exp(mu + sigma * rng_.standard_normal());
  }
  return static_cast<std::uint32_t>(std::lround(std::max(size, kMinTxBytes)));
}

models::chain::TxIndex TransactionSource::emit(models::chain::TxPool& pool, double now) {
  const auto origin = static_cast<std::uint32_t>(rng_.uniform_index(node_count_));
  const std::uint32_t size = draw_size();
  const double fee_rate = rng_.exponential(config_.fee_rate_mean);
  return pool.add(origin, size, fee_rate, now);
}

}  // namespace cbsim::sim
