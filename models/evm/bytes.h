#pragma once
// The byte-string types shared by RLP, the trie and (later) the EVM.

#include <cstdint>
#include <span>
#include <vector>

namespace cbsim::models::evm {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

}  // namespace cbsim::models::evm
