#pragma once
// The EVM's word: an unsigned 256-bit integer with arithmetic mod 2^256, the
// signed views of it (two's complement) and the EVM's own rules (division by
// zero gives zero, SDIV/SMOD signs, SIGNEXTEND, BYTE, shifts by a word).
//
// Four 64-bit limbs, least significant first, so that carries run up the array
// and the low limb is the uint64 value. The operations every instruction uses
// (compare, add, sub, mul, shifts, bitwise) are inline here; division, the
// 512-bit paths of addmod/mulmod, exp, and conversion to and from bytes and
// text live in uint256.cpp.
// No engine include: the interpreter's stack and the tests use it directly.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cbsim::models::evm {

namespace detail {
__extension__ typedef unsigned __int128 u128;  // __extension__: no -Wpedantic warning

// a + b + carry_in, carry out (0 or 1) through `carry`. At run time on x86-64
// the carry intrinsic, which GCC turns into a single add/adc chain per word
// (from the 128-bit form GCC 12 makes two adds per limb); the 128-bit form is
// the portable and the constant-evaluated one.
constexpr std::uint64_t add_carry(std::uint64_t a, std::uint64_t b, std::uint64_t& carry) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long r;
    carry = _addcarry_u64(static_cast<unsigned char>(carry), a, b, &r);
    return r;
  }
#endif
  const u128 s = static_cast<u128>(a) + b + carry;
  carry = static_cast<std::uint64_t>(s >> 64);
  return static_cast<std::uint64_t>(s);
}

// a - b - borrow_in, borrow out (0 or 1) through `borrow`; also correct for
// b + borrow_in == 2^64.
constexpr std::uint64_t sub_borrow(std::uint64_t a, std::uint64_t b, std::uint64_t& borrow) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long r;
    borrow = _subborrow_u64(static_cast<unsigned char>(borrow), a, b, &r);
    return r;
  }
#endif
  const u128 d = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<std::uint64_t>(d >> 64) & 1;
  return static_cast<std::uint64_t>(d);
}
}  // namespace detail

class uint256 {
 public:
  static constexpr std::size_t num_limbs = 4;

  constexpr uint256() noexcept = default;
  // Implicit, like the EVM's small constants: `x + 1`, `y == 0`.
  constexpr uint256(std::uint64_t v) noexcept : limbs_{v, 0, 0, 0} {}
  // Limbs least significant first: from_limbs(lo, ...) == lo + l1·2^64 + ...
  static constexpr uint256 from_limbs(std::uint64_t l0, std::uint64_t l1, std::uint64_t l2,
                                      std::uint64_t l3) noexcept {
    uint256 r;
    r.limbs_ = {l0, l1, l2, l3};
    return r;
  }
  static constexpr uint256 max() noexcept { return from_limbs(~0ULL, ~0ULL, ~0ULL, ~0ULL); }

  // Big-endian, the EVM's byte order in memory, storage keys and calldata.
  static uint256 from_be_bytes(std::span<const std::uint8_t, 32> bytes) noexcept;
  // Up to 32 bytes read as a big-endian number, left-padded with zeros (PUSHn);
  // of a longer input only the last 32 bytes count (the value mod 2^256).
  static uint256 from_be_bytes_padded(std::span<const std::uint8_t> bytes) noexcept;
  std::array<std::uint8_t, 32> to_be_bytes() const noexcept;
  void to_be_bytes(std::span<std::uint8_t, 32> out) const noexcept;

  // "0x" followed by 1..64 hex digits (either case; leading zeros allowed as
  // long as the value fits); nullopt for anything else.
  static std::optional<uint256> from_hex(std::string_view text);
  // "0x" and the shortest lowercase digits ("0x0" for zero), as JSON-RPC.
  std::string to_hex() const;

  constexpr std::uint64_t operator[](std::size_t i) const noexcept { return limbs_[i]; }
  constexpr std::uint64_t& operator[](std::size_t i) noexcept { return limbs_[i]; }
  // The limbs as an array, for loops over limbs in the slow paths.
  constexpr const std::uint64_t* data() const noexcept { return limbs_.data(); }
  constexpr std::uint64_t* data() noexcept { return limbs_.data(); }

  constexpr bool is_zero() const noexcept { return (limbs_[0] | limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  constexpr explicit operator bool() const noexcept { return !is_zero(); }
  constexpr bool fits_uint64() const noexcept { return (limbs_[1] | limbs_[2] | limbs_[3]) == 0; }
  // The low 64 bits; check fits_uint64() first where truncation would be wrong.
  constexpr std::uint64_t low_uint64() const noexcept { return limbs_[0]; }
  constexpr std::optional<std::uint64_t> to_uint64() const noexcept {
    if (!fits_uint64()) return std::nullopt;
    return limbs_[0];
  }
  // Two's complement sign bit.
  constexpr bool is_negative() const noexcept { return (limbs_[3] >> 63) != 0; }

  friend constexpr bool operator==(const uint256&, const uint256&) noexcept = default;

 private:
  std::array<std::uint64_t, 4> limbs_{};
};

// --- comparison -----------------------------------------------------------

// x < y is the borrow out of x - y: no branch on the limbs.
constexpr bool operator<(const uint256& x, const uint256& y) noexcept {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) detail::sub_borrow(x[i], y[i], borrow);
  return borrow != 0;
}
constexpr bool operator>(const uint256& x, const uint256& y) noexcept { return y < x; }
constexpr bool operator<=(const uint256& x, const uint256& y) noexcept { return !(y < x); }
constexpr bool operator>=(const uint256& x, const uint256& y) noexcept { return !(x < y); }

// Signed (two's complement) comparison: flipping the sign bits maps the signed
// order onto the unsigned one.
constexpr bool slt(const uint256& x, const uint256& y) noexcept {
  constexpr std::uint64_t sign = 1ULL << 63;
  return uint256::from_limbs(x[0], x[1], x[2], x[3] ^ sign) < uint256::from_limbs(y[0], y[1], y[2], y[3] ^ sign);
}
constexpr bool sgt(const uint256& x, const uint256& y) noexcept { return slt(y, x); }

// --- add, sub, mul ----------------------------------------------------------

constexpr uint256 operator+(const uint256& x, const uint256& y) noexcept {
  uint256 r;
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) r[i] = detail::add_carry(x[i], y[i], carry);
  return r;
}
constexpr uint256 operator-(const uint256& x, const uint256& y) noexcept {
  uint256 r;
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) r[i] = detail::sub_borrow(x[i], y[i], borrow);
  return r;
}
constexpr uint256 operator-(const uint256& x) noexcept { return uint256{} - x; }

// Schoolbook on 128-bit partial products, only those below 2^256 (10 of 16).
constexpr uint256 operator*(const uint256& x, const uint256& y) noexcept {
  uint256 r;
  for (std::size_t j = 0; j < 4; ++j) {
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i + j < 3; ++i) {
      const detail::u128 t = static_cast<detail::u128>(x[i]) * y[j] + r[i + j] + carry;
      r[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    // The top limb needs only the low half of its product.
    r[3] += x[3 - j] * y[j] + carry;
  }
  return r;
}

// --- bitwise ----------------------------------------------------------------

constexpr uint256 operator&(const uint256& x, const uint256& y) noexcept {
  return uint256::from_limbs(x[0] & y[0], x[1] & y[1], x[2] & y[2], x[3] & y[3]);
}
constexpr uint256 operator|(const uint256& x, const uint256& y) noexcept {
  return uint256::from_limbs(x[0] | y[0], x[1] | y[1], x[2] | y[2], x[3] | y[3]);
}
constexpr uint256 operator^(const uint256& x, const uint256& y) noexcept {
  return uint256::from_limbs(x[0] ^ y[0], x[1] ^ y[1], x[2] ^ y[2], x[3] ^ y[3]);
}
constexpr uint256 operator~(const uint256& x) noexcept { return uint256::from_limbs(~x[0], ~x[1], ~x[2], ~x[3]); }

// Shifts by a plain count; 256 and more give zero.
constexpr uint256 operator<<(const uint256& x, std::uint64_t n) noexcept {
  if (n >= 256) return {};
  const std::size_t limbs = n / 64;
  const unsigned bits = n % 64;
  uint256 r;
  for (std::size_t i = 3 + 1; i-- > limbs;) {
    const std::uint64_t hi = x[i - limbs] << bits;
    // (v >> 1) >> (63 - bits) is v >> (64 - bits) without the undefined shift by 64.
    const std::uint64_t lo = i - limbs > 0 ? (x[i - limbs - 1] >> 1) >> (63 - bits) : 0;
    r[i] = hi | lo;
  }
  return r;
}
constexpr uint256 operator>>(const uint256& x, std::uint64_t n) noexcept {
  if (n >= 256) return {};
  const std::size_t limbs = n / 64;
  const unsigned bits = n % 64;
  uint256 r;
  for (std::size_t i = 0; i + limbs < 4; ++i) {
    const std::uint64_t lo = x[i + limbs] >> bits;
    const std::uint64_t hi = i + limbs + 1 < 4 ? (x[i + limbs + 1] << 1) << (63 - bits) : 0;
    r[i] = lo | hi;
  }
  return r;
}

// A word-sized shift amount reduced to a count; anything from 256 on acts alike.
constexpr std::uint64_t shift_count(const uint256& n) noexcept { return n.fits_uint64() ? n[0] : 256; }

// The EVM's SHL/SHR/SAR, operands in the order the instructions pop them.
constexpr uint256 shl(const uint256& shift, const uint256& value) noexcept { return value << shift_count(shift); }
constexpr uint256 shr(const uint256& shift, const uint256& value) noexcept { return value >> shift_count(shift); }
// Arithmetic shift: a negative value is shifted as its complement, which fills
// with ones and gives all ones when the whole word is shifted out.
constexpr uint256 sar(const uint256& shift, const uint256& value) noexcept {
  const std::uint64_t n = shift_count(shift);
  return value.is_negative() ? ~(~value >> n) : value >> n;
}

constexpr uint256& operator+=(uint256& x, const uint256& y) noexcept { return x = x + y; }
constexpr uint256& operator-=(uint256& x, const uint256& y) noexcept { return x = x - y; }
constexpr uint256& operator*=(uint256& x, const uint256& y) noexcept { return x = x * y; }
constexpr uint256& operator&=(uint256& x, const uint256& y) noexcept { return x = x & y; }
constexpr uint256& operator|=(uint256& x, const uint256& y) noexcept { return x = x | y; }
constexpr uint256& operator^=(uint256& x, const uint256& y) noexcept { return x = x ^ y; }
constexpr uint256& operator<<=(uint256& x, std::uint64_t n) noexcept { return x = x << n; }
constexpr uint256& operator>>=(uint256& x, std::uint64_t n) noexcept { return x = x >> n; }

// --- sizes ------------------------------------------------------------------

// Position of the highest set bit plus one (0 for zero).
constexpr unsigned count_significant_bits(const uint256& x) noexcept {
  for (std::size_t i = 4; i-- > 0;)
    if (x[i] != 0) return static_cast<unsigned>(64 * i + 64 - std::countl_zero(x[i]));
  return 0;
}
constexpr unsigned count_significant_bytes(const uint256& x) noexcept { return (count_significant_bits(x) + 7) / 8; }
// EXP charges gas per byte of the exponent.
constexpr unsigned exp_byte_length(const uint256& exponent) noexcept { return count_significant_bytes(exponent); }

// --- division ---------------------------------------------------------------

struct div_result {
  uint256 quot;
  uint256 rem;
};

namespace detail {
div_result udivrem_slow(const uint256& x, const uint256& y) noexcept;
}

// Unsigned quotient and remainder; a zero divisor gives {0, 0}, the EVM's rule.
inline div_result udivrem(const uint256& x, const uint256& y) noexcept {
  // Most contract divisions have both operands in one limb (amounts, indices).
  if (((x[1] | x[2] | x[3]) | (y[1] | y[2] | y[3])) == 0) {
    if (y[0] == 0) return {};
    return {x[0] / y[0], x[0] % y[0]};
  }
  return detail::udivrem_slow(x, y);
}
inline uint256 operator/(const uint256& x, const uint256& y) noexcept { return udivrem(x, y).quot; }
inline uint256 operator%(const uint256& x, const uint256& y) noexcept { return udivrem(x, y).rem; }

// DIV and MOD: zero divisor gives zero.
inline uint256 evm_div(const uint256& x, const uint256& y) noexcept { return udivrem(x, y).quot; }
inline uint256 evm_mod(const uint256& x, const uint256& y) noexcept { return udivrem(x, y).rem; }
// SDIV: truncates toward zero; -2^255 / -1 overflows back to -2^255.
uint256 evm_sdiv(const uint256& x, const uint256& y) noexcept;
// SMOD: the result takes the sign of the dividend.
uint256 evm_smod(const uint256& x, const uint256& y) noexcept;

// ADDMOD and MULMOD: exact (the sum / product is not reduced mod 2^256 first);
// modulus zero gives zero.
uint256 addmod(const uint256& x, const uint256& y, const uint256& m) noexcept;
uint256 mulmod(const uint256& x, const uint256& y, const uint256& m) noexcept;

// The full 512-bit product, low word first.
std::array<uint256, 2> mul_full(const uint256& x, const uint256& y) noexcept;

// EXP: base^exponent mod 2^256.
uint256 exp(uint256 base, const uint256& exponent) noexcept;

// --- EVM byte operations ------------------------------------------------------

// SIGNEXTEND: x's low b+1 bytes read as a signed number; b >= 31 leaves x as is.
constexpr uint256 signextend(const uint256& b, const uint256& x) noexcept {
  if (!b.fits_uint64() || b[0] >= 31) return x;
  const unsigned bit = static_cast<unsigned>(b[0]) * 8 + 7;
  const std::size_t limb = bit / 64;
  const unsigned pos = bit % 64;
  const std::uint64_t fill = 0 - ((x[limb] >> pos) & 1);  // all ones when the sign bit is set
  const std::uint64_t keep = pos == 63 ? ~0ULL : (1ULL << (pos + 1)) - 1;
  uint256 r = x;
  r[limb] = (x[limb] & keep) | (fill & ~keep);
  for (std::size_t i = limb + 1; i < 4; ++i) r[i] = fill;
  return r;
}

// BYTE: byte i of x counted from the most significant end; i >= 32 gives 0.
constexpr uint256 byte(const uint256& i, const uint256& x) noexcept {
  if (!i.fits_uint64() || i[0] >= 32) return {};
  const unsigned from_low = 31 - static_cast<unsigned>(i[0]);
  return (x[from_low / 8] >> (from_low % 8 * 8)) & 0xff;
}

// gtest and logs print words in hex.
std::ostream& operator<<(std::ostream& os, const uint256& x);

}  // namespace cbsim::models::evm
