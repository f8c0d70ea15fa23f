#pragma once
// Recursive Length Prefix, Ethereum's serialization (Yellow Paper, appendix B).
// Encoding appends to a caller's buffer, so hot paths (trie nodes, transactions)
// build their bytes without intermediate trees; RlpItem is the generic value that
// decoding produces and tests compare.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "models/evm/bytes.h"

namespace cbsim::models::evm {

// Thrown for any input that is not exactly one canonical RLP item.
class RlpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A byte string: one byte below 0x80 stands for itself, anything else gets a
// length prefix.
void rlp_append_bytes(Bytes& out, BytesView bytes);
// An unsigned integer: its big-endian bytes without leading zeros (0 is the
// empty string).
void rlp_append_uint(Bytes& out, std::uint64_t value);
// An unsigned integer of any width given big-endian; leading zeros are dropped.
void rlp_append_big_uint(Bytes& out, BytesView big_endian);
// The prefix of a list whose encoded items take payload_size bytes; the caller
// appends the items after it.
void rlp_append_list_header(Bytes& out, std::size_t payload_size);
// A list around already-encoded items.
Bytes rlp_list(BytesView payload);

struct RlpItem {
  bool is_list = false;
  Bytes bytes;                 // when !is_list
  std::vector<RlpItem> items;  // when is_list

  static RlpItem string(BytesView b) { return RlpItem{false, Bytes(b.begin(), b.end()), {}}; }
  static RlpItem list(std::vector<RlpItem> items) { return RlpItem{true, {}, std::move(items)}; }
  bool operator==(const RlpItem&) const = default;
};

void rlp_append(Bytes& out, const RlpItem& item);
Bytes rlp_encode(const RlpItem& item);

// Nesting deeper than this is rejected rather than risking the stack.
inline constexpr int kRlpMaxDepth = 1024;

// Decodes an input that must hold exactly one canonical item: minimal length
// prefixes, no single byte below 0x80 behind a prefix, nothing truncated and
// nothing trailing. Throws RlpError otherwise.
RlpItem rlp_decode(BytesView input);

}  // namespace cbsim::models::evm
