#include "models/evm/blob_fee.h"

#include <array>
#include <stdexcept>

#include "models/evm/mpz.h"

namespace cbsim::models::evm {

namespace {

// GMP's unsigned long holds every 64-bit operand as it is.
static_assert(sizeof(unsigned long) == sizeof(std::uint64_t));

// More terms than any input can need (see the loop in fake_exponential); reaching it is a bug.
constexpr std::uint64_t kMaxTerms = 2048;

uint256 to_uint256(const Mpz& x) {
  std::array<std::uint8_t, 32> bytes{};
  const std::size_t size = (mpz_sizeinbase(x.v, 2) + 7) / 8;
  if (mpz_sgn(x.v) != 0) mpz_export(bytes.data() + (bytes.size() - size), nullptr, 1, 1, 1, 0, x.v);
  return uint256::from_be_bytes(bytes);
}

}  // namespace

std::optional<uint256> fake_exponential(std::uint64_t factor, std::uint64_t numerator, std::uint64_t denominator) {
  if (denominator == 0) throw std::invalid_argument("fake_exponential: denominator 0");
  // The spec:  i = 1; output = 0; accum = factor * denominator
  //            while accum > 0: output += accum; accum = accum * numerator // (denominator * i); i += 1
  //            return output // denominator
  // The result fits 256 bits exactly while output < 2^256 * denominator, and
  // output only grows: past that bound the answer is "too large", so no
  // number here exceeds 2^350. The loop is bounded: while numerator /
  // (denominator * i) >= 2 each term at least doubles, so a quotient x =
  // numerator / denominator >= 512 crosses the bound within 256 terms; for x <
  // 512 every term is below the bound and from i = 1024 on each one at most
  // half the one before, so they reach 0 within 280 more (1,303 in all).
  Mpz output, accum, limit, divisor;
  mpz_set_ui(accum.v, factor);
  mpz_mul_ui(accum.v, accum.v, denominator);
  mpz_set_ui(limit.v, denominator);
  mpz_mul_2exp(limit.v, limit.v, 256);
  for (std::uint64_t i = 1; mpz_sgn(accum.v) > 0; ++i) {
    if (i > kMaxTerms) throw std::logic_error("fake_exponential: series did not converge");
    mpz_add(output.v, output.v, accum.v);
    if (mpz_cmp(output.v, limit.v) >= 0) return std::nullopt;
    mpz_mul_ui(accum.v, accum.v, numerator);
    mpz_set_ui(divisor.v, denominator);
    mpz_mul_ui(divisor.v, divisor.v, i);
    mpz_fdiv_q(accum.v, accum.v, divisor.v);
  }
  mpz_fdiv_q_ui(output.v, output.v, denominator);
  return to_uint256(output);
}

std::optional<uint256> blob_base_fee(std::uint64_t excess_blob_gas) {
  return fake_exponential(kMinBaseFeePerBlobGas, excess_blob_gas, kBlobBaseFeeUpdateFraction);
}

}  // namespace cbsim::models::evm
