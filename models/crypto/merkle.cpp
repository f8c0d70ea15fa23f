#include "models/crypto/merkle.h"

#include <stdexcept>

namespace cbsim::models::crypto {

namespace {
std::vector<Hash256> next_level(const std::vector<Hash256>& level) {
  std::vector<Hash256> up;
  up.reserve((level.size() + 1) / 2);
  for (std::size_t i = 0; i < level.size(); i += 2) {
    const Hash256& right = (i + 1 < level.size()) ? level[i + 1] : level[i];
    up.push_back(sha256d_pair(level[i], right));
  }
  return up;
}
}  // namespace

Hash256 merkle_root(std::span<const Hash256> leaves) {
  if (leaves.empty()) return Hash256{};
  std::vector<Hash256> level(leaves.begin(), leaves.end());
  while (level.size() > 1) level = next_level(level);
  return level.front();
}

MerkleProof merkle_proof(std::span<const Hash256> leaves, std::size_t index) {
  if (index >= leaves.size()) throw std::out_of_range("merkle_proof: index beyond the leaves");
  MerkleProof proof{index, {}};
  std::vector<Hash256> level(leaves.begin(), leaves.end());
  std::size_t pos = index;
  while (level.size() > 1) {
    const std::size_t sibling = (pos % 2 == 0) ? std::min(pos + 1, level.size() - 1) : pos - 1;
    proof.siblings.push_back(level[sibling]);
    level = next_level(level);
    pos /= 2;
  }
  return proof;
}

bool verify_merkle_proof(const Hash256& leaf, const MerkleProof& proof, const Hash256& root) {
  Hash256 h = leaf;
  std::size_t pos = proof.index;
  for (const Hash256& sibling : proof.siblings) {
    h = (pos % 2 == 0) ? sha256d_pair(h, sibling) : sha256d_pair(sibling, h);
    pos /= 2;
  }
  return h == root;
}

}  // namespace cbsim::models::crypto
