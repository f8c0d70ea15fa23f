#pragma once
// Accounts, storage and everything a transaction may have to undo: every
// change goes through a journal, so that a reverted call frame rolls back to
// its snapshot (balances, nonces, code, storage, transient storage, warm
// sets, logs, refunds, self-destructs). Per-transaction bookkeeping (original
// storage values for SSTORE's gas, EIP-2929 warm sets, EIP-1153 transient
// storage, EIP-6780 accounts created in the transaction, EIP-161 touched
// accounts) is reset by begin_transaction(). state_root() is the Merkle
// Patricia root of the accounts (Yellow Paper, section 4.1).

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/crypto/hash.h"
#include "models/evm/address.h"
#include "models/evm/bytes.h"
#include "models/evm/code.h"
#include "models/evm/uint256.h"
#include "models/evm/word.h"

namespace cbsim::models::evm {

struct Log {
  Address address{};
  std::vector<Bytes32> topics;
  Bytes data;
};

struct Account {
  std::uint64_t nonce = 0;
  uint256 balance{};
  std::shared_ptr<const Code> code;  // nullptr: no code
  Bytes32 code_hash{};               // Keccak-256 of the code
  std::unordered_map<Bytes32, uint256, ByteArrayHasher> storage;  // non-zero values only
  bool empty() const { return nonce == 0 && balance == uint256{} && (!code || code->size() == 0); }
};

class WorldState {
public:
  WorldState();

  // --- accounts
  // Loads an account as it is (a genesis or test pre-state): not journaled.
  void put_account(const Address& a, Account account) { accounts_[a] = std::move(account); }
  const Account* find(const Address& a) const;
  bool exists(const Address& a) const { return find(a) != nullptr; }
  // Not there, or empty (EIP-161): what CALL's new-account charge and EXTCODEHASH look at.
  bool is_dead(const Address& a) const;
  void create_account(const Address& a);  // fresh (keeps a balance already sent to it)
  uint256 balance(const Address& a) const;
  void add_balance(const Address& a, const uint256& v);
  void sub_balance(const Address& a, const uint256& v);  // the caller checked the funds
  std::uint64_t nonce(const Address& a) const;
  void set_nonce(const Address& a, std::uint64_t n);
  std::shared_ptr<const Code> code(const Address& a) const;
  Bytes32 code_hash(const Address& a) const;  // of an existing account (empty code: keccak(""))
  void set_code(const Address& a, BytesView code);
  void touch(const Address& a);  // EIP-161: deleted at the end of the transaction if empty

  // --- storage
  uint256 storage(const Address& a, const Bytes32& key) const;
  // The value at the start of the transaction (EIP-2200).
  uint256 original_storage(const Address& a, const Bytes32& key) const;
  void set_storage(const Address& a, const Bytes32& key, const uint256& v);
  uint256 transient(const Address& a, const Bytes32& key) const;
  void set_transient(const Address& a, const Bytes32& key, const uint256& v);

  // --- EIP-2929 access sets: return true if the address (slot) was cold.
  bool warm_address(const Address& a);
  bool warm_slot(const Address& a, const Bytes32& key);
  bool is_warm(const Address& a) const { return warm_addresses_.count(a) > 0; }

  // --- logs, refunds, self-destructs
  void add_log(Log log);
  const std::vector<Log>& logs() const { return logs_; }
  void add_refund(std::int64_t delta);
  std::int64_t refund() const { return refund_; }
  bool created_in_transaction(const Address& a) const { return created_.count(a) > 0; }
  void mark_created(const Address& a);
  void mark_destroyed(const Address& a);

  // --- snapshots
  std::size_t snapshot() const { return journal_.size(); }
  void revert(std::size_t snapshot);

  // --- transactions
  void begin_transaction();
  // Deletes self-destructed accounts and touched empty ones; clears the journal.
  void end_transaction();

  crypto::Hash256 state_root() const;
  const std::unordered_map<Address, Account, ByteArrayHasher>& accounts() const { return accounts_; }

private:
  struct SlotKey {
    Address address;
    Bytes32 key;
    bool operator==(const SlotKey&) const = default;
  };
  struct SlotKeyHasher {
    std::size_t operator()(const SlotKey& k) const { return ByteArrayHasher{}(k.address) ^ ByteArrayHasher{}(k.key); }
  };
  enum class Change : std::uint8_t {
    account_created, balance, nonce, code, storage, transient, warm_address, warm_slot, log, refund, created,
    destroyed, touched
  };
  struct JournalEntry {
    Change kind;
    Address address{};
    Bytes32 key{};
    uint256 previous{};
    std::uint64_t previous_u64 = 0;
    std::shared_ptr<const Code> previous_code{};
    Bytes32 previous_hash{};
    std::optional<Account> previous_account{};  // account_created: what was there (nullopt: nothing)
  };

  Account& mutable_account(const Address& a);  // created (journaled) if missing

  std::unordered_map<Address, Account, ByteArrayHasher> accounts_;
  std::unordered_map<SlotKey, uint256, SlotKeyHasher> originals_;  // first value seen this transaction
  std::unordered_map<SlotKey, uint256, SlotKeyHasher> transient_;
  std::unordered_set<Address, ByteArrayHasher> warm_addresses_;
  std::unordered_set<SlotKey, SlotKeyHasher> warm_slots_;
  std::unordered_set<Address, ByteArrayHasher> created_;
  std::unordered_set<Address, ByteArrayHasher> destroyed_;
  std::unordered_set<Address, ByteArrayHasher> touched_;
  std::vector<Log> logs_;
  std::int64_t refund_ = 0;
  std::vector<JournalEntry> journal_;
};

// Keccak-256 of the RLP of the logs list ([address, [topics], data] each): the
// "logs" hash of the state tests.
crypto::Hash256 logs_hash(const std::vector<Log>& logs);

}  // namespace cbsim::models::evm
