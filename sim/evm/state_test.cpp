#include "sim/evm/state_test.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "models/crypto/keccak.h"
#include "models/evm/hex.h"
#include "models/evm/transaction.h"

namespace cbsim::sim::evm {

namespace ev = models::evm;
using nlohmann::json;

namespace {

ev::Bytes hex_bytes(std::string_view s) { return ev::bytes_from_hex(s); }

// A hex quantity ("0x0a", possibly with leading zeros, up to 256 bits).
ev::uint256 hex_word(const std::string& s) {
  const std::optional<ev::uint256> w = ev::uint256::from_hex(s);
  if (!w) throw std::runtime_error("not a 256-bit hex quantity: " + s);
  return *w;
}

std::uint64_t hex_u64(const std::string& s) {
  const ev::uint256 w = hex_word(s);
  if (!ev::fits_u64(w)) throw std::runtime_error("quantity beyond 64 bits: " + s);
  return ev::to_u64(w);
}

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(const std::string& s) {
  const ev::Bytes b = hex_bytes(s);
  if (b.size() != N) throw std::runtime_error("expected " + std::to_string(N) + " bytes: " + s);
  std::array<std::uint8_t, N> a;
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

ev::WorldState load_pre_state(const json& pre) {
  ev::WorldState state;
  for (const auto& [address, a] : pre.items()) {
    ev::Account acc;
    acc.nonce = hex_u64(a.at("nonce").get<std::string>());
    acc.balance = hex_word(a.at("balance").get<std::string>());
    const ev::Bytes code = hex_bytes(a.at("code").get<std::string>());
    acc.code = std::make_shared<const ev::Code>(code);
    const auto h = models::crypto::keccak256(code);
    std::copy(h.begin(), h.end(), acc.code_hash.begin());
    for (const auto& [key, value] : a.at("storage").items()) {
      const ev::uint256 v = hex_word(value.get<std::string>());
      if (v != ev::uint256{}) acc.storage[ev::to_bytes32(hex_word(key))] = v;
    }
    state.put_account(hex_array<20>(address), std::move(acc));
  }
  return state;
}

// EIP-4844's blob base fee: fake_exponential(1, excess, 3338477).
ev::uint256 blob_base_fee(std::uint64_t excess) {
  const std::uint64_t denominator = 3338477;
  std::uint64_t i = 1, output = 0;
  __uint128_t accum = denominator;  // factor * denominator, factor = 1
  while (accum > 0) {
    output += static_cast<std::uint64_t>(accum);
    accum = accum * excess / (denominator * i);
    ++i;
  }
  return ev::uint256{output / denominator};
}

ev::BlockEnv load_env(const json& env) {
  ev::BlockEnv b;
  b.coinbase = hex_array<20>(env.at("currentCoinbase").get<std::string>());
  b.number = hex_u64(env.at("currentNumber").get<std::string>());
  b.timestamp = hex_u64(env.at("currentTimestamp").get<std::string>());
  b.gas_limit = hex_u64(env.at("currentGasLimit").get<std::string>());
  if (env.contains("currentBaseFee")) b.base_fee = hex_word(env["currentBaseFee"].get<std::string>());
  if (env.contains("currentRandom")) b.prev_randao = ev::to_bytes32(hex_word(env["currentRandom"].get<std::string>()));
  if (env.contains("currentExcessBlobGas")) b.blob_base_fee = blob_base_fee(hex_u64(env["currentExcessBlobGas"].get<std::string>()));
  // The state tests' block hashes: keccak256 of the block number as a decimal string.
  b.block_hash = [](std::uint64_t n) {
    const std::string text = std::to_string(n);
    const auto h = models::crypto::keccak256(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
    ev::Bytes32 out;
    std::copy(h.begin(), h.end(), out.begin());
    return out;
  };
  return b;
}

ev::Transaction load_transaction(const json& t, int data, int gas, int value) {
  ev::Transaction tx;
  tx.nonce = hex_u64(t.at("nonce").get<std::string>());
  tx.gas_limit = hex_u64(t.at("gasLimit").at(gas).get<std::string>());
  tx.value = hex_word(t.at("value").at(value).get<std::string>());
  tx.data = hex_bytes(t.at("data").at(data).get<std::string>());
  tx.sender = hex_array<20>(t.at("sender").get<std::string>());
  const std::string to = t.value("to", std::string());
  if (!to.empty()) tx.to = hex_array<20>(to);
  if (t.contains("maxFeePerGas")) {
    tx.type = 2;
    tx.max_fee_per_gas = hex_word(t["maxFeePerGas"].get<std::string>());
    tx.max_priority_fee_per_gas = hex_word(t["maxPriorityFeePerGas"].get<std::string>());
  } else {
    tx.gas_price = hex_word(t.at("gasPrice").get<std::string>());
  }
  if (t.contains("accessLists") && !t["accessLists"].at(data).is_null()) {
    if (tx.type == 0) tx.type = 1;
    for (const json& e : t["accessLists"][data]) {
      ev::AccessListEntry entry;
      entry.address = hex_array<20>(e.at("address").get<std::string>());
      for (const json& k : e.at("storageKeys")) entry.storage_keys.push_back(ev::to_bytes32(hex_word(k.get<std::string>())));
      tx.access_list.push_back(std::move(entry));
    }
  }
  if (t.contains("blobVersionedHashes")) {
    tx.type = 3;
    for (const json& h : t["blobVersionedHashes"]) tx.blob_versioned_hashes.push_back(hex_array<32>(h.get<std::string>()));
    tx.max_fee_per_blob_gas = hex_word(t.at("maxFeePerBlobGas").get<std::string>());
  }
  return tx;
}

}  // namespace

std::vector<StateTestCase> run_state_test_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(file.string() + ": invalid JSON: " + e.what());
  }
  std::vector<StateTestCase> cases;
  for (const auto& [name, test] : doc.items()) {
    if (!test.is_object() || !test.contains("post") || !test.contains("pre"))
      throw std::runtime_error(file.string() + ": " + name + ": not a state test (no pre or post)");
    const ev::BlockEnv env = load_env(test.at("env"));
    for (const auto& [fork_name, expectations] : test.at("post").items()) {
      const auto fork = ev::fork_from_name(fork_name);
      if (!fork) continue;  // a fork this EVM does not implement
      for (const json& expect : expectations) {
        StateTestCase c;
        c.file = file.string();
        c.name = name;
        c.fork = fork_name;
        c.data = expect.at("indexes").at("data").get<int>();
        c.gas = expect.at("indexes").at("gas").get<int>();
        c.value = expect.at("indexes").at("value").get<int>();
        try {
          ev::WorldState state = load_pre_state(test.at("pre"));
          ev::Transaction tx;
          try {
            tx = load_transaction(test.at("transaction"), c.data, c.gas, c.value);
          } catch (const std::exception& e) {
            // A field no transaction can hold (a value beyond 256 bits): the
            // transaction is invalid, which is right if the test expects it.
            if (!expect.contains("expectException")) throw;
            c.passed = true;
            cases.push_back(std::move(c));
            continue;
          }
          const ev::TransactionOutcome outcome = ev::apply_transaction(state, env, tx, *fork);
          const bool expects_exception = expect.contains("expectException");
          const std::string root = ev::to_hex(state.state_root());
          const std::string logs = ev::to_hex(ev::logs_hash(outcome.logs));
          if (expects_exception && outcome.valid) {
            c.detail = "expected " + expect["expectException"].get<std::string>() + ", the transaction was valid";
          } else if (!expects_exception && !outcome.valid) {
            c.detail = "transaction rejected: " + outcome.error;
          } else if (root != expect.at("hash").get<std::string>()) {
            c.detail = "state root " + root + ", expected " + expect["hash"].get<std::string>();
          } else if (logs != expect.at("logs").get<std::string>()) {
            c.detail = "logs hash " + logs + ", expected " + expect["logs"].get<std::string>();
          } else {
            c.passed = true;
          }
        } catch (const std::exception& e) {
          c.detail = std::string("error: ") + e.what();
        }
        cases.push_back(std::move(c));
      }
    }
  }
  return cases;
}

std::vector<std::filesystem::path> state_test_files(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  for (const std::string& p : paths) {
    if (std::filesystem::is_directory(p)) {
      std::vector<std::filesystem::path> found;
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".json") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.emplace_back(p);
    }
  }
  return files;
}

}  // namespace cbsim::sim::evm
