#pragma once
// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not the
// FIPS 202 SHA3-256 padding (0x06), so the two give different digests.

#include <cstdint>
#include <span>

#include "models/crypto/hash.h"

namespace cbsim::models::crypto {

Hash256 keccak256(std::span<const std::uint8_t> data);

}  // namespace cbsim::models::crypto
