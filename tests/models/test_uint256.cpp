// uint256 checked against Boost.Multiprecision's cpp_int on deterministic
// pseudo-random operands rich in edge cases, plus the EVM's own rules as
// explicit cases.

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>
#include <random>
#include <vector>

#include "models/evm/uint256.h"

using cbsim::models::evm::uint256;
namespace evm = cbsim::models::evm;
using big = boost::multiprecision::cpp_int;

namespace {

constexpr int kRounds = 3000;

const big two256 = big(1) << 256;
const big two255 = big(1) << 255;

big to_big(const uint256& x) {
  big b = 0;
  for (std::size_t i = 4; i-- > 0;) b = (b << 64) | big(x[i]);
  return b;
}

// Reduces any integer (negative too) mod 2^256.
uint256 from_big(big b) {
  b %= two256;
  if (b < 0) b += two256;
  uint256 r;
  for (std::size_t i = 0; i < 4; ++i) {
    r[i] = static_cast<std::uint64_t>(b & big(~0ULL));
    b >>= 64;
  }
  return r;
}

// Two's complement reading.
big to_signed(const uint256& x) {
  const big b = to_big(x);
  return b >= two255 ? b - two256 : b;
}

// Operands drawn to hit the edges of the limb arithmetic: zero, one, limb
// boundaries, powers of two and their neighbours, sparse limbs, small values.
class Operands {
 public:
  explicit Operands(std::uint64_t seed) : rng_(seed) {
    for (const unsigned k : {0u, 1u, 63u, 64u, 127u, 128u, 191u, 192u, 254u, 255u}) {
      const uint256 p = uint256(1) << k;
      edges_.insert(edges_.end(), {p, p - 1, p + 1, -p});
    }
    edges_.insert(edges_.end(), {uint256(0), uint256(2), uint256(3), uint256(10), uint256(~0ULL), uint256::max(),
                                 uint256::max() - 1, uint256::from_limbs(0, ~0ULL, 0, ~0ULL),
                                 uint256::from_limbs(~0ULL, 0, ~0ULL, 0)});
  }

  uint256 next() {
    switch (rng_() % 8) {
      case 0:
        return edges_[rng_() % edges_.size()];
      case 1:  // power of two, plus or minus one
      {
        const uint256 p = uint256(1) << (rng_() % 256);
        const auto d = rng_() % 3;
        return d == 0 ? p : d == 1 ? p - 1 : p + 1;
      }
      case 2:  // small
        return uint256(rng_() >> (rng_() % 64));
      case 3:  // random limbs zeroed or all ones
      {
        uint256 r = full();
        for (std::size_t i = 0; i < 4; ++i) {
          const auto k = rng_() % 4;
          if (k == 0) r[i] = 0;
          if (k == 1) r[i] = ~0ULL;
        }
        return r;
      }
      case 4:  // random bit length
        return full() >> (rng_() % 256);
      case 5:  // negative small
        return -uint256(rng_() >> (rng_() % 64));
      default:
        return full();
    }
  }

 private:
  uint256 full() { return uint256::from_limbs(rng_(), rng_(), rng_(), rng_()); }
  std::mt19937_64 rng_;
  std::vector<uint256> edges_;
};

// Runs `check(x, y)` on kRounds operand pairs, plus every pair of edge values.
template <typename Check>
void for_pairs(std::uint64_t seed, Check check) {
  Operands gen(seed);
  for (int i = 0; i < kRounds; ++i) check(gen.next(), gen.next());
}

template <typename Check>
void for_triples(std::uint64_t seed, Check check) {
  Operands gen(seed);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 x = gen.next();
    const uint256 y = gen.next();
    check(x, y, gen.next());
  }
}

uint256 hex(std::string_view s) { return *uint256::from_hex(s); }

}  // namespace

TEST(Uint256, ConstructionAndConversion) {
  EXPECT_TRUE(uint256().is_zero());
  EXPECT_EQ(uint256(42)[0], 42u);
  EXPECT_TRUE(uint256(42).fits_uint64());
  EXPECT_EQ(uint256(42).to_uint64(), 42u);
  EXPECT_FALSE((uint256(1) << 64).fits_uint64());
  EXPECT_EQ((uint256(1) << 64).to_uint64(), std::nullopt);
  EXPECT_EQ((uint256(7) | (uint256(1) << 64)).low_uint64(), 7u);
  EXPECT_EQ(to_big(uint256::max()), two256 - 1);
  EXPECT_TRUE(uint256(1));
  EXPECT_FALSE(uint256(0));
}

TEST(Uint256, BigEndianBytesRoundTrip) {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(i + 1);
  const uint256 x = uint256::from_be_bytes(bytes);
  EXPECT_EQ(x, hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"));
  EXPECT_EQ(x.to_be_bytes(), bytes);
  const std::array<std::uint8_t, 2> push2{0x12, 0x34};
  EXPECT_EQ(uint256::from_be_bytes_padded(push2), uint256(0x1234));
  EXPECT_EQ(uint256::from_be_bytes_padded({}), uint256(0));
  Operands gen(1);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 y = gen.next();
    EXPECT_EQ(uint256::from_be_bytes(y.to_be_bytes()), y);
  }
}

TEST(Uint256, HexParsingAndPrinting) {
  EXPECT_EQ(uint256(0).to_hex(), "0x0");
  EXPECT_EQ(uint256(255).to_hex(), "0xff");
  EXPECT_EQ(uint256::max().to_hex(), "0x" + std::string(64, 'f'));
  EXPECT_EQ(hex("0xDEADbeef"), uint256(0xdeadbeef));
  EXPECT_EQ(hex("0x000000000000000000000000000000000000000000000000000000000000000000001"), uint256(1));
  EXPECT_EQ(uint256::from_hex("0x"), std::nullopt);
  EXPECT_EQ(uint256::from_hex("12"), std::nullopt);
  EXPECT_EQ(uint256::from_hex("0x12g"), std::nullopt);
  EXPECT_EQ(uint256::from_hex("0x1" + std::string(64, '0')), std::nullopt);  // 2^256
  Operands gen(2);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 y = gen.next();
    const std::string s = y.to_hex();
    EXPECT_EQ("0x" + to_big(y).str(0, std::ios::hex), s);
    EXPECT_EQ(uint256::from_hex(s), y);
  }
}

TEST(Uint256, ComparisonMatchesOracle) {
  for_pairs(3, [](const uint256& x, const uint256& y) {
    const big a = to_big(x), b = to_big(y);
    ASSERT_EQ(x == y, a == b);
    ASSERT_EQ(x < y, a < b) << x << " " << y;
    ASSERT_EQ(x > y, a > b);
    ASSERT_EQ(x <= y, a <= b);
    ASSERT_EQ(x >= y, a >= b);
    ASSERT_EQ(evm::slt(x, y), to_signed(x) < to_signed(y)) << x << " " << y;
    ASSERT_EQ(evm::sgt(x, y), to_signed(x) > to_signed(y));
    ASSERT_EQ(x < x, false);
  });
  EXPECT_TRUE(evm::slt(uint256::max(), 0));            // -1 < 0
  EXPECT_TRUE(evm::slt(uint256(1) << 255, uint256::max()));  // -2^255 is the least
  EXPECT_TRUE(evm::sgt(1, uint256::max()));
}

TEST(Uint256, AddSubMulMatchOracle) {
  for_pairs(4, [](const uint256& x, const uint256& y) {
    const big a = to_big(x), b = to_big(y);
    ASSERT_EQ(x + y, from_big(a + b)) << x << " " << y;
    ASSERT_EQ(x - y, from_big(a - b)) << x << " " << y;
    ASSERT_EQ(x * y, from_big(a * b)) << x << " " << y;
    ASSERT_EQ(-x, from_big(-a));
    const auto full = evm::mul_full(x, y);
    ASSERT_EQ(to_big(full[0]) + (to_big(full[1]) << 256), a * b);
  });
  EXPECT_EQ(uint256::max() + 1, uint256(0));
  EXPECT_EQ(uint256(0) - 1, uint256::max());
}

TEST(Uint256, DivisionMatchesOracle) {
  for_pairs(5, [](const uint256& x, const uint256& y) {
    const big a = to_big(x), b = to_big(y);
    const auto [q, r] = evm::udivrem(x, y);
    if (b == 0) {
      ASSERT_TRUE(q.is_zero() && r.is_zero());
    } else {
      ASSERT_EQ(q, from_big(a / b)) << x << " / " << y;
      ASSERT_EQ(r, from_big(a % b)) << x << " % " << y;
    }
    ASSERT_EQ(evm::evm_div(x, y), q);
    ASSERT_EQ(evm::evm_mod(x, y), r);
    ASSERT_EQ(x / y, q);
    ASSERT_EQ(x % y, r);

    const big sa = to_signed(x), sb = to_signed(y);
    // cpp_int truncates toward zero and gives the remainder the dividend's sign, as the EVM.
    ASSERT_EQ(evm::evm_sdiv(x, y), sb == 0 ? uint256(0) : from_big(sa / sb)) << x << " sdiv " << y;
    ASSERT_EQ(evm::evm_smod(x, y), sb == 0 ? uint256(0) : from_big(sa % sb)) << x << " smod " << y;
  });
}

// Divisors of each limb count against dividends just above them, where the
// quotient digit estimate needs its corrections.
TEST(Uint256, DivisionNearTheDivisor) {
  Operands gen(6);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 y = gen.next();
    if (y.is_zero()) continue;
    const uint256 k = gen.next() >> (gen.next()[0] % 256);
    const uint256 x = y * k + (gen.next() % y);
    const big a = to_big(x), b = to_big(y);
    const auto [q, r] = evm::udivrem(x, y);
    ASSERT_EQ(q, from_big(a / b)) << x << " / " << y;
    ASSERT_EQ(r, from_big(a % b)) << x << " % " << y;
  }
}

// Every pair of words built from the limbs {0, 1, 2^63, 2^64-2, 2^64-1}: among
// them are the rare dividends whose estimated quotient digit is one too large
// even after Knuth's correction, so that the divisor must be added back (about
// 3,600 of the 390,000 divisions, and more of the mulmods).
TEST(Uint256, DivisionOnStructuredLimbs) {
  const std::uint64_t limbs[] = {0, 1, 1ULL << 63, ~0ULL - 1, ~0ULL};
  std::vector<uint256> words;
  for (const auto a : limbs)
    for (const auto b : limbs)
      for (const auto c : limbs)
        for (const auto d : limbs) words.push_back(uint256::from_limbs(a, b, c, d));
  for (const uint256& x : words) {
    const big a = to_big(x);
    for (const uint256& y : words) {
      if (y.is_zero()) continue;
      const big b = to_big(y);
      const auto [q, r] = evm::udivrem(x, y);
      ASSERT_EQ(q, from_big(a / b)) << x << " / " << y;
      ASSERT_EQ(r, from_big(a % b)) << x << " % " << y;
      ASSERT_EQ(evm::mulmod(x, x, y), from_big(a * a % b)) << x << " " << y;
    }
  }
  // Two of those add-back cases, by name.
  const uint256 y = hex("0x100000000000000000000000000000001");
  EXPECT_EQ(evm::udivrem(uint256(1) << 191, y).quot, from_big((big(1) << 191) / to_big(y)));
  EXPECT_EQ(evm::udivrem(uint256(1) << 191, y).rem, from_big((big(1) << 191) % to_big(y)));
  EXPECT_EQ(evm::mulmod(uint256(1) << 64, uint256(1) << 64, y), from_big((big(1) << 128) % to_big(y)));
}

TEST(Uint256, EvmDivisionRules) {
  const uint256 min = uint256(1) << 255;  // -2^255
  const uint256 minus_one = uint256::max();
  EXPECT_EQ(evm::evm_div(5, 0), uint256(0));
  EXPECT_EQ(evm::evm_mod(5, 0), uint256(0));
  EXPECT_EQ(evm::evm_sdiv(min, minus_one), min);
  EXPECT_EQ(evm::evm_smod(min, minus_one), uint256(0));
  EXPECT_EQ(evm::evm_sdiv(min, 0), uint256(0));
  EXPECT_EQ(evm::evm_smod(min, 0), uint256(0));
  EXPECT_EQ(evm::evm_sdiv(-uint256(7), 2), -uint256(3));  // toward zero
  EXPECT_EQ(evm::evm_sdiv(7, -uint256(2)), -uint256(3));
  EXPECT_EQ(evm::evm_sdiv(-uint256(7), -uint256(2)), uint256(3));
  EXPECT_EQ(evm::evm_smod(-uint256(7), 2), -uint256(1));  // sign of the dividend
  EXPECT_EQ(evm::evm_smod(7, -uint256(2)), uint256(1));
  EXPECT_EQ(evm::evm_smod(-uint256(8), -uint256(3)), -uint256(2));
  EXPECT_EQ(evm::evm_div(3, 7), uint256(0));
  EXPECT_EQ(evm::evm_mod(3, 7), uint256(3));
}

TEST(Uint256, AddmodMulmodMatchOracle) {
  for_triples(7, [](const uint256& x, const uint256& y, const uint256& m) {
    const big a = to_big(x), b = to_big(y), n = to_big(m);
    ASSERT_EQ(evm::addmod(x, y, m), n == 0 ? uint256(0) : from_big((a + b) % n)) << x << " " << y << " " << m;
    ASSERT_EQ(evm::mulmod(x, y, m), n == 0 ? uint256(0) : from_big((a * b) % n)) << x << " " << y << " " << m;
  });
  // Reduced operands, the fast path of addmod.
  for_triples(8, [](const uint256& x, const uint256& y, const uint256& m) {
    if (m.is_zero()) return;
    const uint256 xr = x % m, yr = y % m;
    ASSERT_EQ(evm::addmod(xr, yr, m), from_big((to_big(xr) + to_big(yr)) % to_big(m)));
  });
}

TEST(Uint256, AddmodMulmodAreExact) {
  const uint256 max = uint256::max();
  EXPECT_EQ(evm::addmod(max, max, max - 1), uint256(2));  // (2^257 - 2) mod (2^256 - 2)
  EXPECT_EQ(evm::addmod(max, 1, 10), from_big(two256 % 10));
  EXPECT_EQ(evm::mulmod(max, max, 12), from_big(((two256 - 1) * (two256 - 1)) % 12));
  EXPECT_EQ(evm::mulmod(max, max, max), uint256(0));
  EXPECT_EQ(evm::mulmod(5, 6, 0), uint256(0));
  EXPECT_EQ(evm::addmod(5, 6, 0), uint256(0));
}

TEST(Uint256, ExpMatchesOracle) {
  Operands gen(9);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 base = gen.next();
    // Exponents both small (exact powers) and full width (wrapping).
    const uint256 e = i % 2 == 0 ? uint256(gen.next()[0] % 300) : gen.next();
    big expected = 1, b = to_big(base);
    const big mask = two256 - 1;
    for (big k = to_big(e); k != 0; k >>= 1) {
      if ((k & 1) != 0) expected = (expected * b) & mask;
      b = (b * b) & mask;
    }
    ASSERT_EQ(evm::exp(base, e), from_big(expected)) << base << " ** " << e;
  }
  EXPECT_EQ(evm::exp(0, 0), uint256(1));
  EXPECT_EQ(evm::exp(2, 255), uint256(1) << 255);
  EXPECT_EQ(evm::exp(2, 256), uint256(0));
  EXPECT_EQ(evm::exp(3, 5), uint256(243));
  EXPECT_EQ(evm::exp(uint256::max(), 3), uint256::max());  // (-1)^3
}

TEST(Uint256, SignificantBitsAndBytes) {
  EXPECT_EQ(evm::count_significant_bits(0), 0u);
  EXPECT_EQ(evm::count_significant_bytes(0), 0u);
  EXPECT_EQ(evm::count_significant_bits(1), 1u);
  EXPECT_EQ(evm::count_significant_bytes(0xff), 1u);
  EXPECT_EQ(evm::count_significant_bytes(0x100), 2u);
  EXPECT_EQ(evm::count_significant_bits(uint256::max()), 256u);
  EXPECT_EQ(evm::exp_byte_length(uint256(1) << 255), 32u);
  Operands gen(10);
  for (int i = 0; i < kRounds; ++i) {
    const uint256 x = gen.next();
    const unsigned bits = x.is_zero() ? 0 : static_cast<unsigned>(boost::multiprecision::msb(to_big(x))) + 1;
    ASSERT_EQ(evm::count_significant_bits(x), bits) << x;
    ASSERT_EQ(evm::count_significant_bytes(x), (bits + 7) / 8);
  }
}

TEST(Uint256, BitwiseAndShiftsMatchOracle) {
  for_pairs(11, [](const uint256& x, const uint256& y) {
    const big a = to_big(x), b = to_big(y);
    ASSERT_EQ(x & y, from_big(a & b));
    ASSERT_EQ(x | y, from_big(a | b));
    ASSERT_EQ(x ^ y, from_big(a ^ b));
    ASSERT_EQ(~x, from_big(two256 - 1 - a));
    // Shift amounts mostly in range, sometimes word-sized.
    const uint256 shift = y.fits_uint64() || (y[1] & 1) ? uint256(y[0] % 300) : y;
    const big s = to_big(shift);
    const unsigned n = s >= 256 ? 256 : static_cast<unsigned>(s);
    ASSERT_EQ(evm::shl(shift, x), n >= 256 ? uint256(0) : from_big(a << n)) << x << " << " << shift;
    ASSERT_EQ(evm::shr(shift, x), n >= 256 ? uint256(0) : from_big(a >> n)) << x << " >> " << shift;
    // SAR is division by 2^n rounding toward minus infinity; cpp_int's >> of a
    // negative number is not, so negatives go through -1 - ((-1 - v) >> n).
    const big v = to_signed(x);
    big sar;
    if (n >= 256) sar = v < 0 ? -1 : 0;
    else if (v < 0) sar = -1 - ((-1 - v) >> n);
    else sar = v >> n;
    ASSERT_EQ(evm::sar(shift, x), from_big(sar)) << x << " sar " << shift;
  });
}

TEST(Uint256, EvmShiftRules) {
  const uint256 minus_one = uint256::max();
  const uint256 min = uint256(1) << 255;
  EXPECT_EQ(evm::sar(1, -uint256(16)), -uint256(8));
  EXPECT_EQ(evm::sar(4, -uint256(1)), minus_one);
  EXPECT_EQ(evm::sar(255, min), minus_one);
  EXPECT_EQ(evm::sar(256, min), minus_one);
  EXPECT_EQ(evm::sar(uint256::max(), min), minus_one);
  EXPECT_EQ(evm::sar(256, min - 1), uint256(0));  // 2^255 - 1 is positive
  EXPECT_EQ(evm::sar(254, min - 1), uint256(1));
  EXPECT_EQ(evm::shl(256, 1), uint256(0));
  EXPECT_EQ(evm::shl(255, 1), min);
  EXPECT_EQ(evm::shl(uint256(1) << 64, 1), uint256(0));
  EXPECT_EQ(evm::shr(256, minus_one), uint256(0));
  EXPECT_EQ(evm::shr(255, minus_one), uint256(1));
  EXPECT_EQ(evm::shr(0, minus_one), minus_one);
}

TEST(Uint256, SignextendAndByte) {
  EXPECT_EQ(evm::signextend(0, 0xff), uint256::max());
  EXPECT_EQ(evm::signextend(0, 0x7f), uint256(0x7f));
  EXPECT_EQ(evm::signextend(0, 0x1ff), uint256::max());  // bits above byte 0 dropped
  EXPECT_EQ(evm::signextend(1, 0x8000), -uint256(0x8000));
  EXPECT_EQ(evm::signextend(1, 0xff7fff), uint256(0x7fff));
  EXPECT_EQ(evm::signextend(7, 0x80ULL << 56), -(uint256(1) << 63));
  EXPECT_EQ(evm::signextend(31, 0xff), uint256(0xff));
  EXPECT_EQ(evm::signextend(30, uint256(0x80) << 240), (uint256(0x80) << 240) | (uint256(0xff) << 248));
  EXPECT_EQ(evm::signextend(uint256::max(), 0x80), uint256(0x80));
  for_pairs(12, [](const uint256& b, const uint256& x) {
    const uint256 k = b[1] & 1 ? uint256(b[0] % 40) : b;
    const big bk = to_big(k);
    uint256 expected = x;
    if (bk < 31) {
      const unsigned bits = 8 * (static_cast<unsigned>(bk) + 1);
      big low = to_big(x) & ((big(1) << bits) - 1);
      if (low >= (big(1) << (bits - 1))) low -= big(1) << bits;
      expected = from_big(low);
    }
    ASSERT_EQ(evm::signextend(k, x), expected) << k << " " << x;

    const auto bytes = x.to_be_bytes();
    ASSERT_EQ(evm::byte(k, x), bk < 32 ? uint256(bytes[static_cast<std::size_t>(bk)]) : uint256(0)) << k << " " << x;
  });
  const uint256 x = hex("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  EXPECT_EQ(evm::byte(0, x), uint256(1));
  EXPECT_EQ(evm::byte(31, x), uint256(0x20));
  EXPECT_EQ(evm::byte(32, x), uint256(0));
  EXPECT_EQ(evm::byte(uint256(1) << 64, x), uint256(0));
}

TEST(Uint256, OperationsAreConstexpr) {
  constexpr uint256 x = (uint256(3) << 200) + 5;
  static_assert(x * 2 - x == x);
  static_assert(evm::slt(uint256::max(), 0));
  static_assert(evm::sar(1, uint256::max()) == uint256::max());
  static_assert(evm::signextend(0, 0x80) == -uint256(0x80));
  static_assert(evm::byte(31, 0xab) == 0xab);
  static_assert(evm::count_significant_bits(x) == 202);
  SUCCEED();
}
