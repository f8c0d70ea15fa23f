#include "sim/evm/contract_deployments.h"

#include <stdexcept>

#include "models/evm/abi.h"
#include "models/evm/hex.h"
#include "sim/runner/contract_artifacts.h"

namespace cbsim::sim::evm {

namespace ev = models::evm;

ev::Address simulated_account(std::uint32_t i) {
  ev::Address a{};
  a[0] = 0xcb;  // a recognisable prefix; the rest is the account's number
  a[16] = static_cast<std::uint8_t>(i >> 24);
  a[17] = static_cast<std::uint8_t>(i >> 16);
  a[18] = static_cast<std::uint8_t>(i >> 8);
  a[19] = static_cast<std::uint8_t>(i);
  return a;
}

ev::TransactionOutcome apply_setup(ev::WorldState& state, const ev::BlockEnv& block, const ev::Address& sender,
                                   std::optional<ev::Address> to, ev::Bytes data, std::uint64_t gas_limit,
                                   const std::string& what) {
  ev::Transaction tx;
  tx.sender = sender;
  tx.nonce = state.nonce(sender);
  tx.gas_limit = gas_limit;
  tx.to = to;
  tx.data = std::move(data);
  ev::TransactionOutcome out = ev::apply_transaction(state, block, tx, ev::Fork::cancun);
  if (!out.valid || out.result.status != ev::Status::success) throw std::logic_error(what + " failed" + (out.error.empty() ? "" : ": " + out.error));
  return out;
}

ev::Bytes simple_storage_deployment() { return ev::bytes_from_hex(contract_artifacts::kSimpleStorageInitCode); }
ev::Bytes data_anchor_deployment() { return ev::bytes_from_hex(contract_artifacts::kDataAnchorInitCode); }

ev::Bytes cloud_allocator_deployment(std::uint64_t slot_s, std::uint64_t epoch_s) {
  ev::Bytes code = ev::bytes_from_hex(contract_artifacts::kCloudAllocatorInitCode);
  const ev::Bytes args = ev::abi_encode(ev::parse_abi_types("uint64,uint64"),
                                        {ev::AbiValue::word(ev::uint256{slot_s}), ev::AbiValue::word(ev::uint256{epoch_s})});
  code.insert(code.end(), args.begin(), args.end());
  return code;
}

ev::Bytes token_deployment(const std::string& name, const std::string& symbol, const ev::uint256& supply) {
  ev::Bytes code = ev::bytes_from_hex(contract_artifacts::kTokenInitCode);
  const ev::Bytes args = ev::abi_encode(ev::parse_abi_types("string,string,uint256"),
                                        {ev::AbiValue::string(name), ev::AbiValue::string(symbol),
                                         ev::AbiValue::word(supply)});
  code.insert(code.end(), args.begin(), args.end());
  return code;
}

}  // namespace cbsim::sim::evm
