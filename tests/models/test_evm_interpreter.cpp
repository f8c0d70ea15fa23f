// The interpreter on hand-written bytecode: results and gas of a small
// program, and a call chain 1024 deep (the EVM's limit) run without native
// recursion. Conformance as a whole is the official state tests'
// (tests/sim/test_evm_statetests.cpp).

#include <gtest/gtest.h>

#include "models/evm/code_run.h"

namespace cbsim::models::evm {
namespace {

using Outcome = CodeRun;

Outcome execute(const Bytes& code, std::int64_t gas) { return run_code(code, {}, gas); }

TEST(EvmInterpreter, AddsStoresInMemoryAndReturnsWithTheScheduledGas) {
  // PUSH1 1, PUSH1 2, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN:
  // seven 3-gas instructions, RETURN free, one word of memory 3.
  const Outcome r = execute({0x60, 0x01, 0x60, 0x02, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3}, 1000);
  EXPECT_EQ(r.result.status, Status::success);
  ASSERT_EQ(r.result.output.size(), 32u);
  EXPECT_EQ(r.result.output[31], 3);
  EXPECT_EQ(1000 - r.result.gas_left, 24);
}

TEST(EvmInterpreter, RunningOutOfGasConsumesItAllAndRevertsState) {
  // PUSH1 1, PUSH1 0, SSTORE: a cold slot set from zero costs 22,100.
  const Outcome r = execute({0x60, 0x01, 0x60, 0x00, 0x55}, 22000);
  EXPECT_EQ(r.result.status, Status::failure);
  EXPECT_EQ(r.result.gas_left, 0);
  EXPECT_EQ(r.state.storage(kCodeRunContract, Bytes32{}), uint256{});
  const Outcome ok = execute({0x60, 0x01, 0x60, 0x00, 0x55}, 22106);
  EXPECT_EQ(ok.result.status, Status::success);
  EXPECT_EQ(ok.result.gas_left, 0);
  EXPECT_EQ(ok.state.storage(kCodeRunContract, Bytes32{}), uint256{1});
}

TEST(EvmInterpreter, ACallChainReachesTheDepthLimitWithoutNativeRecursion) {
  // Each frame logs once, then calls itself with all the gas it may pass on:
  // PUSH0 PUSH0 LOG0, PUSH0 x5 (out size, out offset, in size, in offset,
  // value), ADDRESS, GAS, CALL, STOP. Frames at depths 0 to 1024 each log; the
  // call from depth 1024 fails, and every frame succeeds.
  const Bytes code = {0x5f, 0x5f, 0xa0, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x30, 0x5a, 0xf1, 0x00};
  const Outcome r = execute(code, std::int64_t{1} << 40);
  EXPECT_EQ(r.result.status, Status::success);
  EXPECT_EQ(r.state.logs().size(), 1025u);
}

TEST(EvmInterpreter, JumpsOnlyToJumpdestsOutsidePushData) {
  // PUSH1 4, JUMP, INVALID, JUMPDEST, STOP: lands on the JUMPDEST.
  EXPECT_EQ(execute({0x60, 0x04, 0x56, 0xfe, 0x5b, 0x00}, 100).result.status, Status::success);
  // PUSH1 3, JUMP, PUSH1 0x5b: byte 3 is a 0x5b inside PUSH data, not a destination.
  EXPECT_EQ(execute({0x60, 0x03, 0x56, 0x60, 0x5b}, 100).result.status, Status::failure);
}

TEST(EvmInterpreter, RevertKeepsTheGasLeftAndReturnsItsData) {
  // PUSH1 0xaa, PUSH1 0, MSTORE8, PUSH1 1, PUSH1 0, REVERT.
  const Outcome r = execute({0x60, 0xaa, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xfd}, 100);
  EXPECT_EQ(r.result.status, Status::revert);
  EXPECT_EQ(r.result.output, Bytes{0xaa});
  EXPECT_EQ(r.result.gas_left, 100 - (3 + 3 + 3 + 3 + 3 + 3));  // five pushes/MSTORE8 at 3, one memory word 3
}

}  // namespace
}  // namespace cbsim::models::evm
