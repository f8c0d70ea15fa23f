#pragma once
// Little-endian byte writer for hashing canonical encodings.

#include <cstdint>
#include <cstring>
#include <vector>

#include "models/crypto/hash.h"

namespace cbsim::models::chain {

class ByteWriter {
public:
  void u32(std::uint32_t v) { put(&v, sizeof v); }
  void u64(std::uint64_t v) { put(&v, sizeof v); }
  void f64(double v) { put(&v, sizeof v); }
  void hash(const crypto::Hash256& h) { put(h.data(), h.size()); }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
  // Host order is little-endian on every platform cbsim targets (x86-64, arm64).
  void put(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  std::vector<std::uint8_t> bytes_;
};

}  // namespace cbsim::models::chain
