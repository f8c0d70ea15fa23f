#include "models/crypto/hash.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace cbsim::models::crypto {

namespace {
// OpenSSL 3's one-shot SHA256() looks the algorithm up on every call, taking a
// global lock each time (a tenth of a 1,000-node run's profile); fetching it
// once and reusing one context per thread avoids both.
struct Sha256Engine {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Sha256Engine() {
    if (md == nullptr || ctx == nullptr) throw std::runtime_error("OpenSSL: SHA-256 unavailable");
  }
  ~Sha256Engine() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  Sha256Engine(const Sha256Engine&) = delete;
  Sha256Engine& operator=(const Sha256Engine&) = delete;
};

Sha256Engine& engine() {
  thread_local Sha256Engine e;
  return e;
}
}  // namespace

Hash256 sha256(std::span<const std::uint8_t> data) {
  Sha256Engine& e = engine();
  Hash256 out;
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(e.ctx, e.md, nullptr) != 1 || EVP_DigestUpdate(e.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(e.ctx, out.data(), &len) != 1 || len != out.size())
    throw std::runtime_error("OpenSSL: SHA-256 failed");
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
