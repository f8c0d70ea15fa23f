#pragma once
// Fixed EVM workloads, shared by `make bench` (bench/evm_bench.cpp) and
// `cbsim calibrate`: each runs real bytecode in the interpreter and returns the
// gas it used.

#include <cstdint>

#include "models/evm/bytes.h"

namespace cbsim::sim::calibration {

// A loop of `rounds` rounds around `body` (PUSH4 rounds, JUMPDEST, body, then
// decrement and JUMPI back), run as a call with `gas`.
std::int64_t run_loop(std::uint32_t rounds, const models::evm::Bytes& body, std::int64_t gas = 1'000'000'000);

// The compute workloads: MUL/ADD/DIV/EXP/MULMOD; Keccak-256 of 64 bytes;
// rewriting and reading sixteen storage slots.
std::int64_t arithmetic_workload();
std::int64_t keccak_workload();
std::int64_t storage_workload();
// Deploys the compiled Token (scenarios/contracts/) and makes `transfers`
// transfers to new holders as transactions; returns their gas (deployment excluded).
std::int64_t token_transfers_workload(int transfers);

}  // namespace cbsim::sim::calibration
