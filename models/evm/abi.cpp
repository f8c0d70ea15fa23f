#include "models/evm/abi.h"

#include <algorithm>
#include <charconv>

#include "models/crypto/keccak.h"

namespace cbsim::models::evm {

namespace {

constexpr std::size_t kWord = 32;

std::size_t parse_number(std::string_view digits, std::string_view whole) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || digits[0] == '0') {
    throw AbiError("abi: bad size in type '" + std::string(whole) + "'");
  }
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Bytes a value of a static type takes in place; dynamic types take one word (their offset).
std::size_t head_size(const AbiType& t) {
  if (t.kind == AbiType::Kind::array && !t.is_dynamic()) return t.size * head_size(*t.element);
  return kWord;
}

void append_word(Bytes& out, const uint256& w) {
  const auto b = w.to_be_bytes();
  out.insert(out.end(), b.begin(), b.end());
}

// The data, then zeros up to a whole number of words.
void append_padded(Bytes& out, BytesView data) {
  out.insert(out.end(), data.begin(), data.end());
  out.resize(out.size() + (kWord - data.size() % kWord) % kWord, 0);
}

// Whether a word is the N-bit value it claims: for uintN the bits above N are
// zero, for intN they copy the sign bit.
bool fits(const AbiType& t, const uint256& w) {
  if (t.size == 256) return true;
  if (t.kind == AbiType::Kind::uint) return (w >> t.size).is_zero();
  return signextend(uint256(t.size / 8 - 1), w) == w;
}

void encode_value(const AbiType& t, const AbiValue& v, Bytes& out);

// The head/tail layout shared by parameter lists and array contents: static
// values in place, dynamic ones as an offset (from the start of this
// sequence) to their encoding after all the heads.
void encode_sequence(const std::vector<const AbiType*>& types, const std::vector<AbiValue>& values, Bytes& out) {
  if (types.size() != values.size()) {
    throw AbiError("abi: " + std::to_string(values.size()) + " values for " + std::to_string(types.size()) + " types");
  }
  std::size_t heads_size = 0;
  for (const AbiType* t : types) heads_size += head_size(*t);
  Bytes heads, tails;
  heads.reserve(heads_size);
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (types[i]->is_dynamic()) {
      append_word(heads, uint256(heads_size + tails.size()));
      encode_value(*types[i], values[i], tails);
    } else {
      encode_value(*types[i], values[i], heads);
    }
  }
  out.insert(out.end(), heads.begin(), heads.end());
  out.insert(out.end(), tails.begin(), tails.end());
}

template <typename T>
const T& expect(const AbiValue& v, const AbiType& t, const T& (AbiValue::*get)() const) {
  try {
    return (v.*get)();
  } catch (const std::bad_variant_access&) {
    throw AbiError("abi: value does not match type " + t.name());
  }
}

void encode_value(const AbiType& t, const AbiValue& v, Bytes& out) {
  using K = AbiType::Kind;
  switch (t.kind) {
    case K::uint:
    case K::int_: {
      const uint256& w = expect(v, t, &AbiValue::as_word);
      if (!fits(t, w)) throw AbiError("abi: value out of range for " + t.name());
      append_word(out, w);
      return;
    }
    case K::boolean: {
      bool b;
      try {
        b = v.as_bool();
      } catch (const std::bad_variant_access&) {
        throw AbiError("abi: value does not match type bool");
      }
      append_word(out, uint256(b ? 1 : 0));
      return;
    }
    case K::address: {
      const Address& a = expect(v, t, &AbiValue::as_address);
      out.resize(out.size() + 12, 0);
      out.insert(out.end(), a.begin(), a.end());
      return;
    }
    case K::fixed_bytes: {
      const Bytes& b = expect(v, t, &AbiValue::as_bytes);
      if (b.size() != t.size) throw AbiError("abi: " + std::to_string(b.size()) + " bytes for " + t.name());
      append_padded(out, b);
      return;
    }
    case K::bytes: {
      const Bytes& b = expect(v, t, &AbiValue::as_bytes);
      append_word(out, uint256(b.size()));
      append_padded(out, b);
      return;
    }
    case K::string: {
      const std::string& s = expect(v, t, &AbiValue::as_string);
      append_word(out, uint256(s.size()));
      append_padded(out, BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
      return;
    }
    case K::array: {
      const AbiValue::Array& items = expect(v, t, &AbiValue::as_array);
      if (t.size == 0) {
        append_word(out, uint256(items.size()));
      } else if (items.size() != t.size) {
        throw AbiError("abi: " + std::to_string(items.size()) + " elements for " + t.name());
      }
      encode_sequence(std::vector<const AbiType*>(items.size(), t.element.get()), items, out);
      return;
    }
  }
}

// --- decoding: every read is bounds-checked against the enclosing sequence.

uint256 read_word(BytesView data, std::size_t at) {
  if (at > data.size() || data.size() - at < kWord) throw AbiError("abi: data too short");
  return uint256::from_be_bytes(std::span<const std::uint8_t, kWord>(data.data() + at, kWord));
}

// A word used as an offset or a length: it must fit the data, which also
// keeps a hostile length from allocating without bound.
std::size_t read_size(BytesView data, std::size_t at) {
  const uint256 w = read_word(data, at);
  if (!w.fits_uint64() || w.low_uint64() > data.size()) throw AbiError("abi: offset or length out of range");
  return static_cast<std::size_t>(w.low_uint64());
}

AbiValue decode_value(const AbiType& t, BytesView data, std::size_t at);

std::vector<AbiValue> decode_sequence(const std::vector<const AbiType*>& types, BytesView data) {
  std::vector<AbiValue> values;
  values.reserve(types.size());
  std::size_t head = 0;
  for (const AbiType* t : types) {
    if (t->is_dynamic()) {
      values.push_back(decode_value(*t, data, read_size(data, head)));
    } else {
      values.push_back(decode_value(*t, data, head));
    }
    head += head_size(*t);
  }
  return values;
}

AbiValue decode_value(const AbiType& t, BytesView data, std::size_t at) {
  using K = AbiType::Kind;
  switch (t.kind) {
    case K::uint:
    case K::int_: {
      const uint256 w = read_word(data, at);
      if (!fits(t, w)) throw AbiError("abi: dirty high bits in " + t.name());
      return AbiValue::word(w);
    }
    case K::boolean: {
      const uint256 w = read_word(data, at);
      if (w > uint256(1)) throw AbiError("abi: bool other than 0 or 1");
      return AbiValue::boolean(w == uint256(1));
    }
    case K::address: {
      const uint256 w = read_word(data, at);
      if (!(w >> 160).is_zero()) throw AbiError("abi: dirty high bits in address");
      Address a;
      std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(at + 12), 20, a.begin());
      return AbiValue::address(a);
    }
    case K::fixed_bytes: {
      const uint256 w = read_word(data, at);
      if (t.size < kWord && !(w << (8 * t.size)).is_zero()) throw AbiError("abi: dirty padding in " + t.name());
      const auto begin = data.begin() + static_cast<std::ptrdiff_t>(at);
      return AbiValue::bytes(Bytes(begin, begin + static_cast<std::ptrdiff_t>(t.size)));
    }
    case K::bytes:
    case K::string: {
      const std::size_t length = read_size(data, at);
      if (data.size() - at - kWord < length) throw AbiError("abi: data too short for " + t.name());
      const auto begin = data.begin() + static_cast<std::ptrdiff_t>(at + kWord);
      const auto end = begin + static_cast<std::ptrdiff_t>(length);
      if (t.kind == K::bytes) return AbiValue::bytes(Bytes(begin, end));
      return AbiValue::string(std::string(begin, end));
    }
    case K::array: {
      std::size_t count = t.size;
      BytesView contents = data.subspan(std::min(at, data.size()));
      if (count == 0) {
        count = read_size(data, at);
        contents = data.subspan(at + kWord);
        // Every element takes at least one word of the contents.
        if (count > contents.size() / kWord) throw AbiError("abi: array length out of range");
      }
      return AbiValue::array(decode_sequence(std::vector<const AbiType*>(count, t.element.get()), contents));
    }
  }
  throw AbiError("abi: unknown type");
}

std::vector<const AbiType*> pointers(const std::vector<AbiType>& types) {
  std::vector<const AbiType*> p;
  p.reserve(types.size());
  for (const AbiType& t : types) p.push_back(&t);
  return p;
}

}  // namespace

bool AbiType::is_dynamic() const {
  switch (kind) {
    case Kind::bytes:
    case Kind::string:
      return true;
    case Kind::array:
      return size == 0 || element->is_dynamic();
    default:
      return false;
  }
}

std::string AbiType::name() const {
  switch (kind) {
    case Kind::uint: return "uint" + std::to_string(size);
    case Kind::int_: return "int" + std::to_string(size);
    case Kind::address: return "address";
    case Kind::boolean: return "bool";
    case Kind::fixed_bytes: return "bytes" + std::to_string(size);
    case Kind::bytes: return "bytes";
    case Kind::string: return "string";
    case Kind::array: return element->name() + "[" + (size == 0 ? std::string() : std::to_string(size)) + "]";
  }
  return "?";
}

AbiType parse_abi_type(std::string_view name) {
  const std::string_view whole = name;
  name = trim(name);
  AbiType t;
  if (!name.empty() && name.back() == ']') {
    // The last brackets are the outermost array: "uint8[2][]" is a T[] of uint8[2].
    const auto open = name.rfind('[');
    if (open == std::string_view::npos || open == 0) throw AbiError("abi: bad type '" + std::string(whole) + "'");
    const std::string_view length = name.substr(open + 1, name.size() - open - 2);
    t.kind = AbiType::Kind::array;
    t.size = length.empty() ? 0 : parse_number(length, whole);
    t.element = std::make_shared<const AbiType>(parse_abi_type(name.substr(0, open)));
    return t;
  }
  using K = AbiType::Kind;
  if (name == "address") return AbiType{K::address, 20, nullptr};
  if (name == "bool") return AbiType{K::boolean, 1, nullptr};
  if (name == "string") return AbiType{K::string, 0, nullptr};
  if (name == "bytes") return AbiType{K::bytes, 0, nullptr};
  if (name == "uint" || name == "int") return AbiType{name == "uint" ? K::uint : K::int_, 256, nullptr};
  if (name.starts_with("uint") || name.starts_with("int")) {
    const bool is_uint = name.starts_with("uint");
    const std::size_t bits = parse_number(name.substr(is_uint ? 4 : 3), whole);
    if (bits % 8 != 0 || bits > 256) throw AbiError("abi: bad integer size in '" + std::string(whole) + "'");
    return AbiType{is_uint ? K::uint : K::int_, bits, nullptr};
  }
  if (name.starts_with("bytes")) {
    const std::size_t n = parse_number(name.substr(5), whole);
    if (n > 32) throw AbiError("abi: bad bytesN size in '" + std::string(whole) + "'");
    return AbiType{K::fixed_bytes, n, nullptr};
  }
  throw AbiError("abi: unsupported type '" + std::string(whole) + "'");
}

std::vector<AbiType> parse_abi_types(std::string_view list) {
  list = trim(list);
  if (list.starts_with('(')) {
    if (!list.ends_with(')')) throw AbiError("abi: unbalanced parentheses in '" + std::string(list) + "'");
    list = list.substr(1, list.size() - 2);
  }
  std::vector<AbiType> types;
  if (trim(list).empty()) return types;
  if (list.find_first_of("()") != std::string_view::npos) throw AbiError("abi: tuples are not supported");
  for (std::size_t start = 0;;) {
    const std::size_t comma = list.find(',', start);
    types.push_back(parse_abi_type(list.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return types;
}

std::array<std::uint8_t, 4> function_selector(std::string_view signature) {
  const auto h = event_topic(signature);
  return {h[0], h[1], h[2], h[3]};
}

std::array<std::uint8_t, 32> event_topic(std::string_view signature) {
  return crypto::keccak256(std::span(reinterpret_cast<const std::uint8_t*>(signature.data()), signature.size()));
}

Bytes abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values) {
  Bytes out;
  encode_sequence(pointers(types), values, out);
  return out;
}

Bytes abi_encode_call(std::string_view signature, const std::vector<AbiValue>& args) {
  const auto open = signature.find('(');
  if (open == std::string_view::npos || open == 0) throw AbiError("abi: no parameter list in '" + std::string(signature) + "'");
  const auto selector = function_selector(signature);
  Bytes out(selector.begin(), selector.end());
  encode_sequence(pointers(parse_abi_types(signature.substr(open))), args, out);
  return out;
}

std::vector<AbiValue> abi_decode(const std::vector<AbiType>& types, BytesView data) {
  return decode_sequence(pointers(types), data);
}

std::vector<AbiValue> abi_decode(std::string_view types, BytesView data) {
  return abi_decode(parse_abi_types(types), data);
}

}  // namespace cbsim::models::evm
