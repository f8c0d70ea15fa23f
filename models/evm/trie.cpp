#include "models/evm/trie.h"

#include <algorithm>
#include <array>
#include <utility>

#include "models/crypto/keccak.h"
#include "models/evm/rlp.h"

namespace cbsim::models::evm {

using crypto::Hash256;

namespace trie_detail {

// One struct for the three node kinds keeps the code short; a leaf pays for an
// empty children vector, not for sixteen pointers.
struct Node {
  enum class Kind : std::uint8_t { kLeaf, kExtension, kBranch };
  Kind kind;
  Bytes path;                    // nibbles, for leaves and extensions
  Bytes value;                   // for leaves and branches
  std::vector<NodePtr> children; // 1 for an extension, 16 for a branch
  // What a parent embeds: the node's RLP if under 32 bytes, else RLP(keccak).
  // Empty means not computed since the last change below this node.
  mutable Bytes reference;

  void touch() { reference.clear(); }
};

}  // namespace trie_detail

namespace {

using trie_detail::Node;
using trie_detail::NodePtr;
using Nibbles = std::span<const std::uint8_t>;

constexpr std::size_t kBranchWidth = 16;
constexpr std::size_t kHashedReferenceMin = 32;

NodePtr make_leaf(Nibbles path, Bytes value) {
  return NodePtr(new Node{Node::Kind::kLeaf, Bytes(path.begin(), path.end()), std::move(value), {}, {}});
}

NodePtr make_extension(Nibbles path, NodePtr child) {
  NodePtr node(new Node{Node::Kind::kExtension, Bytes(path.begin(), path.end()), {}, {}, {}});
  node->children.push_back(std::move(child));
  return node;
}

NodePtr make_branch() {
  NodePtr node(new Node{Node::Kind::kBranch, {}, {}, {}, {}});
  node->children.resize(kBranchWidth);
  return node;
}

Bytes to_nibbles(BytesView key) {
  Bytes nibbles;
  nibbles.reserve(key.size() * 2);
  for (std::uint8_t b : key) {
    nibbles.push_back(b >> 4);
    nibbles.push_back(b & 0x0F);
  }
  return nibbles;
}

std::size_t common_prefix(Nibbles a, Nibbles b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
}

// Wraps `node` in an extension for `prefix`, unless the prefix is empty.
NodePtr with_prefix(Nibbles prefix, NodePtr node) {
  if (prefix.empty()) return node;
  return make_extension(prefix, std::move(node));
}

NodePtr insert(NodePtr node, Nibbles key, Bytes value) {
  if (!node) return make_leaf(key, std::move(value));
  switch (node->kind) {
    case Node::Kind::kLeaf: {
      const std::size_t c = common_prefix(node->path, key);
      if (c == node->path.size() && c == key.size()) {
        if (node->value != value) {
          node->value = std::move(value);
          node->touch();
        }
        return node;
      }
      NodePtr branch = make_branch();
      const Nibbles leaf_path(node->path);
      if (c == leaf_path.size()) {
        branch->value = std::move(node->value);
      } else {
        branch->children[leaf_path[c]] = make_leaf(leaf_path.subspan(c + 1), std::move(node->value));
      }
      if (c == key.size()) {
        branch->value = std::move(value);
      } else {
        branch->children[key[c]] = make_leaf(key.subspan(c + 1), std::move(value));
      }
      return with_prefix(key.first(c), std::move(branch));
    }
    case Node::Kind::kExtension: {
      const std::size_t c = common_prefix(node->path, key);
      if (c == node->path.size()) {
        node->children[0] = insert(std::move(node->children[0]), key.subspan(c), std::move(value));
        node->touch();
        return node;
      }
      // The key leaves the extension part-way: split it around a branch.
      NodePtr branch = make_branch();
      const Nibbles ext_path(node->path);
      NodePtr below = std::move(node->children[0]);
      branch->children[ext_path[c]] =
          c + 1 == ext_path.size() ? std::move(below) : make_extension(ext_path.subspan(c + 1), std::move(below));
      if (c == key.size()) {
        branch->value = std::move(value);
      } else {
        branch->children[key[c]] = make_leaf(key.subspan(c + 1), std::move(value));
      }
      return with_prefix(key.first(c), std::move(branch));
    }
    case Node::Kind::kBranch: {
      if (key.empty()) {
        node->value = std::move(value);
      } else {
        NodePtr& child = node->children[key[0]];
        child = insert(std::move(child), key.subspan(1), std::move(value));
      }
      node->touch();
      return node;
    }
  }
  return node;
}

// Prepends `nibble` to a node that moves up into its parent's place.
NodePtr lift(std::uint8_t nibble, NodePtr node) {
  if (node->kind == Node::Kind::kBranch) return make_extension(Nibbles(&nibble, 1), std::move(node));
  node->path.insert(node->path.begin(), nibble);
  node->touch();
  return node;
}

// A branch left with one child or only a value is no longer a valid node.
NodePtr collapse_branch(NodePtr node) {
  std::size_t count = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < kBranchWidth; ++i) {
    if (node->children[i]) {
      ++count;
      last = i;
    }
  }
  if (count > 1 || (count == 1 && !node->value.empty())) return node;
  if (count == 0) return node->value.empty() ? nullptr : make_leaf({}, std::move(node->value));
  return lift(static_cast<std::uint8_t>(last), std::move(node->children[last]));
}

// An extension must end in a branch; merges it with what replaced that branch.
NodePtr collapse_extension(NodePtr node) {
  NodePtr child = std::move(node->children[0]);
  if (!child) return nullptr;
  if (child->kind == Node::Kind::kBranch) {
    node->children[0] = std::move(child);
    return node;
  }
  child->path.insert(child->path.begin(), node->path.begin(), node->path.end());
  child->touch();
  return child;
}

// Returns the node that replaces `node`; `removed` tells whether the key was there.
NodePtr remove(NodePtr node, Nibbles key, bool& removed) {
  if (!node) return node;
  switch (node->kind) {
    case Node::Kind::kLeaf:
      if (std::ranges::equal(node->path, key)) {
        removed = true;
        return nullptr;
      }
      return node;
    case Node::Kind::kExtension: {
      const Nibbles path(node->path);
      if (key.size() < path.size() || !std::equal(path.begin(), path.end(), key.begin())) return node;
      node->children[0] = remove(std::move(node->children[0]), key.subspan(path.size()), removed);
      if (!removed) return node;
      node->touch();
      return collapse_extension(std::move(node));
    }
    case Node::Kind::kBranch: {
      if (key.empty()) {
        if (node->value.empty()) return node;
        node->value.clear();
        removed = true;
      } else {
        NodePtr& child = node->children[key[0]];
        child = remove(std::move(child), key.subspan(1), removed);
        if (!removed) return node;
      }
      node->touch();
      return collapse_branch(std::move(node));
    }
  }
  return node;
}

// Hex-prefix encoding (Yellow Paper, appendix C): a flag nibble says leaf or
// extension and whether the path has an odd number of nibbles.
void append_hex_prefix(Bytes& out, Nibbles path, bool leaf) {
  const bool odd = path.size() % 2 == 1;
  const std::uint8_t flag = static_cast<std::uint8_t>((leaf ? 2 : 0) + (odd ? 1 : 0));
  Bytes packed;
  packed.reserve(path.size() / 2 + 1);
  std::size_t i = 0;
  if (odd) {
    packed.push_back(static_cast<std::uint8_t>(flag << 4 | path[0]));
    i = 1;
  } else {
    packed.push_back(static_cast<std::uint8_t>(flag << 4));
  }
  for (; i < path.size(); i += 2)  // an even number of nibbles remains
    packed.push_back(static_cast<std::uint8_t>(path[i] << 4 | path[i + 1]));
  rlp_append_bytes(out, packed);
}

const Bytes& reference(const Node& node);

// The node's RLP; children appear as their references.
Bytes encode(const Node& node) {
  Bytes payload;
  switch (node.kind) {
    case Node::Kind::kLeaf:
      append_hex_prefix(payload, node.path, true);
      rlp_append_bytes(payload, node.value);
      break;
    case Node::Kind::kExtension: {
      append_hex_prefix(payload, node.path, false);
      const Bytes& child = reference(*node.children[0]);
      payload.insert(payload.end(), child.begin(), child.end());
      break;
    }
    case Node::Kind::kBranch:
      for (const NodePtr& child : node.children) {
        if (child) {
          const Bytes& ref = reference(*child);
          payload.insert(payload.end(), ref.begin(), ref.end());
        } else {
          rlp_append_bytes(payload, {});
        }
      }
      rlp_append_bytes(payload, node.value);
      break;
  }
  return rlp_list(payload);
}

const Bytes& reference(const Node& node) {
  if (!node.reference.empty()) return node.reference;
  Bytes rlp = encode(node);
  if (rlp.size() < kHashedReferenceMin) {
    node.reference = std::move(rlp);
  } else {
    const Hash256 h = crypto::keccak256(rlp);
    node.reference.clear();
    rlp_append_bytes(node.reference, h);
  }
  return node.reference;
}

}  // namespace

Trie::Trie() = default;
Trie::~Trie() = default;
Trie::Trie(Trie&&) noexcept = default;
Trie& Trie::operator=(Trie&&) noexcept = default;

void Trie::put(BytesView key, BytesView value) {
  if (value.empty()) {
    erase(key);
    return;
  }
  const Bytes nibbles = to_nibbles(key);
  root_ = insert(std::move(root_), nibbles, Bytes(value.begin(), value.end()));
}

void Trie::erase(BytesView key) {
  const Bytes nibbles = to_nibbles(key);
  bool removed = false;
  root_ = remove(std::move(root_), nibbles, removed);
}

std::optional<Bytes> Trie::get(BytesView key) const {
  const Bytes nibbles = to_nibbles(key);
  Nibbles rest(nibbles);
  const Node* node = root_.get();
  while (node) {
    switch (node->kind) {
      case Node::Kind::kLeaf:
        if (std::ranges::equal(node->path, rest)) return node->value;
        return std::nullopt;
      case Node::Kind::kExtension: {
        const Nibbles path(node->path);
        if (rest.size() < path.size() || !std::equal(path.begin(), path.end(), rest.begin())) return std::nullopt;
        rest = rest.subspan(path.size());
        node = node->children[0].get();
        break;
      }
      case Node::Kind::kBranch:
        if (rest.empty()) return node->value.empty() ? std::nullopt : std::optional<Bytes>(node->value);
        node = node->children[rest[0]].get();
        rest = rest.subspan(1);
        break;
    }
  }
  return std::nullopt;
}

Hash256 Trie::root_hash() const {
  if (!root_) return kEmptyTrieRoot;
  const Bytes& ref = reference(*root_);
  // The root is hashed even when short enough to be embedded elsewhere.
  if (ref.size() < kHashedReferenceMin) return crypto::keccak256(ref);
  Hash256 h;
  std::copy(ref.end() - h.size(), ref.end(), h.begin());
  return h;
}

void SecureTrie::put(BytesView key, BytesView value) { trie_.put(crypto::keccak256(key), value); }
void SecureTrie::erase(BytesView key) { trie_.erase(crypto::keccak256(key)); }
std::optional<Bytes> SecureTrie::get(BytesView key) const { return trie_.get(crypto::keccak256(key)); }

}  // namespace cbsim::models::evm
