#pragma once
// Conversions between 256-bit words and the byte forms the EVM stores them in:
// big-endian 32-byte storage keys and hashes, 20-byte addresses.

#include <cstdint>

#include "models/evm/address.h"
#include "models/evm/uint256.h"

namespace cbsim::models::evm {

inline Bytes32 to_bytes32(const uint256& w) {
  Bytes32 b;
  w.to_be_bytes(b);
  return b;
}
inline uint256 from_bytes32(const Bytes32& b) { return uint256::from_be_bytes(b); }
inline bool fits_u64(const uint256& w) { return w.fits_uint64(); }
inline std::uint64_t to_u64(const uint256& w) { return w.low_uint64(); }

}  // namespace cbsim::models::evm
