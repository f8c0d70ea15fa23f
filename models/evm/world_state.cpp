#include "models/evm/world_state.h"

#include <algorithm>

#include "models/crypto/keccak.h"
#include "models/evm/rlp.h"
#include "models/evm/trie.h"

namespace cbsim::models::evm {

namespace {

const Bytes32& empty_code_hash() {
  static const Bytes32 h = [] {
    const crypto::Hash256 k = crypto::keccak256({});
    Bytes32 out;
    std::copy(k.begin(), k.end(), out.begin());
    return out;
  }();
  return h;
}

// A 256-bit value as RLP wants it: big-endian without leading zeros.
void append_word(Bytes& out, const uint256& v) {
  const Bytes32 be = to_bytes32(v);
  const auto first = std::find_if(be.begin(), be.end(), [](std::uint8_t b) { return b != 0; });
  rlp_append_bytes(out, BytesView(&*first, static_cast<std::size_t>(be.end() - first)));
}

}  // namespace

WorldState::WorldState() = default;

const Account* WorldState::find(const Address& a) const {
  const auto it = accounts_.find(a);
  return it == accounts_.end() ? nullptr : &it->second;
}

bool WorldState::is_dead(const Address& a) const {
  const Account* acc = find(a);
  return acc == nullptr || acc->empty();
}

Account& WorldState::mutable_account(const Address& a) {
  auto it = accounts_.find(a);
  if (it != accounts_.end()) return it->second;
  journal_.push_back({.kind = Change::account_created, .address = a});
  Account fresh;
  fresh.code_hash = empty_code_hash();
  return accounts_.emplace(a, std::move(fresh)).first->second;
}

void WorldState::create_account(const Address& a) {
  JournalEntry e{.kind = Change::account_created, .address = a};
  uint256 kept{};
  if (const auto it = accounts_.find(a); it != accounts_.end()) {
    kept = it->second.balance;
    e.previous_account = std::move(it->second);
    accounts_.erase(it);
  }
  journal_.push_back(std::move(e));
  Account fresh;
  fresh.balance = kept;
  fresh.code_hash = empty_code_hash();
  accounts_.emplace(a, std::move(fresh));
}

uint256 WorldState::balance(const Address& a) const {
  const Account* acc = find(a);
  return acc ? acc->balance : uint256{};
}

void WorldState::add_balance(const Address& a, const uint256& v) {
  Account& acc = mutable_account(a);
  journal_.push_back({.kind = Change::balance, .address = a, .previous = acc.balance});
  acc.balance = acc.balance + v;
  touch(a);
}

void WorldState::sub_balance(const Address& a, const uint256& v) {
  Account& acc = mutable_account(a);
  journal_.push_back({.kind = Change::balance, .address = a, .previous = acc.balance});
  acc.balance = acc.balance - v;
  touch(a);
}

std::uint64_t WorldState::nonce(const Address& a) const {
  const Account* acc = find(a);
  return acc ? acc->nonce : 0;
}

void WorldState::set_nonce(const Address& a, std::uint64_t n) {
  Account& acc = mutable_account(a);
  journal_.push_back({.kind = Change::nonce, .address = a, .previous_u64 = acc.nonce});
  acc.nonce = n;
}

std::shared_ptr<const Code> WorldState::code(const Address& a) const {
  const Account* acc = find(a);
  return acc ? acc->code : nullptr;
}

Bytes32 WorldState::code_hash(const Address& a) const {
  const Account* acc = find(a);
  return acc ? acc->code_hash : Bytes32{};
}

void WorldState::set_code(const Address& a, BytesView code) {
  Account& acc = mutable_account(a);
  journal_.push_back(
      {.kind = Change::code, .address = a, .previous_code = acc.code, .previous_hash = acc.code_hash});
  acc.code = std::make_shared<const Code>(code);
  const crypto::Hash256 h = crypto::keccak256(code);
  std::copy(h.begin(), h.end(), acc.code_hash.begin());
}

void WorldState::touch(const Address& a) {
  if (touched_.insert(a).second) journal_.push_back({.kind = Change::touched, .address = a});
}

uint256 WorldState::storage(const Address& a, const Bytes32& key) const {
  const Account* acc = find(a);
  if (acc == nullptr) return {};
  const auto it = acc->storage.find(key);
  return it == acc->storage.end() ? uint256{} : it->second;
}

uint256 WorldState::original_storage(const Address& a, const Bytes32& key) const {
  const auto it = originals_.find({a, key});
  return it == originals_.end() ? storage(a, key) : it->second;
}

void WorldState::set_storage(const Address& a, const Bytes32& key, const uint256& v) {
  const uint256 previous = storage(a, key);
  originals_.try_emplace({a, key}, previous);  // the first write of the transaction records the original
  Account& acc = mutable_account(a);
  journal_.push_back({.kind = Change::storage, .address = a, .key = key, .previous = previous});
  if (v == uint256{})
    acc.storage.erase(key);
  else
    acc.storage[key] = v;
}

uint256 WorldState::transient(const Address& a, const Bytes32& key) const {
  const auto it = transient_.find({a, key});
  return it == transient_.end() ? uint256{} : it->second;
}

void WorldState::set_transient(const Address& a, const Bytes32& key, const uint256& v) {
  journal_.push_back({.kind = Change::transient, .address = a, .key = key, .previous = transient(a, key)});
  transient_[{a, key}] = v;
}

bool WorldState::warm_address(const Address& a) {
  if (!warm_addresses_.insert(a).second) return false;
  journal_.push_back({.kind = Change::warm_address, .address = a});
  return true;
}

bool WorldState::warm_slot(const Address& a, const Bytes32& key) {
  if (!warm_slots_.insert({a, key}).second) return false;
  journal_.push_back({.kind = Change::warm_slot, .address = a, .key = key});
  return true;
}

void WorldState::add_log(Log log) {
  logs_.push_back(std::move(log));
  journal_.push_back({.kind = Change::log});
}

void WorldState::add_refund(std::int64_t delta) {
  journal_.push_back({.kind = Change::refund, .previous_u64 = static_cast<std::uint64_t>(refund_)});
  refund_ += delta;
}

void WorldState::mark_created(const Address& a) {
  if (created_.insert(a).second) journal_.push_back({.kind = Change::created, .address = a});
}

void WorldState::mark_destroyed(const Address& a) {
  if (destroyed_.insert(a).second) journal_.push_back({.kind = Change::destroyed, .address = a});
}

void WorldState::revert(std::size_t snapshot) {
  while (journal_.size() > snapshot) {
    JournalEntry& e = journal_.back();
    switch (e.kind) {
      case Change::account_created:
        accounts_.erase(e.address);
        if (e.previous_account) accounts_.emplace(e.address, std::move(*e.previous_account));
        break;
      case Change::balance:
        accounts_.at(e.address).balance = e.previous;
        break;
      case Change::nonce:
        accounts_.at(e.address).nonce = e.previous_u64;
        break;
      case Change::code: {
        Account& acc = accounts_.at(e.address);
        acc.code = e.previous_code;
        acc.code_hash = e.previous_hash;
        break;
      }
      case Change::storage: {
        Account& acc = accounts_.at(e.address);
        if (e.previous == uint256{})
          acc.storage.erase(e.key);
        else
          acc.storage[e.key] = e.previous;
        break;
      }
      case Change::transient:
        transient_[{e.address, e.key}] = e.previous;
        break;
      case Change::warm_address:
        warm_addresses_.erase(e.address);
        break;
      case Change::warm_slot:
        warm_slots_.erase({e.address, e.key});
        break;
      case Change::log:
        logs_.pop_back();
        break;
      case Change::refund:
        refund_ = static_cast<std::int64_t>(e.previous_u64);
        break;
      case Change::created:
        created_.erase(e.address);
        break;
      case Change::destroyed:
        destroyed_.erase(e.address);
        break;
      case Change::touched:
        touched_.erase(e.address);
        break;
    }
    journal_.pop_back();
  }
}

void WorldState::begin_transaction() {
  journal_.clear();
  originals_.clear();
  transient_.clear();
  warm_addresses_.clear();
  warm_slots_.clear();
  created_.clear();
  destroyed_.clear();
  touched_.clear();
  logs_.clear();
  refund_ = 0;
}

void WorldState::end_transaction() {
  for (const Address& a : destroyed_) accounts_.erase(a);
  for (const Address& a : touched_) {
    const auto it = accounts_.find(a);
    if (it != accounts_.end() && it->second.empty()) accounts_.erase(it);
  }
  journal_.clear();
}

crypto::Hash256 WorldState::state_root() const {
  SecureTrie accounts;
  for (const auto& [address, acc] : accounts_) {
    SecureTrie storage;
    for (const auto& [key, value] : acc.storage) {
      Bytes v;
      append_word(v, value);
      storage.put(BytesView(key), v);
    }
    const crypto::Hash256 storage_root = storage.root_hash();
    Bytes payload;
    rlp_append_uint(payload, acc.nonce);
    append_word(payload, acc.balance);
    rlp_append_bytes(payload, BytesView(storage_root));
    rlp_append_bytes(payload, BytesView(acc.code_hash));
    accounts.put(BytesView(address), rlp_list(payload));
  }
  return accounts.root_hash();
}

crypto::Hash256 logs_hash(const std::vector<Log>& logs) {
  Bytes all;
  for (const Log& log : logs) {
    Bytes entry;
    rlp_append_bytes(entry, BytesView(log.address));
    Bytes topics;
    for (const Bytes32& t : log.topics) rlp_append_bytes(topics, BytesView(t));
    const Bytes topic_list = rlp_list(topics);
    entry.insert(entry.end(), topic_list.begin(), topic_list.end());
    rlp_append_bytes(entry, log.data);
    const Bytes e = rlp_list(entry);
    all.insert(all.end(), e.begin(), e.end());
  }
  return crypto::keccak256(rlp_list(all));
}

}  // namespace cbsim::models::evm
