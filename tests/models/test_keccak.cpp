#include <gtest/gtest.h>

#include <string_view>

#include "models/crypto/keccak.h"

using namespace cbsim::models::crypto;

namespace {
Hash256 keccak_of(std::string_view s) {
  return keccak256({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}
}  // namespace

// The empty-input digest is also Ethereum's hash of empty code, which tells
// Keccak's padding apart from SHA3-256's (a7ffc6f8...).
TEST(Keccak256, HashesTheEmptyInput) {
  EXPECT_EQ(to_hex(keccak_of("")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, HashesAbc) {
  EXPECT_EQ(to_hex(keccak_of("abc")), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}
