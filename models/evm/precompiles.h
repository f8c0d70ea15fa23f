#pragma once
// The EVM's precompiled contracts at addresses 0x01..0x0a, with the gas of the
// Cancun fork (ethereum/execution-specs). Engine-free: the interpreter calls
// run_precompile for a CALL whose target is_precompile.
//
// Implemented: 0x01 ecrecover, 0x02 SHA-256, 0x03 RIPEMD-160, 0x04 identity,
// 0x05 modexp (EIP-198, EIP-2565 gas), 0x09 blake2f (EIP-152).
// Not implemented: 0x06..0x08 (BN254 add, mul, pairing) and 0x0a (KZG point
// evaluation) — no Debian 12 library provides BN254 or KZG, and hand-written
// pairing code is out of proportion to what the simulator needs. They exist
// (is_precompile is true) but every call fails with all gas consumed.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "models/evm/fork.h"

namespace cbsim::models::evm {

struct PrecompileResult {
  bool success = false;
  std::uint64_t gas_used = 0;
  std::vector<std::uint8_t> output;
};

// Addresses 0x01..0x0a as the last byte of a 20-byte address whose first 19 bytes are zero.
bool is_precompile(const std::array<std::uint8_t, 20>& address);  // Cancun: 0x01..0x0a
// The same for `fork`: Shanghai has 0x01..0x09 (0x0a, point evaluation, came with Cancun).
bool is_precompile(const std::array<std::uint8_t, 20>& address, Fork fork);

// Runs precompile `address` on `input` with `gas` available. On out-of-gas or invalid input
// (where the spec says the call fails) success = false and gas_used = gas (all consumed).
PrecompileResult run_precompile(const std::array<std::uint8_t, 20>& address, std::span<const std::uint8_t> input,
                                std::uint64_t gas);

}  // namespace cbsim::models::evm
