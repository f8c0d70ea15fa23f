#pragma once
// CPU cost of validating a block, in cycles: a deterministic cost model, never
// a wall-clock measurement. Transactions already validated when they entered
// the mempool are cheap to re-check (Bitcoin Core's signature cache).

#include <cstdint>

namespace cbsim::models::chain {

struct ValidationCostModel {
  double header_cycles = 2.0e4;
  double tx_validation_cycles = 1.0e5;
  double cached_tx_cycles = 5.0e3;
  double hash_cycles_per_byte = 12.0;

  double block_cycles(std::uint64_t block_bytes, std::uint64_t tx_count, std::uint64_t new_tx_count) const {
    const std::uint64_t cached = tx_count - new_tx_count;
    return header_cycles + hash_cycles_per_byte * static_cast<double>(block_bytes) +
           tx_validation_cycles * static_cast<double>(new_tx_count) + cached_tx_cycles * static_cast<double>(cached);
  }
};

}  // namespace cbsim::models::chain
