#pragma once
// The Solidity contract ABI (docs.soliditylang.org, "Contract ABI
// Specification"): function selectors, call data and return data. Enough for
// tests and workloads to call compiled contracts: uintN, intN, address, bool,
// bytesN, bytes, string, and arrays T[] and T[k] of any of these (nested
// arrays included), laid out head/tail as the specification says. Tuples as
// parameters and the fixed-point types are not supported.
//
// A value carries no type of its own: the same types list that encodes it
// decodes it, as with the ABI itself, so an AbiValue is only the payload.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "models/evm/address.h"
#include "models/evm/bytes.h"
#include "models/evm/uint256.h"

namespace cbsim::models::evm {

struct AbiError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct AbiType {
  enum class Kind : std::uint8_t { uint, int_, address, boolean, fixed_bytes, bytes, string, array };
  Kind kind = Kind::uint;
  // uint/int: bits (8..256); fixed_bytes: bytes (1..32); array: length, 0 for T[].
  std::size_t size = 256;
  std::shared_ptr<const AbiType> element;  // arrays only

  // Encoded out of place, through an offset in the head (bytes, string, T[], T[k] of a dynamic T).
  bool is_dynamic() const;
  // Canonical name as in signatures: "uint256", "bytes32", "uint32[]", "address[2]".
  std::string name() const;
};

// "uint" and "int" are read as uint256 and int256, as in the specification.
// Throws AbiError for anything else that is not one of the supported types.
AbiType parse_abi_type(std::string_view name);
// A comma-separated list, with or without the surrounding parentheses: "uint256,bool", "(bytes,uint32[])", "".
std::vector<AbiType> parse_abi_types(std::string_view list);

class AbiValue {
public:
  using Array = std::vector<AbiValue>;

  // uintN; intN through their two's complement word (see abi_int).
  static AbiValue word(const uint256& v) { return AbiValue(v); }
  static AbiValue boolean(bool v) { return AbiValue(v); }
  static AbiValue address(const Address& v) { return AbiValue(v); }
  // bytesN (exactly N bytes) and bytes.
  static AbiValue bytes(Bytes v) { return AbiValue(std::move(v)); }
  static AbiValue string(std::string v) { return AbiValue(std::move(v)); }
  static AbiValue array(Array v) { return AbiValue(std::move(v)); }

  // Each throws std::bad_variant_access when the value holds something else.
  const uint256& as_word() const { return std::get<uint256>(v_); }
  bool as_bool() const { return std::get<bool>(v_); }
  const Address& as_address() const { return std::get<Address>(v_); }
  const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }

  friend bool operator==(const AbiValue&, const AbiValue&) = default;

private:
  using Variant = std::variant<uint256, bool, Address, Bytes, std::string, Array>;
  template <typename T>
  explicit AbiValue(T v) : v_(std::move(v)) {}
  Variant v_;
};

// A signed integer for an intN parameter, as its two's complement word.
inline AbiValue abi_int(std::int64_t v) {
  return AbiValue::word(v < 0 ? -uint256(static_cast<std::uint64_t>(-(v + 1)) + 1) : uint256(static_cast<std::uint64_t>(v)));
}

// The first four bytes of the Keccak-256 of a canonical signature, "transfer(address,uint256)".
std::array<std::uint8_t, 4> function_selector(std::string_view signature);
// The topic of a non-anonymous event: the whole Keccak-256 of "Transfer(address,address,uint256)".
std::array<std::uint8_t, 32> event_topic(std::string_view signature);

// Throws AbiError when the values do not match the types (count, kind,
// a number out of range for its N bits, a bytesN of another length, an array
// of the wrong length).
Bytes abi_encode(const std::vector<AbiType>& types, const std::vector<AbiValue>& values);
// The selector of `signature` followed by its parameters encoded.
Bytes abi_encode_call(std::string_view signature, const std::vector<AbiValue>& args);

// Throws AbiError on data too short, offsets or lengths out of range, and
// words that are not a valid encoding of their type (dirty high bits of a
// uintN or an address, a bool other than 0 or 1, non-zero padding of a bytesN),
// which Solidity's own decoder rejects as well.
std::vector<AbiValue> abi_decode(const std::vector<AbiType>& types, BytesView data);
std::vector<AbiValue> abi_decode(std::string_view types, BytesView data);

}  // namespace cbsim::models::evm
