#include "sim/calibration/evm_workloads.h"

#include <stdexcept>

#include "models/evm/abi.h"
#include "models/evm/code_run.h"
#include "models/evm/hex.h"
#include "models/evm/interpreter.h"
#include "models/evm/transaction.h"
#include "sim/evm/contract_deployments.h"

namespace cbsim::sim::calibration {

namespace ev = models::evm;

std::int64_t run_loop(std::uint32_t rounds, const ev::Bytes& body, std::int64_t gas) {
  ev::Bytes code;
  code.reserve(body.size() + 15);
  for (const std::uint8_t b : {std::uint8_t{0x63}, static_cast<std::uint8_t>(rounds >> 24),
                               static_cast<std::uint8_t>(rounds >> 16), static_cast<std::uint8_t>(rounds >> 8),
                               static_cast<std::uint8_t>(rounds), std::uint8_t{0x5b}})
    code.push_back(b);
  for (const std::uint8_t b : body) code.push_back(b);
  // PUSH1 1, SWAP1, SUB, DUP1, PUSH1 5, JUMPI, STOP
  for (const std::uint8_t b : {0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x05, 0x57, 0x00}) code.push_back(b);

  const ev::ExecResult r = ev::run_code(code, {}, gas).result;
  if (r.status != ev::Status::success) throw std::logic_error("EVM workload failed");
  return gas - r.gas_left;
}

std::int64_t arithmetic_workload() {
  // 3 * 5 + 7, / 2, ** 3, MULMOD of two 256-bit constants; POP POP.
  static const ev::Bytes body = ev::bytes_from_hex(
      "600360050260070160020460030a"
      "7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb"
      "7f0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      "80095050");
  return run_loop(100000, body);
}

std::int64_t keccak_workload() {
  // Hash memory[0..64), store the hash at 0.
  static const ev::Bytes body = ev::bytes_from_hex("6040600020600052");
  return run_loop(100000, body);
}

std::int64_t storage_workload() {
  // SSTORE(counter & 15, counter), then SLOAD(counter & 15), POP: sixteen slots
  // rewritten (warm and dirty after the first round).
  static const ev::Bytes body = ev::bytes_from_hex("80600f16819055" "80600f165450");
  return run_loop(100000, body);
}

std::int64_t token_transfers_workload(int transfers) {
  ev::WorldState state;
  const ev::Address owner = {0x20};
  ev::Account acc;
  acc.balance = ev::uint256{1} << 100;
  state.put_account(owner, std::move(acc));
  ev::BlockEnv block;
  block.gas_limit = 30'000'000;
  const auto d = evm::apply_setup(state, block, owner, std::nullopt,
                                  evm::token_deployment("Bench", "BNC", ev::uint256{1} << 80), 5'000'000,
                                  "Token deployment");
  std::int64_t gas = 0;
  for (int i = 0; i < transfers; ++i) {
    ev::Address to{};
    to[0] = 0x01;
    to[18] = static_cast<std::uint8_t>(i >> 8);
    to[19] = static_cast<std::uint8_t>(i);
    gas += evm::apply_setup(state, block, owner, d.result.created,
                            ev::abi_encode_call("transfer(address,uint256)",
                                                {ev::AbiValue::address(to), ev::AbiValue::word(1)}),
                            100'000, "transfer")
               .gas_used;
  }
  return gas;
}

}  // namespace cbsim::sim::calibration
