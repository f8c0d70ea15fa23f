#pragma once
// EIP-4844's blob base fee: MIN_BASE_FEE_PER_BLOB_GAS * e^(excess blob gas /
// BLOB_BASE_FEE_UPDATE_FRACTION), computed by the EIP's integer Taylor series
// `fake_exponential` (https://eips.ethereum.org/EIPS/eip-4844#helpers, the same
// in ethereum/execution-specs, forks/cancun/vm/gas.py).

#include <cstdint>
#include <optional>

#include "models/evm/uint256.h"

namespace cbsim::models::evm {

inline constexpr std::uint64_t kMinBaseFeePerBlobGas = 1;             // EIP-4844
inline constexpr std::uint64_t kBlobBaseFeeUpdateFraction = 3338477;  // EIP-4844 (Cancun)

// The spec's fake_exponential(factor, numerator, denominator), exactly (the
// spec's integers are unbounded); nullopt when the result exceeds 2^256 - 1,
// which no EVM word, fee cap or balance can match. Ends within a few hundred
// terms for every input. `denominator` must not be 0.
std::optional<uint256> fake_exponential(std::uint64_t factor, std::uint64_t numerator, std::uint64_t denominator);

// The blob base fee of a block whose excess blob gas is `excess_blob_gas`;
// nullopt beyond 2^256 - 1 (an excess above 592,398,315).
std::optional<uint256> blob_base_fee(std::uint64_t excess_blob_gas);

}  // namespace cbsim::models::evm
