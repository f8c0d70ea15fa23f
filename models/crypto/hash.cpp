#include "models/crypto/hash.h"

#include <openssl/sha.h>

namespace cbsim::models::crypto {

Hash256 sha256(std::span<const std::uint8_t> data) {
  Hash256 out;
  SHA256(data.data(), data.size(), out.data());
  return out;
}

Hash256 sha256d(std::span<const std::uint8_t> data) {
  const Hash256 first = sha256(data);
  return sha256(first);
}

Hash256 sha256d_pair(const Hash256& a, const Hash256& b) {
  std::array<std::uint8_t, 64> buf;
  std::copy(a.begin(), a.end(), buf.begin());
  std::copy(b.begin(), b.end(), buf.begin() + 32);
  return sha256d(buf);
}

std::string to_hex(const Hash256& h) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (std::uint8_t byte : h) {
    s.push_back(digits[byte >> 4]);
    s.push_back(digits[byte & 0xF]);
  }
  return s;
}

int leading_zero_bits(const Hash256& h) {
  int bits = 0;
  for (std::uint8_t byte : h) {
    if (byte == 0) {
      bits += 8;
      continue;
    }
    return bits + __builtin_clz(static_cast<unsigned>(byte)) - 24;
  }
  return bits;
}

}  // namespace cbsim::models::crypto
