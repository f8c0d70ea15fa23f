#include "models/integrity/audited_store.h"

#include <stdexcept>
#include <string>

#include "models/random/rng.h"

namespace cbsim::models::integrity {

Tampering parse_tampering(std::string_view name) {
  if (name == "modify") return Tampering::modify;
  if (name == "delete") return Tampering::remove;
  if (name == "rollback") return Tampering::rollback;
  throw std::invalid_argument("unknown tampering " + std::string(name));
}

namespace {

std::vector<crypto::Hash256> leaves_of(const std::vector<std::optional<std::vector<std::uint8_t>>>& objects) {
  std::vector<crypto::Hash256> leaves;
  leaves.reserve(objects.size());
  for (const auto& o : objects) leaves.push_back(crypto::sha256(*o));
  return leaves;
}

}  // namespace

AuditedStore::AuditedStore(std::size_t objects, std::size_t object_bytes, std::uint64_t seed)
    : object_bytes_(object_bytes), seed_(seed), tree_(std::vector<crypto::Hash256>{}) {
  if (objects == 0 || object_bytes == 0) throw std::invalid_argument("AuditedStore: needs objects of some size");
  current_.reserve(objects);
  for (std::size_t i = 0; i < objects; ++i) current_.emplace_back(content(i, 2));
  anchored_leaves_ = leaves_of(current_);
  tree_ = crypto::MerkleTree(anchored_leaves_);
  anchored_root_ = tree_.root();
}

// Bytes of an object's version: a deterministic stream of its own.
std::vector<std::uint8_t> AuditedStore::content(std::size_t object, std::uint32_t version) const {
  random::Rng rng(random::mix64(seed_ ^ random::mix64(object * 4 + version)));
  std::vector<std::uint8_t> bytes(object_bytes_);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  return bytes;
}

AuditedStore::Answer AuditedStore::serve(std::size_t object) const {
  // The provider sends what it holds and the proof of the anchored leaf: the
  // best it can do, since it cannot make another leaf's proof verify.
  return {current_.at(object), tree_.proof(object)};
}

bool AuditedStore::audit(std::size_t object) const {
  const Answer a = serve(object);
  return a.bytes && crypto::verify_merkle_proof(crypto::sha256(*a.bytes), a.proof, anchored_root_);
}

void AuditedStore::tamper(const std::vector<std::size_t>& objects, Tampering kind) {
  for (const std::size_t i : objects) {
    auto& held = current_.at(i);
    switch (kind) {
      case Tampering::modify:
        if (held) (*held)[0] ^= 0x01;  // one bit is enough
        break;
      case Tampering::remove:
        held.reset();
        break;
      case Tampering::rollback:
        held = content(i, 1);
        break;
    }
    tampered_.push_back(i);
  }
}

void AuditedStore::restore() {
  for (const std::size_t i : tampered_) current_[i] = content(i, 2);
  tampered_.clear();
}

}  // namespace cbsim::models::integrity
