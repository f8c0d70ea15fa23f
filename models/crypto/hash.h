#pragma once
// SHA-256 through OpenSSL (no hand-written hashing), and the 256-bit hash type
// used for transaction ids, block hashes and Merkle roots.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace cbsim::models::crypto {

using Hash256 = std::array<std::uint8_t, 32>;

Hash256 sha256(std::span<const std::uint8_t> data);
// Bitcoin's hash: SHA-256 applied twice.
Hash256 sha256d(std::span<const std::uint8_t> data);
// sha256d(a || b), the Merkle tree's inner node.
Hash256 sha256d_pair(const Hash256& a, const Hash256& b);

std::string to_hex(const Hash256& h);
// Number of leading zero bits, the proof-of-work measure (hash read big-endian).
int leading_zero_bits(const Hash256& h);

struct Hash256Hasher {
  std::size_t operator()(const Hash256& h) const noexcept {
    std::size_t v;
    static_assert(sizeof(v) <= sizeof(Hash256));
    __builtin_memcpy(&v, h.data(), sizeof(v));
    return v;
  }
};

}  // namespace cbsim::models::crypto
