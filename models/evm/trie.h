#pragma once
// Ethereum's Merkle Patricia Trie (Yellow Paper, appendix D), held in memory.
// Every node caches its reference (its RLP if shorter than 32 bytes, else the
// RLP of its Keccak-256 hash); an update clears the caches on its path only, so
// root_hash() after a block rehashes the touched paths, not the whole trie.

#include <cstdint>
#include <memory>
#include <optional>

#include "models/crypto/hash.h"
#include "models/evm/bytes.h"

namespace cbsim::models::evm {

namespace trie_detail {
struct Node;  // defined in trie.cpp
using NodePtr = std::unique_ptr<Node>;
}  // namespace trie_detail

class Trie {
 public:
  Trie();
  ~Trie();
  Trie(Trie&&) noexcept;
  Trie& operator=(Trie&&) noexcept;
  Trie(const Trie&) = delete;
  Trie& operator=(const Trie&) = delete;

  // An empty value deletes the key, as in Ethereum (no key maps to "").
  void put(BytesView key, BytesView value);
  void erase(BytesView key);
  std::optional<Bytes> get(BytesView key) const;
  bool empty() const { return root_ == nullptr; }

  // Keccak-256 of the root node's RLP; keccak256(rlp("")) for an empty trie.
  // Fills the nodes' cached references, so concurrent calls on one trie race.
  crypto::Hash256 root_hash() const;

 private:
  trie_detail::NodePtr root_;
};

// The trie Ethereum uses for accounts and storage: keys are replaced by their
// Keccak-256, which bounds the depth whatever keys an attacker picks.
class SecureTrie {
 public:
  void put(BytesView key, BytesView value);
  void erase(BytesView key);
  std::optional<Bytes> get(BytesView key) const;
  bool empty() const { return trie_.empty(); }
  crypto::Hash256 root_hash() const { return trie_.root_hash(); }

 private:
  Trie trie_;
};

// The root of a trie without entries: keccak256(rlp("")) = keccak256(0x80).
// A literal rather than computed, so that it is usable during static
// initialisation of other files.
inline constexpr crypto::Hash256 kEmptyTrieRoot{
    0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e,
    0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};

}  // namespace cbsim::models::evm
