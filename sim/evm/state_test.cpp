#include "sim/evm/state_test.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>

#include "models/crypto/keccak.h"
#include "models/evm/blob_fee.h"
#include "models/evm/hex.h"
#include "models/evm/transaction.h"
#include "sim/evm/json_field.h"

namespace cbsim::sim::evm {

namespace ev = models::evm;
using nlohmann::json;

namespace {

// Well-formed hex, but too large for its field (a value beyond 256 bits, a gas
// limit beyond the interpreter's 63-bit gas counter). In a transaction this
// makes the transaction invalid, which a test may expect; anywhere else the
// file is unusable.
struct QuantityOutOfRange : JsonFieldError {
  using JsonFieldError::JsonFieldError;
};

// A quantity is "0x" and at least one hex digit; `where` names it in errors
// (for an object's key, the member it names).
void require_hex_quantity(std::string_view text, const JsonField& where) {
  const bool prefixed = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const auto is_digit = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
  if (!prefixed || !std::all_of(text.begin() + 2, text.end(), is_digit))
    where.fail("expected a 0x-prefixed hex quantity, got \"" + abbreviate(text) + "\"");
}

ev::uint256 hex_word(std::string_view text, const JsonField& where) {
  require_hex_quantity(text, where);
  const std::optional<ev::uint256> w = ev::uint256::from_hex(text);
  if (!w) throw QuantityOutOfRange(where.path(), "beyond 256 bits: \"" + abbreviate(text) + "\"");
  return *w;
}

ev::uint256 hex_word(const JsonField& f) { return hex_word(f.string(), f); }

std::uint64_t hex_u64(const JsonField& f) {
  const ev::uint256 w = hex_word(f);
  if (!ev::fits_u64(w)) throw QuantityOutOfRange(f.path(), "beyond 64 bits: \"" + abbreviate(f.string()) + "\"");
  return ev::to_u64(w);
}

ev::Bytes hex_bytes(std::string_view text, const JsonField& where) {
  try {
    return ev::bytes_from_hex(text);
  } catch (const ev::HexError& e) {
    where.fail(std::string("not hex (") + e.what() + "): \"" + abbreviate(text) + "\"");
  }
}

ev::Bytes hex_bytes(const JsonField& f) { return hex_bytes(f.string(), f); }

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view text, const JsonField& where) {
  const ev::Bytes b = hex_bytes(text, where);
  if (b.size() != N)
    where.fail("expected " + std::to_string(N) + " bytes of hex, got " + std::to_string(b.size()) + ": \"" +
               abbreviate(text) + "\"");
  std::array<std::uint8_t, N> a;
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

template <std::size_t N>
std::array<std::uint8_t, N> hex_array(const JsonField& f) {
  return hex_array<N>(f.string(), f);
}

ev::WorldState load_pre_state(const JsonField& pre) {
  ev::WorldState state;
  for (const auto& [address, a] : pre.members()) {
    ev::Account acc;
    acc.nonce = hex_u64(a.at("nonce"));
    acc.balance = hex_word(a.at("balance"));
    const ev::Bytes code = hex_bytes(a.at("code"));
    acc.code = std::make_shared<const ev::Code>(code);
    const auto h = models::crypto::keccak256(code);
    std::copy(h.begin(), h.end(), acc.code_hash.begin());
    for (const auto& [key, value] : a.at("storage").members()) {
      const ev::uint256 v = hex_word(value);
      if (v != ev::uint256{}) acc.storage[ev::to_bytes32(hex_word(key, value))] = v;
    }
    state.put_account(hex_array<20>(address, a), std::move(acc));
  }
  return state;
}

ev::BlockEnv load_env(const JsonField& env) {
  ev::BlockEnv b;
  b.coinbase = hex_array<20>(env.at("currentCoinbase"));
  b.number = hex_u64(env.at("currentNumber"));
  b.timestamp = hex_u64(env.at("currentTimestamp"));
  b.gas_limit = hex_u64(env.at("currentGasLimit"));
  if (const auto f = env.find("currentBaseFee")) b.base_fee = hex_word(*f);
  if (const auto f = env.find("currentRandom")) b.prev_randao = ev::to_bytes32(hex_word(*f));
  if (const auto f = env.find("currentExcessBlobGas")) {
    const std::optional<ev::uint256> fee = ev::blob_base_fee(hex_u64(*f));
    if (!fee) f->fail("the blob base fee it implies (EIP-4844's fake_exponential) exceeds 2^256 - 1");
    b.blob_base_fee = *fee;
  }
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

// The transaction of one case: the template's data, gas and value entries at the case's indexes.
ev::Transaction load_transaction(const JsonField& t, std::size_t data, std::size_t gas, std::size_t value) {
  ev::Transaction tx;
  tx.nonce = hex_u64(t.at("nonce"));
  const JsonField gas_limit = t.at("gasLimit").at(gas);
  tx.gas_limit = hex_u64(gas_limit);
  if (tx.gas_limit > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw QuantityOutOfRange(gas_limit.path(), "beyond the EVM's gas counter (2^63 - 1)");
  tx.value = hex_word(t.at("value").at(value));
  tx.data = hex_bytes(t.at("data").at(data));
  tx.sender = hex_array<20>(t.at("sender"));
  if (const auto to = t.find("to"); to && !to->string().empty()) tx.to = hex_array<20>(*to);
  if (const auto max_fee = t.find("maxFeePerGas")) {
    tx.type = 2;
    tx.max_fee_per_gas = hex_word(*max_fee);
    tx.max_priority_fee_per_gas = hex_word(t.at("maxPriorityFeePerGas"));
  } else {
    tx.gas_price = hex_word(t.at("gasPrice"));
  }
  if (const auto lists = t.find("accessLists")) {
    const JsonField list = lists->at(data);
    if (!list.value().is_null()) {
      if (tx.type == 0) tx.type = 1;
      for (const JsonField& e : list.elements()) {
        ev::AccessListEntry entry;
        entry.address = hex_array<20>(e.at("address"));
        for (const JsonField& k : e.at("storageKeys").elements()) entry.storage_keys.push_back(ev::to_bytes32(hex_word(k)));
        tx.access_list.push_back(std::move(entry));
      }
    }
  }
  if (const auto hashes = t.find("blobVersionedHashes")) {
    tx.type = 3;
    for (const JsonField& h : hashes->elements()) tx.blob_versioned_hashes.push_back(hex_array<32>(h));
    tx.max_fee_per_blob_gas = hex_word(t.at("maxFeePerBlobGas"));
  }
  return tx;
}

// One test of a file (a name with its pre-state, environment and transaction template).
struct StateTest {
  std::string file;
  std::string name;  // abbreviated
  ev::BlockEnv env;
  ev::WorldState pre;
  JsonField transaction;
  ev::ExecutionBudget budget;
};

// Runs one expectation (an element of post.FORK) of `test`.
StateTestCase run_case(const StateTest& test, const JsonField& expect, ev::Fork fork, const std::string& fork_name) {
  StateTestCase c;
  c.file = test.file;
  c.name = test.name;
  c.fork = fork_name;
  const JsonField indexes = expect.at("indexes");
  c.data = indexes.at("data").whole_number();
  c.gas = indexes.at("gas").whole_number();
  c.value = indexes.at("value").whole_number();
  const std::string& expected_root = expect.at("hash").string();
  const std::string& expected_logs = expect.at("logs").string();
  std::optional<std::string> expected_exception;
  if (const auto e = expect.find("expectException")) expected_exception = e->string();

  ev::Transaction tx;
  try {
    tx = load_transaction(test.transaction, c.data, c.gas, c.value);
  } catch (const QuantityOutOfRange& e) {
    // A field no transaction can hold (a value beyond 256 bits): the
    // transaction is invalid, which is right if the test expects it.
    c.passed = expected_exception.has_value();
    if (!c.passed) c.detail = std::string("transaction field out of range: ") + e.what();
    return c;
  }
  ev::WorldState state = test.pre;
  const ev::TransactionOutcome outcome = ev::apply_transaction(state, test.env, tx, fork, test.budget);
  if (outcome.result.status == ev::Status::aborted) {
    c.over_budget = true;
    c.detail = over_budget_text(outcome.result.failure, test.budget);
    return c;
  }
  const std::string root = ev::to_hex(state.state_root());
  const std::string logs = ev::to_hex(ev::logs_hash(outcome.logs));
  if (expected_exception && outcome.valid) {
    c.detail = "expected " + abbreviate(*expected_exception) + ", the transaction was valid";
  } else if (!expected_exception && !outcome.valid) {
    c.detail = "transaction rejected: " + outcome.error;
  } else if (root != expected_root) {
    c.detail = "state root " + root + ", expected " + abbreviate(expected_root);
  } else if (logs != expected_logs) {
    c.detail = "logs hash " + logs + ", expected " + abbreviate(expected_logs);
  } else {
    c.passed = true;
  }
  return c;
}

// Every case of the test `name`; the cases of forks this EVM does not implement are counted in `out.skipped_forks`.
void run_test(const std::string& name, const JsonField& test, const ev::ExecutionBudget& budget,
              StateTestFile& out) {
  const StateTest t{out.file, abbreviate(name, 60), load_env(test.at("env")), load_pre_state(test.at("pre")),
                    test.at("transaction"), budget};
  for (const auto& [fork_name, expectations] : test.at("post").members()) {
    const std::vector<JsonField> list = expectations.elements();
    const std::optional<ev::Fork> fork = ev::fork_from_name(fork_name);
    if (!fork) {
      out.skipped_forks[abbreviate(fork_name, 40)] += list.size();
      continue;
    }
    for (const JsonField& expect : list) out.cases.push_back(run_case(t, expect, *fork, fork_name));
  }
}

json parse_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw JsonFieldError("", "cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw JsonFieldError("", "invalid JSON: " + json_error_reason(e));
  }
}

}  // namespace

std::string over_budget_text(ev::Failure failure, const ev::ExecutionBudget& budget) {
  const std::string beyond = failure == ev::Failure::over_memory_budget
                                 ? std::to_string(budget.max_memory_bytes >> 20) + " MiB of memory"
                                 : std::to_string(budget.max_work) + " gas of work";
  return "exceeds the runner's budget (more than " + beyond + ")";
}

StateTestFile run_state_test_file(const std::filesystem::path& file, const ev::ExecutionBudget& budget) {
  StateTestFile result;
  result.file = file.string();
  try {
    const json doc = parse_file(file);
    for (const auto& [name, test] : JsonField(doc, "").members()) run_test(name, test, budget, result);
  } catch (const JsonFieldError& e) {
    // All or nothing: a file that is not a valid state test counts once, as malformed.
    result.cases.clear();
    result.skipped_forks.clear();
    result.error = result.file + ": " + e.what();
  }
  return result;
}

std::vector<std::filesystem::path> state_test_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      files.emplace_back(p);
      continue;
    }
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && it->path().extension() == ".json") found.push_back(it->path());
    }
    if (ec) throw StateTestPathError(abbreviate(p) + ": cannot list the directory: " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace cbsim::sim::evm
