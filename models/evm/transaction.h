#pragma once
// Transaction processing as of Cancun: validity (intrinsic gas, nonce, funds,
// EIP-1559 fee caps, EIP-3607 senders without code, EIP-3860 init code size,
// EIP-4844 blob fields), buying gas, EIP-2929/2930/3651 warm sets, the message
// call or creation, EIP-3529 refunds, and paying the coinbase its priority fee.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/evm/interpreter.h"

namespace cbsim::models::evm {

struct AccessListEntry {
  Address address{};
  std::vector<Bytes32> storage_keys;
};

struct Transaction {
  int type = 0;  // 0 legacy, 1 access list (EIP-2930), 2 dynamic fee (EIP-1559), 3 blob (EIP-4844)
  std::uint64_t nonce = 0;
  std::uint64_t gas_limit = 0;
  uint256 gas_price{};                 // types 0 and 1
  uint256 max_fee_per_gas{};           // types 2 and 3
  uint256 max_priority_fee_per_gas{};  // types 2 and 3
  std::optional<Address> to;           // none: a contract creation
  uint256 value{};
  Bytes data;
  std::vector<AccessListEntry> access_list;
  Address sender{};
  std::vector<Bytes32> blob_versioned_hashes;
  uint256 max_fee_per_blob_gas{};
};

struct TransactionOutcome {
  bool valid = false;
  std::string error;       // why the transaction is invalid
  ExecResult result;       // of the top-level message
  std::int64_t gas_used = 0;
  std::vector<Log> logs;
};

// The gas a transaction pays before any code runs.
std::int64_t intrinsic_gas(const Transaction& tx);

// Applies `tx` to `state` (left unchanged if the transaction is invalid).
// Beyond `budget`, result.status is Status::aborted and `state` is of no use.
TransactionOutcome apply_transaction(WorldState& state, const BlockEnv& block, const Transaction& tx, Fork fork,
                                     const ExecutionBudget& budget = {});

}  // namespace cbsim::models::evm
