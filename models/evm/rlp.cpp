#include "models/evm/rlp.h"

#include <string>

namespace cbsim::models::evm {

namespace {

constexpr std::uint8_t kStringShort = 0x80;
constexpr std::uint8_t kStringLong = 0xb7;
constexpr std::uint8_t kListShort = 0xc0;
constexpr std::uint8_t kListLong = 0xf7;
// Payloads up to 55 bytes carry their length in the prefix byte itself.
constexpr std::size_t kMaxShortPayload = 55;

int byte_length(std::uint64_t v) {
  int n = 0;
  for (; v != 0; v >>= 8) ++n;
  return n;
}

void append_big_endian(Bytes& out, std::uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void append_header(Bytes& out, std::uint8_t short_base, std::uint8_t long_base, std::size_t payload_size) {
  if (payload_size <= kMaxShortPayload) {
    out.push_back(static_cast<std::uint8_t>(short_base + payload_size));
    return;
  }
  const int n = byte_length(payload_size);
  out.push_back(static_cast<std::uint8_t>(long_base + n));
  append_big_endian(out, payload_size, n);
}

struct Header {
  bool is_list;
  std::size_t payload_offset;  // from the start of the item
  std::size_t payload_size;
};

// Reads the prefix at the start of `in`, checking that it is canonical and that
// the payload fits in `in`.
Header read_header(BytesView in) {
  if (in.empty()) throw RlpError("RLP: truncated input (no prefix byte)");
  const std::uint8_t b = in[0];
  if (b < kStringShort) return {false, 0, 1};
  const bool is_list = b >= kListShort;
  const std::uint8_t short_base = is_list ? kListShort : kStringShort;
  const std::uint8_t long_base = is_list ? kListLong : kStringLong;
  Header h{is_list, 1, 0};
  if (b <= long_base) {
    h.payload_size = b - short_base;
  } else {
    const std::size_t n = b - long_base;  // 1..8 length bytes
    if (in.size() < 1 + n) throw RlpError("RLP: truncated length");
    if (in[1] == 0) throw RlpError("RLP: leading zero in a length");
    std::uint64_t size = 0;
    for (std::size_t i = 1; i <= n; ++i) size = (size << 8) | in[i];
    if (size <= kMaxShortPayload) throw RlpError("RLP: long form used for a short payload");
    // Compared before narrowing to size_t, so a 64-bit length cannot wrap.
    if (size > in.size() - (1 + n)) throw RlpError("RLP: payload runs past the end of the input");
    h.payload_offset = 1 + n;
    h.payload_size = static_cast<std::size_t>(size);
  }
  if (h.payload_size > in.size() - h.payload_offset) throw RlpError("RLP: payload runs past the end of the input");
  if (!is_list && h.payload_size == 1 && in[h.payload_offset] < kStringShort)
    throw RlpError("RLP: a single byte below 0x80 must encode itself");
  return h;
}

// Decodes the item at the start of `in` and returns how many bytes it took.
std::size_t decode_item(BytesView in, RlpItem& out, int depth) {
  const Header h = read_header(in);
  const BytesView payload = in.subspan(h.payload_offset, h.payload_size);
  if (in[0] < kStringShort) {
    out = RlpItem{false, Bytes{in[0]}, {}};
    return 1;
  }
  if (!h.is_list) {
    out = RlpItem::string(payload);
  } else {
    if (depth >= kRlpMaxDepth) throw RlpError("RLP: nesting deeper than " + std::to_string(kRlpMaxDepth));
    out = RlpItem{true, {}, {}};
    std::size_t pos = 0;
    while (pos < payload.size()) {
      RlpItem child;
      pos += decode_item(payload.subspan(pos), child, depth + 1);
      out.items.push_back(std::move(child));
    }
  }
  return h.payload_offset + h.payload_size;
}

}  // namespace

void rlp_append_bytes(Bytes& out, BytesView bytes) {
  if (bytes.size() == 1 && bytes[0] < kStringShort) {
    out.push_back(bytes[0]);
    return;
  }
  append_header(out, kStringShort, kStringLong, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void rlp_append_uint(Bytes& out, std::uint64_t value) {
  if (value != 0 && value < kStringShort) {
    out.push_back(static_cast<std::uint8_t>(value));
    return;
  }
  const int n = byte_length(value);
  out.push_back(static_cast<std::uint8_t>(kStringShort + n));
  append_big_endian(out, value, n);
}

void rlp_append_big_uint(Bytes& out, BytesView big_endian) {
  std::size_t first = 0;
  while (first < big_endian.size() && big_endian[first] == 0) ++first;
  rlp_append_bytes(out, big_endian.subspan(first));
}

void rlp_append_list_header(Bytes& out, std::size_t payload_size) {
  append_header(out, kListShort, kListLong, payload_size);
}

Bytes rlp_list(BytesView payload) {
  Bytes out;
  out.reserve(payload.size() + 9);
  rlp_append_list_header(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

void rlp_append(Bytes& out, const RlpItem& item) {
  if (!item.is_list) {
    rlp_append_bytes(out, item.bytes);
    return;
  }
  Bytes payload;
  for (const RlpItem& child : item.items) rlp_append(payload, child);
  rlp_append_list_header(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

Bytes rlp_encode(const RlpItem& item) {
  Bytes out;
  rlp_append(out, item);
  return out;
}

RlpItem rlp_decode(BytesView input) {
  RlpItem item;
  const std::size_t used = decode_item(input, item, 0);
  if (used != input.size()) throw RlpError("RLP: trailing bytes after the item");
  return item;
}

}  // namespace cbsim::models::evm
