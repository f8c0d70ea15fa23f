#pragma once
// Bitcoin's Merkle tree over transaction ids: pairs hashed with SHA-256d, the
// last element of an odd level paired with itself.

#include <span>
#include <vector>

#include "models/crypto/hash.h"

namespace cbsim::models::crypto {

// Root of an empty list is all zeros (as for a block without transactions).
Hash256 merkle_root(std::span<const Hash256> leaves);

// Proof that a leaf belongs to a root: sibling hashes from the bottom up.
struct MerkleProof {
  std::size_t index = 0;
  std::vector<Hash256> siblings;
};
MerkleProof merkle_proof(std::span<const Hash256> leaves, std::size_t index);
bool verify_merkle_proof(const Hash256& leaf, const MerkleProof& proof, const Hash256& root);

// The whole tree kept, for many proofs over the same leaves: each in
// O(log n) instead of rebuilding the tree (an auditor sampling a store of
// thousands of objects).
class MerkleTree {
public:
  explicit MerkleTree(std::span<const Hash256> leaves);
  Hash256 root() const;
  std::size_t leaf_count() const { return levels_.empty() ? 0 : levels_.front().size(); }
  MerkleProof proof(std::size_t index) const;

private:
  std::vector<std::vector<Hash256>> levels_;  // leaves first, the root's level last
};

}  // namespace cbsim::models::crypto
