// The contract ABI encoder/decoder against the worked examples of the
// Solidity ABI specification (docs.soliditylang.org, "Contract ABI
// Specification", sections "Examples" and "Use of Dynamic Types"): selectors
// and call data byte for byte, and the same data decoded back.

#include <gtest/gtest.h>

#include <string>

#include "models/evm/abi.h"
#include "models/evm/hex.h"

namespace cbsim::models::evm {
namespace {

AbiValue u(std::uint64_t v) { return AbiValue::word(uint256(v)); }
AbiValue text_bytes(const std::string& s) { return AbiValue::bytes(Bytes(s.begin(), s.end())); }
AbiValue uints(std::initializer_list<std::uint64_t> vs) {
  AbiValue::Array a;
  for (auto v : vs) a.push_back(u(v));
  return AbiValue::array(std::move(a));
}
std::string hex_of(const Bytes& b) { return to_hex(b); }

TEST(EvmAbi, SelectorsOfTheSpecificationAndErc20) {
  EXPECT_EQ(to_hex(function_selector("baz(uint32,bool)")), "0xcdcd77c0");
  EXPECT_EQ(to_hex(function_selector("bar(bytes3[2])")), "0xfce353f6");
  EXPECT_EQ(to_hex(function_selector("sam(bytes,bool,uint256[])")), "0xa5643bf2");
  EXPECT_EQ(to_hex(function_selector("f(uint256,uint32[],bytes10,bytes)")), "0x8be65246");
  EXPECT_EQ(to_hex(function_selector("g(uint256[][],string[])")), "0x2289b18c");
  EXPECT_EQ(to_hex(function_selector("transfer(address,uint256)")), "0xa9059cbb");
  EXPECT_EQ(to_hex(event_topic("Transfer(address,address,uint256)")),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

TEST(EvmAbi, EncodesBazWithStaticArguments) {
  const Bytes data = abi_encode_call("baz(uint32,bool)", {u(69), AbiValue::boolean(true)});
  EXPECT_EQ(hex_of(data),
            "0xcdcd77c0"
            "0000000000000000000000000000000000000000000000000000000000000045"
            "0000000000000000000000000000000000000000000000000000000000000001");
  const auto back = abi_decode("uint32,bool", BytesView(data).subspan(4));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].as_word(), uint256(69));
  EXPECT_TRUE(back[1].as_bool());
}

TEST(EvmAbi, EncodesAFixedArrayOfBytesNInPlace) {
  const Bytes data = abi_encode_call("bar(bytes3[2])", {AbiValue::array({text_bytes("abc"), text_bytes("def")})});
  EXPECT_EQ(hex_of(data),
            "0xfce353f6"
            "6162630000000000000000000000000000000000000000000000000000000000"
            "6465660000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(abi_decode("(bytes3[2])", BytesView(data).subspan(4))[0],
            AbiValue::array({text_bytes("abc"), text_bytes("def")}));
}

TEST(EvmAbi, EncodesSamWithBytesAndADynamicArray) {
  const std::vector<AbiValue> args = {text_bytes("dave"), AbiValue::boolean(true), uints({1, 2, 3})};
  const Bytes data = abi_encode_call("sam(bytes,bool,uint256[])", args);
  EXPECT_EQ(hex_of(data),
            "0xa5643bf2"
            "0000000000000000000000000000000000000000000000000000000000000060"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "00000000000000000000000000000000000000000000000000000000000000a0"
            "0000000000000000000000000000000000000000000000000000000000000004"
            "6461766500000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "0000000000000000000000000000000000000000000000000000000000000003");
  EXPECT_EQ(abi_decode("bytes,bool,uint256[]", BytesView(data).subspan(4)), args);
}

TEST(EvmAbi, EncodesTheUseOfDynamicTypesExample) {
  // "uint" in the specification's prose is uint256 in the signature.
  const std::vector<AbiValue> args = {u(0x123), uints({0x456, 0x789}), text_bytes("1234567890"),
                                      text_bytes("Hello, world!")};
  const Bytes data = abi_encode_call("f(uint256,uint32[],bytes10,bytes)", args);
  EXPECT_EQ(hex_of(data),
            "0x8be65246"
            "0000000000000000000000000000000000000000000000000000000000000123"
            "0000000000000000000000000000000000000000000000000000000000000080"
            "3132333435363738393000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000e0"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "0000000000000000000000000000000000000000000000000000000000000456"
            "0000000000000000000000000000000000000000000000000000000000000789"
            "000000000000000000000000000000000000000000000000000000000000000d"
            "48656c6c6f2c20776f726c642100000000000000000000000000000000000000");
  EXPECT_EQ(abi_decode("uint,uint32[],bytes10,bytes", BytesView(data).subspan(4)), args);
}

TEST(EvmAbi, EncodesNestedDynamicArraysAndStrings) {
  const std::vector<AbiValue> args = {
      AbiValue::array({uints({1, 2}), uints({3})}),
      AbiValue::array({AbiValue::string("one"), AbiValue::string("two"), AbiValue::string("three")})};
  const Bytes data = abi_encode_call("g(uint256[][],string[])", args);
  EXPECT_EQ(hex_of(data),
            "0x2289b18c"
            "0000000000000000000000000000000000000000000000000000000000000040"
            "0000000000000000000000000000000000000000000000000000000000000140"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "0000000000000000000000000000000000000000000000000000000000000040"
            "00000000000000000000000000000000000000000000000000000000000000a0"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000002"
            "0000000000000000000000000000000000000000000000000000000000000001"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "0000000000000000000000000000000000000000000000000000000000000060"
            "00000000000000000000000000000000000000000000000000000000000000a0"
            "00000000000000000000000000000000000000000000000000000000000000e0"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "6f6e650000000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000003"
            "74776f0000000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000005"
            "7468726565000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(abi_decode("uint256[][],string[]", BytesView(data).subspan(4)), args);
}

TEST(EvmAbi, SignedIntegersAreSignExtendedAndAddressesLeftPadded) {
  Address a{};
  a[0] = 0xde;
  a[19] = 0xad;
  const Bytes data = abi_encode(parse_abi_types("int8,int256,address"), {abi_int(-1), abi_int(-2), AbiValue::address(a)});
  EXPECT_EQ(hex_of(data),
            "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"
            "000000000000000000000000de000000000000000000000000000000000000ad");
  const auto back = abi_decode("int8,int256,address", data);
  EXPECT_EQ(back[0].as_word(), uint256::max());
  EXPECT_EQ(back[2].as_address(), a);
  EXPECT_EQ(abi_int(-128).as_word(), ~uint256(127));
}

TEST(EvmAbi, RejectsValuesThatDoNotFitTheirType) {
  EXPECT_THROW(abi_encode_call("f(uint8)", {u(256)}), AbiError);
  EXPECT_THROW(abi_encode_call("f(int8)", {u(128)}), AbiError);  // +128 is not an int8
  EXPECT_NO_THROW(abi_encode_call("f(int8)", {abi_int(-128)}));
  EXPECT_THROW(abi_encode_call("f(bytes10)", {text_bytes("short")}), AbiError);
  EXPECT_THROW(abi_encode_call("f(uint256[2])", {uints({1})}), AbiError);
  EXPECT_THROW(abi_encode_call("f(uint256)", {AbiValue::boolean(true)}), AbiError);
  EXPECT_THROW(abi_encode_call("f(uint256,bool)", {u(1)}), AbiError);
  EXPECT_THROW(parse_abi_type("uint7"), AbiError);
  EXPECT_THROW(parse_abi_type("bytes33"), AbiError);
  EXPECT_THROW(parse_abi_type("fixed128x18"), AbiError);
  EXPECT_THROW(parse_abi_types("((uint256,bool),bool)"), AbiError);
  EXPECT_EQ(parse_abi_type("uint8[2][]").name(), "uint8[2][]");
  EXPECT_EQ(parse_abi_type("int").name(), "int256");
}

TEST(EvmAbi, DecodingRejectsMalformedData) {
  const Bytes word_two = bytes_from_hex("0x0000000000000000000000000000000000000000000000000000000000000002");
  EXPECT_THROW(abi_decode("uint256", BytesView(word_two).first(31)), AbiError);
  EXPECT_THROW(abi_decode("bool", word_two), AbiError);
  EXPECT_THROW(abi_decode("uint8", bytes_from_hex("0x" + std::string(60, '0') + "0100")), AbiError);
  EXPECT_THROW(abi_decode("bytes1", bytes_from_hex("0x" + std::string(62, '0') + "01")), AbiError);
  // An offset past the end, and a length that claims more than the data holds.
  EXPECT_THROW(abi_decode("bytes", word_two), AbiError);
  const Bytes huge = bytes_from_hex("0x" + std::string(62, '0') + "20" + std::string(48, 'f') + std::string(16, '0'));
  EXPECT_THROW(abi_decode("uint256[]", huge), AbiError);
  EXPECT_THROW(abi_decode("string", huge), AbiError);
}

}  // namespace
}  // namespace cbsim::models::evm
