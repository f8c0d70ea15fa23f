#pragma once
// 20-byte account addresses and 32-byte words as byte arrays (storage keys,
// hashes), hashable for the world state's maps.

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>

namespace cbsim::models::evm {

using Address = std::array<std::uint8_t, 20>;
using Bytes32 = std::array<std::uint8_t, 32>;

struct ByteArrayHasher {
  template <std::size_t N>
  std::size_t operator()(const std::array<std::uint8_t, N>& a) const {
    // Addresses and slots are hashes or small numbers: mix the first and last 8 bytes.
    std::uint64_t head = 0, tail = 0;
    std::memcpy(&head, a.data(), 8);
    std::memcpy(&tail, a.data() + N - 8, 8);
    return std::hash<std::uint64_t>{}(head * 0x9e3779b97f4a7c15ULL ^ tail);
  }
};

}  // namespace cbsim::models::evm
