#pragma once
// The EVM's byte-addressed memory: grows in 32-byte words, zero-filled, and
// costs 3 gas per word plus words^2 / 512 for its largest size (the cost of an
// access is the difference). Offsets and sizes come from the stack as 64-bit
// values: the cost is computed in 128 bits, so that any size, however large,
// is priced before a byte is allocated (the interpreter's budget, not this
// class, bounds what is allocated).

#include <cstdint>
#include <cstring>
#include <vector>

#include "models/evm/fork.h"

namespace cbsim::models::evm {

class Memory {
public:
  // Words needed to hold `end` bytes (any end up to 2^64 - 1).
  static std::uint64_t words(std::uint64_t end) { return end / 32 + (end % 32 != 0 ? 1 : 0); }
  // Gas of a memory of `words` words; up to 2^59 words, so no overflow in 128 bits.
  static unsigned __int128 cost(std::uint64_t words) {
    const unsigned __int128 w = words;
    return w * gas::kMemoryWord + w * w / gas::kQuadCoeffDiv;
  }

  // Grows to hold `end` bytes (the caller has paid for it).
  void expand(std::uint64_t end) {
    const std::uint64_t need = words(end) * 32;
    if (need > bytes_.size()) bytes_.resize(need, 0);
  }

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::uint64_t size() const { return bytes_.size(); }

private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace cbsim::models::evm
