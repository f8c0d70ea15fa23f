#pragma once
// A one-chain EVM world for contract tests: the committed artefacts of
// scenarios/contracts/build loaded, funded accounts, one transaction at a
// time with nonces kept, a block whose time the test sets.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "models/evm/abi.h"
#include "models/evm/hex.h"
#include "models/evm/transaction.h"
#include "models/evm/word.h"

namespace cbsim::models::evm::test {


struct Artefact {
  Bytes bytecode;           // init code, constructor arguments to be appended
  Bytes deployed_bytecode;  // the runtime code the creation must leave behind
};

inline Artefact load_artefact(const std::string& name) {
  const std::string path = std::string(CBSIM_SOURCE_DIR) + "/scenarios/contracts/build/" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  const nlohmann::json j = nlohmann::json::parse(in);
  return {bytes_from_hex(j.at("bytecode").get<std::string>()),
          bytes_from_hex(j.at("deployedBytecode").get<std::string>())};
}

inline Address account(std::uint8_t n) {
  Address a{};
  a[0] = 0xa0;  // non-zero bytes on both ends, like a real address
  a[19] = n;
  return a;
}

inline Bytes32 topic_of(const Address& a) {
  Bytes32 t{};
  std::copy(a.begin(), a.end(), t.begin() + 12);
  return t;
}

// A one-chain world: funded accounts, one transaction at a time, nonces kept.
class Chain {
public:
  Chain() {
    block_.gas_limit = 30'000'000;
    block_.number = 1;
    block_.timestamp = 1'700'000'000;
    block_.coinbase = account(0xcc);
    for (std::uint8_t n = 1; n <= 3; ++n) {
      Account acc;
      acc.balance = uint256(1'000'000'000'000'000'000ULL);  // 1 ether
      state_.put_account(account(n), std::move(acc));
    }
  }

  TransactionOutcome send(const Address& from, std::optional<Address> to, Bytes data) {
    Transaction tx;
    tx.type = 2;
    tx.sender = from;
    tx.nonce = state_.nonce(from);
    tx.gas_limit = 5'000'000;
    tx.max_fee_per_gas = uint256(1'000'000'000);
    tx.max_priority_fee_per_gas = uint256(1);
    tx.to = to;
    tx.data = std::move(data);
    last_intrinsic_ = intrinsic_gas(tx);
    TransactionOutcome out = apply_transaction(state_, block_, tx, Fork::cancun);
    EXPECT_TRUE(out.valid) << out.error;
    return out;
  }

  // The creation must leave the artefact's runtime code behind; a contract
  // with immutables has their values written into it, so only its size can
  // be compared.
  Address deploy(const Address& from, const Artefact& art, const Bytes& constructor_args = {},
                 bool has_immutables = false) {
    Bytes init = art.bytecode;
    init.insert(init.end(), constructor_args.begin(), constructor_args.end());
    const TransactionOutcome out = send(from, std::nullopt, std::move(init));
    EXPECT_EQ(out.result.status, Status::success);
    const auto code = state_.code(out.result.created);
    EXPECT_TRUE(code);
    if (!code) return out.result.created;
    const Bytes deployed(code->bytes().begin(), code->bytes().end());
    EXPECT_TRUE(has_immutables ? deployed.size() == art.deployed_bytecode.size() : deployed == art.deployed_bytecode);
    return out.result.created;
  }

  // A call whose return data is decoded as `types`; it must succeed.
  std::vector<AbiValue> call(const Address& from, const Address& to, std::string_view signature,
                             const std::vector<AbiValue>& args, std::string_view types) {
    const TransactionOutcome out = send(from, to, abi_encode_call(signature, args));
    EXPECT_EQ(out.result.status, Status::success) << signature;
    return abi_decode(types, out.result.output);
  }

  const WorldState& state() const { return state_; }
  void set_timestamp(std::uint64_t t) { block_.timestamp = t; }
  std::int64_t last_intrinsic() const { return last_intrinsic_; }

private:
  WorldState state_;
  BlockEnv block_;
  std::int64_t last_intrinsic_ = 0;
};

inline AbiValue u(std::uint64_t v) { return AbiValue::word(uint256(v)); }
inline AbiValue addr(const Address& a) { return AbiValue::address(a); }

}  // namespace cbsim::models::evm::test
