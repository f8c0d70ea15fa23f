#include "models/evm/transaction.h"

#include <algorithm>
#include <limits>

#include "models/evm/precompiles.h"

namespace cbsim::models::evm {

namespace {

constexpr std::uint64_t kGasPerBlob = 131072;  // EIP-4844
constexpr std::uint8_t kBlobHashVersion = 0x01;
constexpr std::size_t kMaxBlobsPerBlock = 6;  // EIP-4844: 786,432 blob gas per block

uint256 effective_gas_price(const Transaction& tx, const BlockEnv& block) {
  if (tx.type < 2) return tx.gas_price;
  const uint256 headroom = tx.max_fee_per_gas - block.base_fee;
  return block.base_fee + (tx.max_priority_fee_per_gas < headroom ? tx.max_priority_fee_per_gas : headroom);
}

// Why `tx` cannot be included, or "" if it can.
std::string invalid_reason(const WorldState& state, const BlockEnv& block, const Transaction& tx, Fork fork) {
  if (tx.type == 3 && fork == Fork::shanghai) return "blob transactions start with Cancun";
  if (!tx.to && tx.data.size() > kMaxInitcodeSize) return "init code larger than 49152 bytes (EIP-3860)";
  if (static_cast<std::int64_t>(tx.gas_limit) < intrinsic_gas(tx)) return "gas limit below the intrinsic gas";
  if (tx.gas_limit > block.gas_limit) return "gas limit above the block's";
  if (tx.nonce != state.nonce(tx.sender)) return "nonce mismatch";
  if (tx.nonce == std::numeric_limits<std::uint64_t>::max()) return "nonce at its maximum (EIP-2681)";
  const auto code = state.code(tx.sender);
  if (code && code->size() > 0) return "sender has code (EIP-3607)";
  uint256 fee_cap = tx.gas_price;
  if (tx.type >= 2) {
    if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas) return "priority fee above the fee cap";
    fee_cap = tx.max_fee_per_gas;
  }
  if (fee_cap < block.base_fee) return "fee cap below the base fee";
  // gas limit x fee cap (+ blob gas x blob fee cap) must not wrap around 2^256.
  if (!mul_full(uint256{tx.gas_limit}, fee_cap)[1].is_zero()) return "gas limit x fee cap overflows";
  uint256 cost = uint256{tx.gas_limit} * fee_cap;
  if (tx.type == 3) {
    if (!tx.to) return "blob transaction without a recipient";
    if (tx.blob_versioned_hashes.empty()) return "blob transaction without blobs";
    if (tx.blob_versioned_hashes.size() > kMaxBlobsPerBlock) return "more blobs than a block may hold";
    for (const Bytes32& h : tx.blob_versioned_hashes)
      if (h[0] != kBlobHashVersion) return "blob hash of an unknown version";
    if (tx.max_fee_per_blob_gas < block.blob_base_fee) return "blob fee cap below the blob base fee";
    const auto blob_cost = mul_full(uint256{kGasPerBlob * tx.blob_versioned_hashes.size()}, tx.max_fee_per_blob_gas);
    if (!blob_cost[1].is_zero() || cost + blob_cost[0] < cost) return "blob gas x blob fee cap overflows";
    cost = cost + blob_cost[0];
  }
  // Overflow of gas x price + value would wrap: compare in steps.
  const uint256 balance = state.balance(tx.sender);
  if (balance < cost || balance - cost < tx.value) return "insufficient funds for gas x price + value";
  return "";
}

}  // namespace

std::int64_t intrinsic_gas(const Transaction& tx) {
  std::int64_t g = gas::kTransaction;
  for (const std::uint8_t b : tx.data) g += b == 0 ? gas::kTxDataZero : gas::kTxDataNonZero;
  if (!tx.to) g += gas::kTransactionCreate + gas::kInitcodeWord * static_cast<std::int64_t>((tx.data.size() + 31) / 32);
  for (const AccessListEntry& e : tx.access_list)
    g += gas::kAccessListAddress + gas::kAccessListStorageKey * static_cast<std::int64_t>(e.storage_keys.size());
  return g;
}

TransactionOutcome apply_transaction(WorldState& state, const BlockEnv& block, const Transaction& tx, Fork fork,
                                     const ExecutionBudget& budget) {
  TransactionOutcome out;
  out.error = invalid_reason(state, block, tx, fork);
  if (!out.error.empty()) return out;
  out.valid = true;

  state.begin_transaction();
  const uint256 price = effective_gas_price(tx, block);
  const std::uint64_t blob_gas = kGasPerBlob * tx.blob_versioned_hashes.size();
  state.sub_balance(tx.sender, uint256{tx.gas_limit} * price + uint256{blob_gas} * block.blob_base_fee);
  state.set_nonce(tx.sender, tx.nonce + 1);

  state.warm_address(tx.sender);
  state.warm_address(block.coinbase);  // EIP-3651
  for (std::uint8_t i = 1; i <= 10; ++i) {
    Address p{};
    p[19] = i;
    if (is_precompile(p, fork)) state.warm_address(p);
  }
  for (const AccessListEntry& e : tx.access_list) {
    state.warm_address(e.address);
    for (const Bytes32& k : e.storage_keys) state.warm_slot(e.address, k);
  }

  Message m;
  m.gas = static_cast<std::int64_t>(tx.gas_limit) - intrinsic_gas(tx);
  m.sender = tx.sender;
  m.value = tx.value;
  m.input = tx.data;
  if (tx.to) {
    m.kind = CallKind::call;
    m.recipient = m.code_address = *tx.to;
    state.warm_address(*tx.to);
  } else {
    m.kind = CallKind::create;
    m.recipient = m.code_address = create_address(tx.sender, tx.nonce);
    state.warm_address(m.recipient);
  }
  TxContext context{tx.sender, price, tx.blob_versioned_hashes};
  Interpreter vm(state, block, context, fork, budget);
  out.result = vm.execute(m);

  // EIP-3529: refunds are capped at a fifth of the gas used.
  std::int64_t gas_used = static_cast<std::int64_t>(tx.gas_limit) - out.result.gas_left;
  const std::int64_t refund = std::min(state.refund(), gas_used / gas::kMaxRefundQuotient);
  const std::int64_t gas_left = out.result.gas_left + refund;
  gas_used -= refund;
  out.gas_used = gas_used;
  state.add_balance(tx.sender, uint256{static_cast<std::uint64_t>(gas_left)} * price);
  const uint256 tip = uint256{static_cast<std::uint64_t>(gas_used)} * (price - block.base_fee);
  state.add_balance(block.coinbase, tip);
  out.logs = state.logs();
  state.end_transaction();
  return out;
}

}  // namespace cbsim::models::evm
