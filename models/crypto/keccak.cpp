#include "models/crypto/keccak.h"

#include <cryptopp/keccak.h>

namespace cbsim::models::crypto {

Hash256 keccak256(std::span<const std::uint8_t> data) {
  // Crypto++ rather than OpenSSL: OpenSSL 3.0 (Debian 12) exposes only SHA3.
  // A fresh object per call is cheap (200 bytes of state, no allocation).
  CryptoPP::Keccak_256 keccak;
  static_assert(CryptoPP::Keccak_256::DIGESTSIZE == sizeof(Hash256));
  Hash256 out;
  keccak.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

}  // namespace cbsim::models::crypto
