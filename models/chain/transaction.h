#pragma once
// Transactions of the simulated workload. Their content is synthetic (who pays
// whom is irrelevant to propagation and forks) but their ids are real SHA-256d
// hashes of that content, so Merkle roots and block hashes are real too.

#include <cstdint>
#include <vector>

#include "models/crypto/hash.h"

namespace cbsim::models::chain {

using TxIndex = std::uint32_t;
using BlockId = std::uint32_t;
inline constexpr BlockId kNoBlock = 0xFFFFFFFFu;
inline constexpr TxIndex kNoTx = 0xFFFFFFFFu;

struct Transaction {
  TxIndex index = 0;          // position in the TxPool
  crypto::Hash256 txid{};
  std::uint32_t size_bytes = 0;
  double fee_rate = 0.0;      // satoshi per byte
  double created_s = 0.0;     // simulated time it was broadcast
  std::uint32_t origin = 0;   // node that broadcast it
  std::vector<BlockId> included_in;  // every block (on any branch) that contains it
  // Spends the same coins as another transaction: no chain may hold both
  // (a double spend). kNoTx for ordinary transactions.
  TxIndex conflicts_with = kNoTx;
  // False for a transaction its origin keeps to itself (an attacker's
  // conflicting payment until it publishes the blocks holding it).
  bool broadcast = true;
};

// The txid: SHA-256d of a canonical serialisation of the content.
crypto::Hash256 compute_txid(TxIndex index, std::uint32_t origin, std::uint32_t size_bytes, double fee_rate,
                             double created_s);

}  // namespace cbsim::models::chain
