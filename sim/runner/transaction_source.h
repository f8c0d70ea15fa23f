#pragma once
// The transaction workload: Poisson arrivals at rate_per_s, sizes from the
// configured distribution, fee rates exponentially distributed, each broadcast
// by a node drawn uniformly.

#include "models/chain/tx_pool.h"
#include "models/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

class TransactionSource {
public:
  TransactionSource(const scenario::TransactionsConfig& config, std::size_t node_count, models::random::Rng rng);

  double next_time(double now);  // time of the next arrival after `now`
  models::chain::TxIndex emit(models::chain::TxPool& pool, double now);

private:
  std::uint32_t draw_size();

  scenario::TransactionsConfig config_;
  std::size_t node_count_;
  models::random::Rng rng_;
};

}  // namespace cbsim::sim
