#include "models/crypto/merkle.h"

#include <algorithm>
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

MerkleTree::MerkleTree(std::span<const Hash256> leaves) {
  if (leaves.empty()) return;
  levels_.emplace_back(leaves.begin(), leaves.end());
  while (levels_.back().size() > 1) levels_.push_back(next_level(levels_.back()));
}

Hash256 MerkleTree::root() const { return levels_.empty() ? Hash256{} : levels_.back().front(); }

MerkleProof MerkleTree::proof(std::size_t index) const {
  if (index >= leaf_count()) throw std::out_of_range("merkle_proof: index beyond the leaves");
  MerkleProof proof{index, {}};
  std::size_t pos = index;
  for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
    const std::vector<Hash256>& level = levels_[l];
    const std::size_t sibling = (pos % 2 == 0) ? std::min(pos + 1, level.size() - 1) : pos - 1;
    proof.siblings.push_back(level[sibling]);
    pos /= 2;
  }
  return proof;
}

Hash256 merkle_root(std::span<const Hash256> leaves) {
  if (leaves.empty()) return Hash256{};
  std::vector<Hash256> level(leaves.begin(), leaves.end());
  while (level.size() > 1) level = next_level(level);
  return level.front();
}

MerkleProof merkle_proof(std::span<const Hash256> leaves, std::size_t index) {
  if (index >= leaves.size()) throw std::out_of_range("merkle_proof: index beyond the leaves");
  return MerkleTree(leaves).proof(index);
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
