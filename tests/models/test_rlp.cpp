#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <iterator>

#include "models/evm/rlp.h"
#include "ethereum_vectors.h"

using namespace cbsim::models::evm;
using cbsim::test::bytes_of;
using cbsim::test::from_hex;
using cbsim::test::load_ethereum_vectors;

namespace {

Bytes big_endian_of(const boost::multiprecision::cpp_int& v) {
  Bytes out;
  if (v != 0) boost::multiprecision::export_bits(v, std::back_inserter(out), 8);
  return out;
}

// The "in" of a valid case as the item it must encode: JSON strings are byte
// strings, integers (and "#<decimal>" big integers) their minimal big-endian
// bytes, arrays lists. `direct` receives the encoding through the scalar API.
RlpItem expected_item(const nlohmann::json& in, Bytes& direct) {
  if (in.is_array()) {
    RlpItem list = RlpItem::list({});
    Bytes unused;
    for (const auto& child : in) list.items.push_back(expected_item(child, unused));
    return list;
  }
  if (in.is_number_unsigned()) {
    const std::uint64_t v = in.get<std::uint64_t>();
    rlp_append_uint(direct, v);
    return RlpItem::string(big_endian_of(v));
  }
  const std::string s = in.get<std::string>();
  if (!s.empty() && s[0] == '#') {
    const Bytes bytes = big_endian_of(boost::multiprecision::cpp_int(s.substr(1)));
    rlp_append_big_uint(direct, bytes);
    return RlpItem::string(bytes);
  }
  rlp_append_bytes(direct, bytes_of(s));
  return RlpItem::string(bytes_of(s));
}

}  // namespace

TEST(Rlp, ValidVectorsEncodeAndDecodeBack) {
  const nlohmann::json cases = load_ethereum_vectors("RLPTests/rlptest.json");
  ASSERT_FALSE(cases.empty());
  for (const auto& [name, c] : cases.items()) {
    SCOPED_TRACE(name);
    Bytes direct;
    const RlpItem item = expected_item(c.at("in"), direct);
    const Bytes out = from_hex(c.at("out").get<std::string>());
    EXPECT_EQ(rlp_encode(item), out);
    if (!item.is_list) {
      EXPECT_EQ(direct, out);
    }
    EXPECT_EQ(rlp_decode(out), item);
  }
  RecordProperty("cases", static_cast<int>(cases.size()));
}

TEST(Rlp, InvalidVectorsAreRejected) {
  const nlohmann::json cases = load_ethereum_vectors("RLPTests/invalidRLPTest.json");
  ASSERT_FALSE(cases.empty());
  for (const auto& [name, c] : cases.items()) {
    SCOPED_TRACE(name);
    ASSERT_EQ(c.at("in"), "INVALID");
    const Bytes out = from_hex(c.at("out").get<std::string>());
    EXPECT_THROW(rlp_decode(out), RlpError);
  }
  RecordProperty("cases", static_cast<int>(cases.size()));
}

TEST(Rlp, ListHelperWrapsEncodedItems) {
  Bytes payload;
  rlp_append_bytes(payload, bytes_of("cat"));
  rlp_append_bytes(payload, bytes_of("dog"));
  EXPECT_EQ(rlp_list(payload), from_hex("c88363617483646f67"));
}

TEST(Rlp, NestingBeyondTheLimitIsRejectedNotACrash) {
  Bytes nested = rlp_encode(RlpItem::list({}));
  for (int i = 0; i < kRlpMaxDepth + 1; ++i) nested = rlp_list(nested);
  EXPECT_THROW(rlp_decode(nested), RlpError);
}
