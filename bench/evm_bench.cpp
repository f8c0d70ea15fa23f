// The interpreter's speed in Mgas/s on fixed workloads (make bench):
//   arithmetic  a loop of MUL, ADD, DIV, EXP, MULMOD on stack values
//   keccak      a loop hashing 64 bytes of memory, each result fed back
//   storage     a loop rewriting and reading sixteen storage slots
//   erc20       Token.transfer calls (scenarios/contracts/build/Token.json) as
//               transactions, when the compiled contract is there
// Each workload runs for at least a second of wall time; the output is one
// JSON object per line and the geometric mean of the three compute workloads,
// compared by the README with evmone's published baseline interpreter (784
// Mgas/s, 4.4 GHz desktop). The ERC-20 transfers are reported apart: 41,000 of a
// first transfer's 51,120 gas are the intrinsic 21,000 and a 20,000-gas
// first storage write, priced for disk, which in memory cost next to nothing,
// so their Mgas/s says more about the gas schedule than about the interpreter
// (each run also deploys the token, inside the time measured).

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/evm/abi.h"
#include "models/evm/hex.h"
#include "models/evm/interpreter.h"
#include "models/evm/transaction.h"

namespace ev = cbsim::models::evm;

namespace {

// Runs `code` as a call with `gas` until at least `min_seconds` of wall time
// have passed; returns Mgas/s.
double measure(const std::string& name, const std::function<std::int64_t()>& run_once, double min_seconds = 1.0) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::int64_t gas = 0;
  int runs = 0;
  double elapsed = 0.0;
  while (elapsed < min_seconds) {
    gas += run_once();
    ++runs;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  const double mgas_per_s = static_cast<double>(gas) / elapsed / 1e6;
  std::printf("%s\n", nlohmann::json({{"workload", name}, {"runs", runs}, {"gas", gas}, {"seconds", elapsed},
                                      {"mgas_per_s", mgas_per_s}})
                          .dump()
                          .c_str());
  return mgas_per_s;
}

std::int64_t run_code(const ev::Bytes& code, std::int64_t gas) {
  ev::WorldState state;
  const ev::Address contract = {0x10};
  ev::Account acc;
  acc.code = std::make_shared<const ev::Code>(code);
  acc.nonce = 1;
  state.put_account(contract, std::move(acc));
  state.begin_transaction();
  const ev::BlockEnv block;
  const ev::TxContext tx{ev::Address{0x20}, {}, {}};
  ev::Interpreter vm(state, block, tx, ev::Fork::cancun);
  ev::Message m;
  m.gas = gas;
  m.sender = tx.origin;
  m.recipient = m.code_address = contract;
  const ev::ExecResult r = vm.execute(m);
  if (r.status != ev::Status::success) throw std::runtime_error("workload failed");
  return gas - r.gas_left;
}

// A loop of `n` rounds around `body`: PUSH4 n, JUMPDEST, body, PUSH1 1, SWAP1,
// SUB, DUP1, PUSH1 5, JUMPI, STOP (the counter stays below the body's values).
ev::Bytes loop(std::uint32_t n, const ev::Bytes& body) {
  ev::Bytes code;
  code.reserve(body.size() + 15);
  for (const std::uint8_t b : {std::uint8_t{0x63}, static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                               static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), std::uint8_t{0x5b}})
    code.push_back(b);
  for (const std::uint8_t b : body) code.push_back(b);
  for (const std::uint8_t b : {0x60, 0x01, 0x90, 0x03, 0x80, 0x60, 0x05, 0x57, 0x00}) code.push_back(b);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string source_dir = argc > 1 ? argv[1] : ".";
  std::vector<double> rates;
  // arithmetic: 3 * 5 + 7, / 2, ** 3, mulmod by a 256-bit modulus; POP.
  const ev::Bytes arith = ev::bytes_from_hex(
      "600360050260070160020460030a"
      "7ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb"
      "7f0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      "80095050");
  rates.push_back(measure("arithmetic", [&] { return run_code(loop(100000, arith), 1'000'000'000); }));
  // keccak: hash memory[0..64), store the hash at 0.
  rates.push_back(measure("keccak", [&] { return run_code(loop(100000, ev::bytes_from_hex("6040600020600052")), 1'000'000'000); }));
  // storage: SSTORE(counter & 15, counter), then SLOAD(counter & 15) and POP:
  // sixteen slots rewritten (warm and dirty after the first round, 100 gas a
  // write), so the time measured is the interpreter's and the state's, not a
  // 22,100-gas price for a first write that costs nothing in memory.
  rates.push_back(measure("storage", [&] {
    return run_code(loop(100000, ev::bytes_from_hex("80600f16819055" "80600f165450")), 1'000'000'000);
  }));

  std::ifstream token_file(source_dir + "/scenarios/contracts/build/Token.json");
  if (token_file) {
    const nlohmann::json token = nlohmann::json::parse(token_file);
    const ev::Bytes init = ev::bytes_from_hex(token.at("bytecode").get<std::string>());
    const double erc20 = measure("erc20", [&] {
      ev::WorldState state;
      const ev::Address owner = {0x20};
      ev::Account acc;
      acc.balance = ev::uint256{1} << 100;
      state.put_account(owner, std::move(acc));
      ev::BlockEnv block;
      block.gas_limit = 30'000'000;
      ev::Transaction deploy;
      deploy.gas_limit = 5'000'000;
      deploy.sender = owner;
      deploy.data = init;
      const ev::Bytes args = ev::abi_encode(ev::parse_abi_types("string,string,uint256"),
                                            {ev::AbiValue::string("Bench"), ev::AbiValue::string("BNC"),
                                             ev::AbiValue::word(ev::uint256{1} << 80)});
      deploy.data.insert(deploy.data.end(), args.begin(), args.end());
      const auto d = ev::apply_transaction(state, block, deploy, ev::Fork::cancun);
      if (!d.valid || d.result.status != ev::Status::success) throw std::runtime_error("Token deployment failed");
      const ev::Address token_address = d.result.created;
      std::int64_t gas = 0;
      for (std::uint64_t i = 0; i < 1000; ++i) {
        ev::Transaction t;
        t.nonce = i + 1;
        t.gas_limit = 100'000;
        t.sender = owner;
        t.to = token_address;
        // transfer(address,uint256) to a new holder each time, amount 1.
        ev::Address to{};
        to[0] = 0x01;
        to[18] = static_cast<std::uint8_t>(i >> 8);
        to[19] = static_cast<std::uint8_t>(i);
        const ev::Bytes data =
            ev::abi_encode_call("transfer(address,uint256)", {ev::AbiValue::address(to), ev::AbiValue::word(1)});
        t.data = data;
        const auto r = ev::apply_transaction(state, block, t, ev::Fork::cancun);
        if (!r.valid || r.result.status != ev::Status::success) throw std::runtime_error("transfer failed");
        gas += r.gas_used;
      }
      return gas;
    });
    // 51,120 gas per transfer to a new holder (tests/models/test_contracts.cpp).
    std::printf("%s\n", nlohmann::json({{"workload", "erc20"}, {"transfers_per_s", erc20 * 1e6 / 51120.0}}).dump().c_str());
  }
  double log_sum = 0.0;
  for (const double r : rates) log_sum += std::log(r);
  std::printf("%s\n", nlohmann::json({{"workload", "geometric_mean_compute"}, {"mgas_per_s", std::exp(log_sum / rates.size())}})
                          .dump()
                          .c_str());
  return 0;
}
