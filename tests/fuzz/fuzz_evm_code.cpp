// Fuzz target: bytecode and calldata -> the EVM interpreter (models::evm::run_code,
// what `cbsim evm run` does), then the state root of what the code left.
// Input layout: byte 0 picks the fork, two bytes the gas (bounded by kMaxGas so
// one execution stays fast), two bytes the code's length; the code, then the
// calldata is the rest.
// A finding: a crash, hang, leak or undefined behaviour, any exception, or a
// result that breaks the gas rules (gas left outside [0, gas given], gas or
// output left after a failure).

#include <exception>

#include "models/evm/code_run.h"
#include "tests/fuzz/fuzz_support.h"

namespace {
namespace ev = cbsim::models::evm;

// 65,535 * 16: about a million gas, enough for loops, memory growth, nested
// calls and precompiles, and still milliseconds per input.
constexpr std::int64_t kGasPerUnit = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cbsim::fuzz::InputReader in(data, size);
  const ev::Fork fork = (in.byte() & 1) ? ev::Fork::shanghai : ev::Fork::cancun;
  const std::int64_t gas = static_cast<std::int64_t>(in.u16()) * kGasPerUnit;
  const auto code = in.take(in.u16());
  const auto calldata = in.rest();
  try {
    const ev::CodeRun run = ev::run_code(code, calldata, gas, fork);
    if (run.result.gas_left < 0 || run.result.gas_left > gas) cbsim::fuzz::finding("gas left outside [0, gas given]");
    if (run.result.status == ev::Status::failure && (run.result.gas_left != 0 || !run.result.output.empty()))
      cbsim::fuzz::finding("a failed execution kept gas or output");
    (void)run.state.state_root();
  } catch (const std::exception& e) {
    cbsim::fuzz::finding("the interpreter threw", e.what());
  }
  return 0;
}
