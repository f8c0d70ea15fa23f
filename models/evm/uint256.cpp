// The slow paths of uint256: long division (Knuth's algorithm D on 64-bit
// digits), the 512-bit intermediates of ADDMOD/MULMOD, EXP, and text/bytes.

#include "models/evm/uint256.h"

#include <algorithm>
#include <cstring>
#include <ostream>

namespace cbsim::models::evm {

namespace {
using detail::u128;

// (hi·2^64 + lo) / d with hi < d, so the quotient fits in 64 bits. On x86-64
// one DIV instruction; the generic 128-bit division is a library call.
inline std::uint64_t div_2by1(std::uint64_t hi, std::uint64_t lo, std::uint64_t d, std::uint64_t& rem) noexcept {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  std::uint64_t q;
  std::uint64_t r;
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(d));
  rem = r;
  return q;
#else
  const u128 n = (static_cast<u128>(hi) << 64) | lo;
  rem = static_cast<std::uint64_t>(n % d);
  return static_cast<std::uint64_t>(n / d);
#endif
}

// Division by a normalised d (top bit set) as two multiplications with its
// reciprocal (Möller & Granlund, "Improved division by invariant integers",
// 2011): Knuth's loop divides by the same top limb for every quotient digit,
// and there (the estimate feeds straight into the multiply-subtract) it beat
// DIV: 256/128-bit division 28.6 → 24 ns, mulmod 67 → 51 ns.
struct Divisor {
  explicit Divisor(std::uint64_t normalised) noexcept : d(normalised) {
    std::uint64_t unused;
    // floor((2^128 - 1) / d) - 2^64, which fits in 64 bits because d >= 2^63.
    inverse = div_2by1(~d, ~0ULL, d, unused);
  }
  std::uint64_t d;
  std::uint64_t inverse;
};

// (hi·2^64 + lo) / d.d with hi < d.d.
inline std::uint64_t div_2by1(std::uint64_t hi, std::uint64_t lo, const Divisor& d, std::uint64_t& rem) noexcept {
  const u128 estimate = static_cast<u128>(d.inverse) * hi + ((static_cast<u128>(hi) << 64) | lo);
  std::uint64_t q = static_cast<std::uint64_t>(estimate >> 64) + 1;
  std::uint64_t r = lo - q * d.d;
  // The estimate is at most one too large or one too small.
  if (r > static_cast<std::uint64_t>(estimate)) {
    --q;
    r += d.d;
  }
  if (r >= d.d) [[unlikely]] {
    ++q;
    r -= d.d;
  }
  rem = r;
  return q;
}

std::size_t significant_limbs(const std::uint64_t* x, std::size_t n) noexcept {
  while (n > 0 && x[n - 1] == 0) --n;
  return n;
}

// u (ulen limbs) divided by v (vlen limbs, top limb non-zero, vlen <= 4,
// ulen <= 8): quotient into q (ulen limbs, zero-filled above), remainder
// into r (vlen limbs).
void divrem_limbs(const std::uint64_t* u, std::size_t ulen, const std::uint64_t* v, std::size_t vlen,
                  std::uint64_t* q, std::uint64_t* r) noexcept {
  std::fill(q, q + ulen, 0);
  std::fill(r, r + vlen, 0);
  ulen = significant_limbs(u, ulen);
  if (ulen < vlen) {  // divisor bigger than dividend
    std::copy(u, u + ulen, r);
    return;
  }
  if (vlen == 1) {
    // Short division with DIV, which needs no normalisation: the running
    // remainder stays below d. (A reciprocal of d, as below, was slower here
    // on the benchmark's EPYC: 16.6 against 13.4 ns for 256/64 bits.)
    std::uint64_t rem = 0;
    for (std::size_t i = ulen; i-- > 0;) q[i] = div_2by1(rem, u[i], v[0], rem);
    r[0] = rem;
    return;
  }

  // Normalise: shift both so that v's top bit is set, which makes each
  // estimated quotient digit at most 2 too large (Knuth) and lets the
  // reciprocal division work; the remainder is shifted back at the end.
  const unsigned s = static_cast<unsigned>(std::countl_zero(v[vlen - 1]));
  // x << s spread over limbs; (lo >> 1) >> (63 - s) avoids the shift by 64 when s == 0.
  auto shifted = [s](std::uint64_t hi, std::uint64_t lo) { return (hi << s) | ((lo >> 1) >> (63 - s)); };
  std::uint64_t vn[4];
  for (std::size_t i = vlen - 1; i > 0; --i) vn[i] = shifted(v[i], v[i - 1]);
  vn[0] = v[0] << s;
  std::uint64_t un[9];
  un[ulen] = shifted(0, u[ulen - 1]);
  for (std::size_t i = ulen - 1; i > 0; --i) un[i] = shifted(u[i], u[i - 1]);
  un[0] = u[0] << s;

  const Divisor top(vn[vlen - 1]);

  const std::uint64_t vh = vn[vlen - 1];
  const std::uint64_t vl = vn[vlen - 2];
  for (std::size_t j = ulen - vlen + 1; j-- > 0;) {
    // Estimate the digit from the top two limbs of the window and the top
    // limb of v, then correct it with the second limb of v (Knuth D3).
    const std::uint64_t uh = un[j + vlen];
    const std::uint64_t um = un[j + vlen - 1];
    const std::uint64_t ul = un[j + vlen - 2];
    std::uint64_t qhat;
    std::uint64_t rhat;
    bool rhat_overflow = false;
    if (uh >= vh) {  // uh == vh: the digit would not fit, start from 2^64 - 1
      qhat = ~0ULL;
      const u128 t = static_cast<u128>(um) + vh;
      rhat = static_cast<std::uint64_t>(t);
      rhat_overflow = (t >> 64) != 0;
    } else {
      qhat = div_2by1(uh, um, top, rhat);
    }
    while (!rhat_overflow && static_cast<u128>(qhat) * vl > ((static_cast<u128>(rhat) << 64) | ul)) {
      --qhat;
      const u128 t = static_cast<u128>(rhat) + vh;
      rhat = static_cast<std::uint64_t>(t);
      rhat_overflow = (t >> 64) != 0;
    }

    // Subtract qhat·v from the window.
    std::uint64_t mul_carry = 0;
    std::uint64_t borrow = 0;
    for (std::size_t i = 0; i < vlen; ++i) {
      const u128 p = static_cast<u128>(qhat) * vn[i] + mul_carry;
      mul_carry = static_cast<std::uint64_t>(p >> 64);
      un[i + j] = detail::sub_borrow(un[i + j], static_cast<std::uint64_t>(p), borrow);
    }
    // mul_carry + borrow <= 2^64, so one borrow out says whether it went negative.
    std::uint64_t top_borrow = borrow;
    un[j + vlen] = detail::sub_borrow(un[j + vlen], mul_carry, top_borrow);

    // Rarely (probability about 2/2^64) qhat was still one too large: add back.
    if (top_borrow != 0) {
      --qhat;
      std::uint64_t carry = 0;
      for (std::size_t i = 0; i < vlen; ++i) un[i + j] = detail::add_carry(un[i + j], vn[i], carry);
      un[j + vlen] += carry;
    }
    q[j] = qhat;
  }

  // Denormalise the remainder.
  for (std::size_t i = 0; i + 1 < vlen; ++i) r[i] = (un[i] >> s) | ((un[i + 1] << 1) << (63 - s));
  r[vlen - 1] = un[vlen - 1] >> s;
}

}  // namespace

namespace detail {
div_result udivrem_slow(const uint256& x, const uint256& y) noexcept {
  const std::size_t vlen = significant_limbs(y.data(), 4);
  if (vlen == 0) return {};
  if (x < y) return {0, x};
  div_result result;
  divrem_limbs(x.data(), 4, y.data(), vlen, result.quot.data(), result.rem.data());
  return result;
}
}  // namespace detail

uint256 evm_sdiv(const uint256& x, const uint256& y) noexcept {
  const bool x_neg = x.is_negative();
  const bool y_neg = y.is_negative();
  // Magnitudes as unsigned words: |-2^255| is 2^255, which the unsigned
  // division handles, and the quotient 2^255 negates to itself.
  const uint256 q = udivrem(x_neg ? -x : x, y_neg ? -y : y).quot;
  return x_neg != y_neg ? -q : q;
}

uint256 evm_smod(const uint256& x, const uint256& y) noexcept {
  const bool x_neg = x.is_negative();
  const uint256 r = udivrem(x_neg ? -x : x, y.is_negative() ? -y : y).rem;
  return x_neg ? -r : r;
}

uint256 addmod(const uint256& x, const uint256& y, const uint256& m) noexcept {
  if (m.is_zero()) return 0;
  // Reduced operands (the usual case in field arithmetic) need at most one
  // subtraction of m, carry included.
  if (x < m && y < m) {
    std::uint64_t carry = 0;
    uint256 s;
    for (std::size_t i = 0; i < 4; ++i) s[i] = detail::add_carry(x[i], y[i], carry);
    if (carry != 0 || s >= m) s -= m;
    return s;
  }
  std::uint64_t sum[5];
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) sum[i] = detail::add_carry(x[i], y[i], carry);
  sum[4] = carry;
  std::uint64_t q[5];
  uint256 r;
  divrem_limbs(sum, 5, m.data(), significant_limbs(m.data(), 4), q, r.data());
  return r;
}

std::array<uint256, 2> mul_full(const uint256& x, const uint256& y) noexcept {
  std::uint64_t p[8] = {};
  for (std::size_t j = 0; j < 4; ++j) {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const u128 t = static_cast<u128>(x[i]) * y[j] + p[i + j] + carry;
      p[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    p[j + 4] = carry;
  }
  return {uint256::from_limbs(p[0], p[1], p[2], p[3]), uint256::from_limbs(p[4], p[5], p[6], p[7])};
}

uint256 mulmod(const uint256& x, const uint256& y, const uint256& m) noexcept {
  if (m.is_zero()) return 0;
  const auto product = mul_full(x, y);
  std::uint64_t p[8];
  for (std::size_t i = 0; i < 4; ++i) {
    p[i] = product[0][i];
    p[i + 4] = product[1][i];
  }
  std::uint64_t q[8];
  uint256 r;
  divrem_limbs(p, 8, m.data(), significant_limbs(m.data(), 4), q, r.data());
  return r;
}

uint256 exp(uint256 base, const uint256& exponent) noexcept {
  // Right-to-left square-and-multiply over the exponent's significant bits.
  // The product is always formed and selected with a mask: the exponent's bits
  // are as good as random, and a mispredicted branch per bit cost more than the
  // multiplication, which runs beside the squaring chain.
  uint256 result = 1;
  const unsigned bits = count_significant_bits(exponent);
  for (unsigned i = 0; i < bits; ++i) {
    const std::uint64_t take = 0 - ((exponent[i / 64] >> (i % 64)) & 1);
    const uint256 product = result * base;
    for (std::size_t k = 0; k < 4; ++k) result[k] = (product[k] & take) | (result[k] & ~take);
    base *= base;
  }
  return result;
}

uint256 uint256::from_be_bytes(std::span<const std::uint8_t, 32> bytes) noexcept {
  uint256 r;
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t limb;
    std::memcpy(&limb, bytes.data() + 8 * (3 - i), 8);
    if constexpr (std::endian::native == std::endian::little) limb = __builtin_bswap64(limb);
    r.limbs_[i] = limb;
  }
  return r;
}

uint256 uint256::from_be_bytes_padded(std::span<const std::uint8_t> bytes) noexcept {
  if (bytes.size() > 32) bytes = bytes.last(32);
  std::array<std::uint8_t, 32> padded{};
  std::copy(bytes.begin(), bytes.end(), padded.end() - static_cast<std::ptrdiff_t>(bytes.size()));
  return from_be_bytes(padded);
}

void uint256::to_be_bytes(std::span<std::uint8_t, 32> out) const noexcept {
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t limb = limbs_[i];
    if constexpr (std::endian::native == std::endian::little) limb = __builtin_bswap64(limb);
    std::memcpy(out.data() + 8 * (3 - i), &limb, 8);
  }
}

std::array<std::uint8_t, 32> uint256::to_be_bytes() const noexcept {
  std::array<std::uint8_t, 32> out;
  to_be_bytes(std::span<std::uint8_t, 32>(out));
  return out;
}

std::optional<uint256> uint256::from_hex(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
  text.remove_prefix(2);
  uint256 r;
  unsigned digits = 0;  // significant digits so far
  for (const char c : text) {
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    if (digits > 0 || d != 0) ++digits;
    if (digits > 64) return std::nullopt;
    r = (r << 4) | d;
  }
  return r;
}

std::string uint256::to_hex() const {
  static constexpr char digits[] = "0123456789abcdef";
  const unsigned n = std::max(1u, (count_significant_bits(*this) + 3) / 4);
  std::string s = "0x";
  s.reserve(2 + n);
  for (unsigned i = n; i-- > 0;) s += digits[(limbs_[i / 16] >> (i % 16 * 4)) & 0xf];
  return s;
}

std::ostream& operator<<(std::ostream& os, const uint256& x) { return os << x.to_hex(); }

}  // namespace cbsim::models::evm
