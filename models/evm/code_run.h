#pragma once
// Running bytecode on its own, like geth's `evm run`: the code installed at an
// account of an otherwise empty state and called with `gas` (no transaction,
// so no intrinsic gas). Used by `cbsim evm run` (with kRunnerBudget), the
// benchmarks and tests.

#include <cstdint>

#include "models/evm/interpreter.h"

namespace cbsim::models::evm {

struct CodeRun {
  WorldState state;  // after the call (the code's account: kCodeRunContract)
  ExecResult result;
};

inline constexpr Address kCodeRunContract = {0x10};  // 0x1000...00
inline constexpr Address kCodeRunCaller = {0x20};

CodeRun run_code(BytesView code, BytesView input, std::int64_t gas, Fork fork = Fork::cancun,
                 const ExecutionBudget& budget = {});

}  // namespace cbsim::models::evm
