#include "models/evm/precompiles.h"

#include "models/crypto/keccak.h"

#include "models/crypto/hash.h"
#include "models/evm/mpz.h"

#include <cryptopp/ripemd.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

namespace cbsim::models::evm {

namespace {

using Bytes = std::vector<std::uint8_t>;
using u128 = unsigned __int128;

// Gas of the Cancun fork (execution-specs, cancun/vm/gas.py and precompiled_contracts/).
constexpr std::uint64_t kEcrecoverGas = 3000;
constexpr std::uint64_t kSha256BaseGas = 60;
constexpr std::uint64_t kSha256WordGas = 12;
constexpr std::uint64_t kRipemd160BaseGas = 600;
constexpr std::uint64_t kRipemd160WordGas = 120;
constexpr std::uint64_t kIdentityBaseGas = 15;
constexpr std::uint64_t kIdentityWordGas = 3;
constexpr std::uint64_t kModexpMinGas = 200;
constexpr std::uint64_t kModexpQuadDivisor = 3;
constexpr std::uint64_t kBlake2fRoundGas = 1;
constexpr std::size_t kBlake2fInputSize = 213;
constexpr std::uint8_t kLastPrecompile = 0x0a;

PrecompileResult fail(std::uint64_t gas) { return {false, gas, {}}; }

PrecompileResult charge(std::uint64_t gas, u128 cost, Bytes output) {
  if (cost > gas) return fail(gas);
  return {true, static_cast<std::uint64_t>(cost), std::move(output)};
}

// Gas for the hash-like precompiles: a base plus a price per 32-byte word.
u128 word_cost(std::uint64_t base, std::uint64_t per_word, std::size_t length) {
  return u128{base} + u128{per_word} * ((u128{length} + 31) / 32);
}

// The bytes of input[offset, offset + length) that the input actually holds;
// the spec reads past its end as zeros, which callers add back as padding.
std::span<const std::uint8_t> present(std::span<const std::uint8_t> input, u128 offset, u128 length) {
  if (offset >= input.size()) return {};
  const u128 available = input.size() - static_cast<std::size_t>(offset);
  return input.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(std::min(available, length)));
}

// input[offset, offset + N), zero-padded past the end of input.
template <std::size_t N>
std::array<std::uint8_t, N> read_padded(std::span<const std::uint8_t> input, u128 offset) {
  std::array<std::uint8_t, N> out{};
  const auto bytes = present(input, offset, N);
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

// A 256-bit big-endian length, saturated: anything that does not fit 64 bits
// already costs more gas than any call can carry.
std::uint64_t read_length(std::span<const std::uint8_t> input, std::size_t offset) {
  const auto word = read_padded<32>(input, offset);
  if (std::any_of(word.begin(), word.begin() + 24, [](std::uint8_t b) { return b != 0; }))
    return std::numeric_limits<std::uint64_t>::max();
  std::uint64_t v = 0;
  for (std::size_t i = 24; i < 32; ++i) v = (v << 8) | word[i];
  return v;
}

const secp256k1_context* secp256k1() {
  // Created once; recovery only reads it, so threads may share it.
  static const secp256k1_context* ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  return ctx;
}

// 0x01. A malformed signature is not an error: the call succeeds with no output.
PrecompileResult ecrecover(std::span<const std::uint8_t> input, std::uint64_t gas) {
  if (gas < kEcrecoverGas) return fail(gas);
  const PrecompileResult invalid{true, kEcrecoverGas, {}};
  const auto data = read_padded<128>(input, 0);
  const std::uint8_t* hash = data.data();
  const std::uint8_t* v = data.data() + 32;
  const std::uint8_t* rs = data.data() + 64;
  if (std::any_of(v, v + 31, [](std::uint8_t b) { return b != 0; }) || (v[31] != 27 && v[31] != 28)) return invalid;
  auto is_zero = [](const std::uint8_t* p) { return std::all_of(p, p + 32, [](std::uint8_t b) { return b == 0; }); };
  if (is_zero(rs) || is_zero(rs + 32)) return invalid;
  // parse_compact rejects r or s >= the group order; high s is accepted, as
  // the precompile (unlike transaction signatures) allows it.
  secp256k1_ecdsa_recoverable_signature sig;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1(), &sig, rs, v[31] - 27) != 1) return invalid;
  secp256k1_pubkey pubkey;
  if (secp256k1_ecdsa_recover(secp256k1(), &pubkey, &sig, hash) != 1) return invalid;
  std::array<std::uint8_t, 65> serialized;
  std::size_t length = serialized.size();
  secp256k1_ec_pubkey_serialize(secp256k1(), serialized.data(), &length, &pubkey, SECP256K1_EC_UNCOMPRESSED);
  const auto digest = crypto::keccak256(std::span(serialized).subspan(1));  // without the 0x04 prefix
  Bytes out(32, 0);
  std::copy(digest.begin() + 12, digest.end(), out.begin() + 12);
  return {true, kEcrecoverGas, std::move(out)};
}

// 0x02.
PrecompileResult sha256(std::span<const std::uint8_t> input, std::uint64_t gas) {
  const u128 cost = word_cost(kSha256BaseGas, kSha256WordGas, input.size());
  if (cost > gas) return fail(gas);
  const auto digest = crypto::sha256(input);
  return charge(gas, cost, Bytes(digest.begin(), digest.end()));
}

// 0x03.
PrecompileResult ripemd160(std::span<const std::uint8_t> input, std::uint64_t gas) {
  const u128 cost = word_cost(kRipemd160BaseGas, kRipemd160WordGas, input.size());
  if (cost > gas) return fail(gas);
  Bytes out(32, 0);
  CryptoPP::RIPEMD160 h;
  h.Update(input.data(), input.size());
  h.Final(out.data() + 12);  // a 20-byte digest, left-padded to a word
  return charge(gas, cost, std::move(out));
}

// 0x04.
PrecompileResult identity(std::span<const std::uint8_t> input, std::uint64_t gas) {
  return charge(gas, word_cost(kIdentityBaseGas, kIdentityWordGas, input.size()), Bytes(input.begin(), input.end()));
}

// ---- 0x05 modexp --------------------------------------------------------------

// A big-endian number of `length` bytes at `offset`, zero-padded past the end
// of input: the padding multiplies the present bytes by 256^missing, so only
// the bytes the caller sent are ever copied.
void import_padded(Mpz& out, std::span<const std::uint8_t> input, u128 offset, std::uint64_t length) {
  const auto bytes = present(input, offset, length);
  mpz_import(out.v, bytes.size(), 1, 1, 1, 0, bytes.data());
  mpz_mul_2exp(out.v, out.v, 8 * (length - bytes.size()));
}

u128 saturating_mul(u128 a, u128 b) {
  if (a != 0 && b > std::numeric_limits<u128>::max() / a) return std::numeric_limits<u128>::max();
  return a * b;
}

// EIP-2565.
u128 modexp_cost(std::uint64_t base_length, std::uint64_t exp_length, std::uint64_t mod_length,
                 const std::array<std::uint8_t, 32>& exp_head) {
  const u128 words = (u128{std::max(base_length, mod_length)} + 7) / 8;
  const u128 complexity = words * words;  // < 2^122: no overflow
  int head_bits = 0;
  for (std::size_t i = 0; i < exp_head.size(); ++i) {
    if (exp_head[i] != 0) {
      head_bits = static_cast<int>(8 * (exp_head.size() - i)) - std::countl_zero(exp_head[i]);
      break;
    }
  }
  const u128 head_part = head_bits > 0 ? static_cast<u128>(head_bits - 1) : 0;
  const u128 iterations = exp_length <= 32 ? head_part : 8 * (u128{exp_length} - 32) + head_part;
  const u128 cost = saturating_mul(complexity, std::max<u128>(iterations, 1)) / kModexpQuadDivisor;
  return std::max<u128>(cost, kModexpMinGas);
}

PrecompileResult modexp(std::span<const std::uint8_t> input, std::uint64_t gas) {
  const std::uint64_t base_length = read_length(input, 0);
  const std::uint64_t exp_length = read_length(input, 32);
  const std::uint64_t mod_length = read_length(input, 64);
  const u128 exp_start = 96 + u128{base_length};
  // The head is the exponent's first min(32, exp_length) bytes read as a number.
  std::array<std::uint8_t, 32> exp_head{};
  const auto head_bytes = present(input, exp_start, std::min<std::uint64_t>(32, exp_length));
  std::copy(head_bytes.begin(), head_bytes.end(), exp_head.end() - std::min<std::uint64_t>(32, exp_length));
  // Gas first: it bounds every length below, so nothing is allocated that
  // the caller did not pay for.
  const u128 cost = modexp_cost(base_length, exp_length, mod_length, exp_head);
  if (cost > gas) return fail(gas);
  if (base_length == 0 && mod_length == 0) return charge(gas, cost, {});

  Mpz base, mod, result;
  import_padded(base, input, 96, base_length);
  import_padded(mod, input, exp_start + exp_length, mod_length);
  Bytes out(mod_length, 0);
  if (mpz_sgn(mod.v) == 0) return charge(gas, cost, std::move(out));
  // The exponent's padding is a power of two, applied as repeated squaring
  // instead of materialising a number the caller sent only zeros for.
  Mpz exp;
  const auto exp_bytes = present(input, exp_start, exp_length);
  mpz_import(exp.v, exp_bytes.size(), 1, 1, 1, 0, exp_bytes.data());
  mpz_powm(result.v, base.v, exp.v, mod.v);
  if (mpz_sgn(exp.v) != 0) {
    for (std::uint64_t i = 0; i < 8 * (exp_length - exp_bytes.size()) && mpz_sgn(result.v) != 0; ++i) {
      mpz_mul(result.v, result.v, result.v);
      mpz_mod(result.v, result.v, mod.v);
    }
  }
  const std::size_t size = (mpz_sizeinbase(result.v, 2) + 7) / 8;
  if (mpz_sgn(result.v) != 0) mpz_export(out.data() + (out.size() - size), nullptr, 1, 1, 1, 0, result.v);
  return charge(gas, cost, std::move(out));
}

// ---- 0x09 blake2f (EIP-152) ----------------------------------------------------

constexpr std::array<std::uint64_t, 8> kBlake2bIv = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

constexpr std::uint8_t kBlake2bSigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

std::uint64_t load_le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void store_le64(std::uint8_t* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

void blake2b_mix(std::array<std::uint64_t, 16>& v, int a, int b, int c, int d, std::uint64_t x, std::uint64_t y) {
  v[a] = v[a] + v[b] + x;
  v[d] = std::rotr(v[d] ^ v[a], 32);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 24);
  v[a] = v[a] + v[b] + y;
  v[d] = std::rotr(v[d] ^ v[a], 16);
  v[c] = v[c] + v[d];
  v[b] = std::rotr(v[b] ^ v[c], 63);
}

// The compression function F of RFC 7693 with a caller-chosen round count,
// which no library exposes (they all fix it at 12).
PrecompileResult blake2f(std::span<const std::uint8_t> input, std::uint64_t gas) {
  if (input.size() != kBlake2fInputSize) return fail(gas);
  const std::uint32_t rounds = (std::uint32_t{input[0]} << 24) | (std::uint32_t{input[1]} << 16) |
                               (std::uint32_t{input[2]} << 8) | input[3];
  const u128 cost = u128{kBlake2fRoundGas} * rounds;
  if (cost > gas) return fail(gas);
  const std::uint8_t final_flag = input[212];
  if (final_flag > 1) return fail(gas);

  std::array<std::uint64_t, 8> h;
  std::array<std::uint64_t, 16> m;
  for (std::size_t i = 0; i < 8; ++i) h[i] = load_le64(&input[4 + 8 * i]);
  for (std::size_t i = 0; i < 16; ++i) m[i] = load_le64(&input[68 + 8 * i]);
  std::array<std::uint64_t, 16> v;
  for (std::size_t i = 0; i < 8; ++i) {
    v[i] = h[i];
    v[i + 8] = kBlake2bIv[i];
  }
  v[12] ^= load_le64(&input[196]);
  v[13] ^= load_le64(&input[204]);
  if (final_flag == 1) v[14] = ~v[14];
  for (std::uint32_t r = 0; r < rounds; ++r) {
    const std::uint8_t* s = kBlake2bSigma[r % 10];
    blake2b_mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    blake2b_mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    blake2b_mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    blake2b_mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    blake2b_mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    blake2b_mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    blake2b_mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    blake2b_mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
  }
  Bytes out(64);
  for (std::size_t i = 0; i < 8; ++i) store_le64(&out[8 * i], h[i] ^ v[i] ^ v[i + 8]);
  return charge(gas, cost, std::move(out));
}

// 0x06..0x08 and 0x0a: see the header.
PrecompileResult not_implemented(std::span<const std::uint8_t>, std::uint64_t gas) { return fail(gas); }

using Precompile = PrecompileResult (*)(std::span<const std::uint8_t>, std::uint64_t);

// Indexed by address - 1.
constexpr std::array<Precompile, kLastPrecompile> kPrecompiles = {
    ecrecover,       sha256,          ripemd160,       identity, modexp,
    not_implemented, not_implemented, not_implemented, blake2f,  not_implemented};

}  // namespace

bool is_precompile(const std::array<std::uint8_t, 20>& address, Fork fork) {
  return is_precompile(address) && (fork == Fork::cancun || address[19] < 0x0a);
}

bool is_precompile(const std::array<std::uint8_t, 20>& address) {
  return std::all_of(address.begin(), address.end() - 1, [](std::uint8_t b) { return b == 0; }) &&
         address[19] >= 1 && address[19] <= kLastPrecompile;
}

PrecompileResult run_precompile(const std::array<std::uint8_t, 20>& address, std::span<const std::uint8_t> input,
                                std::uint64_t gas) {
  if (!is_precompile(address)) return fail(gas);
  return kPrecompiles[address[19] - 1](input, gas);
}

}  // namespace cbsim::models::evm
