// Fuzz target: 256-bit words -> uint256's arithmetic, compared with GMP.
// The input gives three words x, y, m (32 bytes each, big-endian, zero-padded
// when the input is short). Every operation the EVM's arithmetic opcodes use
// is checked against GMP's exact result reduced as the Yellow Paper says.
// A finding: a crash, undefined behaviour, or any result that differs.

#include <gmp.h>

#include <array>
#include <string>

#include "models/evm/uint256.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace ev = cbsim::models::evm;

// An mpz_t with a destructor (GMP's C API leaves freeing to the caller).
class Big {
 public:
  Big() { mpz_init(z_); }
  explicit Big(const ev::uint256& w) : Big() {
    const auto bytes = w.to_be_bytes();
    mpz_import(z_, bytes.size(), 1, 1, 1, 0, bytes.data());
  }
  ~Big() { mpz_clear(z_); }
  Big(const Big&) = delete;
  Big& operator=(const Big&) = delete;
  mpz_ptr get() { return z_; }
  mpz_srcptr get() const { return z_; }

  // This number mod 2^256 (two's complement for negatives), as a word.
  ev::uint256 word() const {
    Big reduced;
    mpz_fdiv_r_2exp(reduced.get(), z_, 256);
    // Right-aligned: mpz_export writes only the significant bytes.
    std::array<std::uint8_t, 32> bytes{};
    const std::size_t count = (mpz_sizeinbase(reduced.get(), 2) + 7) / 8;
    if (mpz_sgn(reduced.get()) != 0) mpz_export(bytes.data() + (bytes.size() - count), nullptr, 1, 1, 1, 0, reduced.get());
    return ev::uint256::from_be_bytes(bytes);
  }

 private:
  mpz_t z_;
};

// The word read as a signed 256-bit number.
void set_signed(Big& out, const ev::uint256& w) {
  const Big unsigned_value(w);
  mpz_set(out.get(), unsigned_value.get());
  if (w.is_negative()) {
    Big two_to_256;
    mpz_setbit(two_to_256.get(), 256);
    mpz_sub(out.get(), out.get(), two_to_256.get());
  }
}

void expect(const ev::uint256& got, const Big& exact, const char* operation) {
  if (got != exact.word()) cbsim::fuzz::finding(operation, "differs from GMP");
}

void check_unsigned(const ev::uint256& x, const ev::uint256& y, const ev::uint256& m) {
  const Big bx(x), by(y), bm(m);
  Big r;
  mpz_add(r.get(), bx.get(), by.get());
  expect(x + y, r, "x + y");
  mpz_sub(r.get(), bx.get(), by.get());
  expect(x - y, r, "x - y");
  mpz_mul(r.get(), bx.get(), by.get());
  expect(x * y, r, "x * y");
  const auto full = ev::mul_full(x, y);
  expect(full[0], r, "mul_full low word");
  mpz_fdiv_q_2exp(r.get(), r.get(), 256);
  expect(full[1], r, "mul_full high word");

  const ev::div_result d = ev::udivrem(x, y);
  if (y.is_zero()) {
    if (!d.quot.is_zero() || !d.rem.is_zero()) cbsim::fuzz::finding("x / 0 is not 0");
  } else {
    Big q;
    mpz_fdiv_qr(q.get(), r.get(), bx.get(), by.get());
    expect(d.quot, q, "x / y");
    expect(d.rem, r, "x % y");
  }

  if (m.is_zero()) {
    if (!ev::addmod(x, y, m).is_zero() || !ev::mulmod(x, y, m).is_zero()) cbsim::fuzz::finding("modulus 0 is not 0");
  } else {
    mpz_add(r.get(), bx.get(), by.get());
    mpz_fdiv_r(r.get(), r.get(), bm.get());
    expect(ev::addmod(x, y, m), r, "addmod");
    mpz_mul(r.get(), bx.get(), by.get());
    mpz_fdiv_r(r.get(), r.get(), bm.get());
    expect(ev::mulmod(x, y, m), r, "mulmod");
  }

  Big modulus;
  mpz_setbit(modulus.get(), 256);
  mpz_powm(r.get(), bx.get(), by.get(), modulus.get());
  expect(ev::exp(x, y), r, "exp");
}

void check_signed(const ev::uint256& x, const ev::uint256& y) {
  if (y.is_zero()) {
    if (!ev::evm_sdiv(x, y).is_zero() || !ev::evm_smod(x, y).is_zero()) cbsim::fuzz::finding("signed x / 0 is not 0");
    return;
  }
  Big sx, sy, q, r;
  set_signed(sx, x);
  set_signed(sy, y);
  mpz_tdiv_qr(q.get(), r.get(), sx.get(), sy.get());  // truncation toward zero, as SDIV and SMOD
  expect(ev::evm_sdiv(x, y), q, "sdiv");
  expect(ev::evm_smod(x, y), r, "smod");
  if (ev::slt(x, y) != (mpz_cmp(sx.get(), sy.get()) < 0)) cbsim::fuzz::finding("slt differs from GMP");
}

void check_shifts_and_text(const ev::uint256& x, std::uint8_t shift_byte) {
  const unsigned shift = shift_byte;
  const Big bx(x);
  Big r;
  mpz_mul_2exp(r.get(), bx.get(), shift);
  expect(ev::shl(ev::uint256{shift}, x), r, "shl");
  mpz_fdiv_q_2exp(r.get(), bx.get(), shift);
  expect(ev::shr(ev::uint256{shift}, x), r, "shr");
  Big sx;
  set_signed(sx, x);
  mpz_fdiv_q_2exp(r.get(), sx.get(), shift);  // floor: an arithmetic shift
  expect(ev::sar(ev::uint256{shift}, x), r, "sar");
  if (!ev::shl(ev::uint256::max(), x).is_zero() || !ev::shr(ev::uint256{256}, x).is_zero())
    cbsim::fuzz::finding("a shift by 256 or more is not 0");

  const auto parsed = ev::uint256::from_hex(x.to_hex());
  if (!parsed || *parsed != x) cbsim::fuzz::finding("from_hex(to_hex(x)) != x", x.to_hex());
}

ev::uint256 word_from(cbsim::fuzz::InputReader& in) {
  std::array<std::uint8_t, 32> bytes{};
  const auto piece = in.take(32);
  std::copy(piece.begin(), piece.end(), bytes.begin());
  return ev::uint256::from_be_bytes(bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cbsim::fuzz::InputReader in(data, size);
  const ev::uint256 x = word_from(in);
  const ev::uint256 y = word_from(in);
  const ev::uint256 m = word_from(in);
  const std::uint8_t shift = in.byte();
  check_unsigned(x, y, m);
  check_signed(x, y);
  check_shifts_and_text(x, shift);
  return 0;
}
