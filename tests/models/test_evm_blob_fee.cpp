// EIP-4844's blob base fee: fake_exponential computed exactly, with the
// spec's own results (its Python reference, run with unbounded integers) for
// small and large excess blob gas, and a prompt "too large" where the exact
// result no longer fits 256 bits. The 128-bit version this replaces wrapped
// around on 0xffffffffffffffff and never left its loop.

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "models/evm/blob_fee.h"

namespace cbsim::models::evm {
namespace {

uint256 hex(const char* text) { return *uint256::from_hex(text); }

TEST(BlobBaseFee, MatchesTheSpecsSeriesForSmallExcess) {
  EXPECT_EQ(blob_base_fee(0), uint256{1});
  EXPECT_EQ(blob_base_fee(kBlobBaseFeeUpdateFraction - 1), uint256{2});
  EXPECT_EQ(blob_base_fee(kBlobBaseFeeUpdateFraction), uint256{2});  // floor(e)
  EXPECT_EQ(blob_base_fee(10'000'000), uint256{19});
  // e^100: 26,881,171,418,145,248,466,094,636,047,260,812,877,840,124 by the series.
  EXPECT_EQ(blob_base_fee(100 * kBlobBaseFeeUpdateFraction), hex("0x13494a9b170f4017245d9f2bd5e3328913efc"));
}

TEST(BlobBaseFee, IsExactUpToTheLargestFeeAWordHolds) {
  // 592,398,315 is the largest excess whose fee fits 256 bits.
  EXPECT_EQ(blob_base_fee(592'398'315), hex("0xfffffd7f37d871923e777c8e1698f4a355b593742cb7f676ce08cf31f51e8874"));
  EXPECT_EQ(blob_base_fee(592'398'316), std::nullopt);
}

TEST(BlobBaseFee, TheLargestExcessEndsAtOnceAsTooLarge) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(blob_base_fee(std::numeric_limits<std::uint64_t>::max()), std::nullopt);
  EXPECT_EQ(fake_exponential(std::numeric_limits<std::uint64_t>::max(), std::numeric_limits<std::uint64_t>::max(), 1),
            std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(BlobBaseFee, FakeExponentialOfAZeroFactorOrNumerator) {
  EXPECT_EQ(fake_exponential(0, 12345, 7), uint256{0});
  EXPECT_EQ(fake_exponential(42, 0, 7), uint256{42});
  EXPECT_THROW(fake_exponential(1, 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace cbsim::models::evm
