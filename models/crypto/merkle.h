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

}  // namespace cbsim::models::crypto
