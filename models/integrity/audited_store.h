#pragma once
// Tamper-evident cloud storage: a tenant's objects on a provider's storage,
// the Merkle root of their hashes anchored on chain; an auditor asks for
// sampled objects with their Merkle proofs and checks them against the
// anchored root. A provider that modified, deleted or rolled back an object
// cannot answer for it: the stored bytes no longer hash to the anchored leaf
// (or are gone), and no proof of another leaf verifies without a SHA-256
// collision. Hashing and proofs run for real (SHA-256, Bitcoin's Merkle tree).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "models/crypto/merkle.h"

namespace cbsim::models::integrity {

enum class Tampering {
  modify,    // the object's bytes are changed
  remove,    // the object is gone
  rollback,  // the object is back at its previous version
};
Tampering parse_tampering(std::string_view name);  // "modify" | "delete" | "rollback"; throws std::invalid_argument

class AuditedStore {
public:
  // `objects` objects of `object_bytes` bytes, their content derived from the
  // seed; each has been written twice (the rollback target is version 1) and
  // the root of the current versions' hashes is the anchored one.
  AuditedStore(std::size_t objects, std::size_t object_bytes, std::uint64_t seed);

  std::size_t size() const { return current_.size(); }
  const crypto::Hash256& anchored_root() const { return anchored_root_; }

  // What the provider returns for object i, and whether it checks out
  // against the anchored root (SHA-256 of the bytes, then the proof).
  struct Answer {
    std::optional<std::vector<std::uint8_t>> bytes;
    crypto::MerkleProof proof;
  };
  Answer serve(std::size_t object) const;
  bool audit(std::size_t object) const;

  void tamper(const std::vector<std::size_t>& objects, Tampering kind);
  void restore();  // every object back to its anchored version

private:
  std::vector<std::uint8_t> content(std::size_t object, std::uint32_t version) const;

  std::size_t object_bytes_;
  std::uint64_t seed_;
  std::vector<std::optional<std::vector<std::uint8_t>>> current_;  // what the provider holds
  std::vector<crypto::Hash256> anchored_leaves_;
  crypto::MerkleTree tree_;
  crypto::Hash256 anchored_root_;
  std::vector<std::size_t> tampered_;
};

}  // namespace cbsim::models::integrity
