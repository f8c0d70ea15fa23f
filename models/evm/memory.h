#pragma once
// The EVM's byte-addressed memory: grows in 32-byte words, zero-filled, and
// costs 3 gas per word plus words^2 / 512 for its largest size (the cost of an
// access is the difference). Offsets and sizes come from the stack as 256-bit
// values: anything that does not fit the gas any call could pay is reported as
// unaffordable before a byte is allocated.

#include <cstdint>
#include <cstring>
#include <vector>

#include "models/evm/fork.h"

namespace cbsim::models::evm {

class Memory {
public:
  // Words needed to hold `end` bytes.
  static std::uint64_t words(std::uint64_t end) { return (end + 31) / 32; }
  static std::int64_t cost(std::uint64_t words) {
    return static_cast<std::int64_t>(words * gas::kMemoryWord + words * words / gas::kQuadCoeffDiv);
  }
  // Largest memory size an access may ask for: beyond it the cost exceeds any gas limit.
  static constexpr std::uint64_t kMaxEnd = std::uint64_t{1} << 32;

  // Gas to make [offset, offset + size) addressable (0 when size is 0); the
  // caller has checked offset + size <= kMaxEnd.
  std::int64_t expansion_cost(std::uint64_t offset, std::uint64_t size) const {
    if (size == 0) return 0;
    const std::uint64_t need = words(offset + size);
    const std::uint64_t have = bytes_.size() / 32;
    return need <= have ? 0 : cost(need) - cost(have);
  }
  void expand(std::uint64_t offset, std::uint64_t size) {
    if (size == 0) return;
    const std::uint64_t need = words(offset + size) * 32;
    if (need > bytes_.size()) bytes_.resize(need, 0);
  }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::uint64_t size() const { return bytes_.size(); }

private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace cbsim::models::evm
