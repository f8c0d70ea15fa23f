// The interpreter on hand-written bytecode: results and gas of a small
// program, a call chain 1024 deep (the EVM's limit) run without native
// recursion, and the reason each kind of exceptional halt reports.
// Conformance as a whole is the official state tests'
// (tests/sim/test_evm_statetests.cpp).

#include <gtest/gtest.h>

#include <limits>

#include "models/evm/code_run.h"
#include "models/evm/interpreter.h"

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

struct HaltCase {
  const char* what;
  Bytes code;
  Failure expected;
};

TEST(EvmInterpreter, EachExceptionalHaltSaysWhy) {
  Bytes deep_stack(1025, 0x5f);  // 1,025 PUSH0: one more than the stack holds
  const HaltCase cases[] = {
      {"PUSH1 1, PUSH0, SSTORE with 100 gas", {0x60, 0x01, 0x5f, 0x55}, Failure::out_of_gas},
      {"INVALID", {0xfe}, Failure::invalid_opcode},
      {"an undefined opcode", {0x0c}, Failure::invalid_opcode},
      {"ADD on an empty stack", {0x01}, Failure::stack_underflow},
      {"1,025 PUSH0", deep_stack, Failure::stack_overflow},
      {"PUSH1 3, JUMP to a STOP", {0x60, 0x03, 0x56, 0x00}, Failure::invalid_jump},
      {"RETURNDATACOPY of a byte with no return data", {0x60, 0x01, 0x5f, 0x5f, 0x3e}, Failure::return_data_out_of_bounds},
      {"CREATE with 49,153 bytes of init code", {0x62, 0x00, 0xc0, 0x01, 0x5f, 0x5f, 0xf0}, Failure::init_code_too_large},
      {"MSTORE at 2^32", {0x5f, 0x64, 0x01, 0x00, 0x00, 0x00, 0x00, 0x52}, Failure::out_of_gas},
  };
  for (const HaltCase& c : cases) {
    const ExecResult r = execute(c.code, c.expected == Failure::out_of_gas ? 100 : 1'000'000).result;
    EXPECT_EQ(r.status, Status::failure) << c.what;
    EXPECT_EQ(r.failure, c.expected) << c.what << ": " << failure_message(r.failure);
  }
  EXPECT_EQ(execute({0x00}, 100).result.failure, Failure::none);
  EXPECT_EQ(execute({0x5f, 0x5f, 0xfd}, 100).result.failure, Failure::none);  // a revert is no exceptional halt
}

// Runs `m` on `state` in Cancun with an empty block and transaction context.
ExecResult execute_message(WorldState& state, const Message& m) {
  state.begin_transaction();
  const BlockEnv block;
  const TxContext tx;
  Interpreter vm(state, block, tx, Fork::cancun);
  return vm.execute(m);
}

TEST(EvmInterpreter, StateChangesInAStaticCallAndFailedCreationsSayWhy) {
  WorldState state;
  Account contract;
  contract.code = std::make_shared<const Code>(Bytes{0x60, 0x01, 0x5f, 0x55});  // PUSH1 1, PUSH0, SSTORE
  state.put_account(kCodeRunContract, std::move(contract));
  Message call;
  call.is_static = true;
  call.gas = 100'000;
  call.recipient = call.code_address = kCodeRunContract;
  EXPECT_EQ(execute_message(state, call).failure, Failure::static_state_change);

  Message precompile;  // ecrecover costs 3,000 gas
  precompile.gas = 100;
  precompile.code_address = precompile.recipient = Address{};
  precompile.code_address[19] = precompile.recipient[19] = 0x01;
  EXPECT_EQ(execute_message(state, precompile).failure, Failure::precompile_failure);

  const auto create = [&](Bytes init_code, const Address& at) {
    Message m;
    m.kind = CallKind::create;
    m.gas = 1'000'000;
    m.recipient = m.code_address = at;
    m.input = std::move(init_code);
    return execute_message(state, m).failure;
  };
  const Address fresh = {0x30};
  // PUSH2 24577, PUSH0, RETURN: one byte over the code size limit.
  EXPECT_EQ(create({0x61, 0x60, 0x01, 0x5f, 0xf3}, fresh), Failure::code_too_large);
  // PUSH1 0xef, PUSH0, MSTORE8, PUSH1 1, PUSH0, RETURN: code starting with 0xef.
  EXPECT_EQ(create({0x60, 0xef, 0x5f, 0x53, 0x60, 0x01, 0x5f, 0xf3}, fresh), Failure::invalid_code_prefix);
  EXPECT_EQ(create({0x00}, kCodeRunContract), Failure::address_collision);  // the contract's code is there
  EXPECT_EQ(failure_message(Failure::out_of_gas), "out of gas");
}

constexpr std::int64_t kMostGas = std::numeric_limits<std::int64_t>::max();

CodeRun run_within(const Bytes& code, std::int64_t gas, const ExecutionBudget& budget) {
  return run_code(code, {}, gas, Fork::cancun, budget);
}

TEST(EvmBudget, AnEndlessLoopWithTheMostGasIsAbortedAtTheWorkBudget) {
  const Bytes loop = {0x5b, 0x5f, 0x56};  // JUMPDEST, PUSH0, JUMP to 0: ran for years
  const ExecResult r = run_within(loop, kMostGas, {.max_work = 10'000'000}).result;
  EXPECT_EQ(r.status, Status::aborted);
  EXPECT_EQ(r.failure, Failure::over_work_budget);
  EXPECT_EQ(failure_message(r.failure), "exceeds the runner's work budget");
  // Within the budget, gas alone decides, as the EVM does.
  const ExecResult oog = run_within(loop, 1'000'000, {.max_work = 10'000'000}).result;
  EXPECT_EQ(oog.status, Status::failure);
  EXPECT_EQ(oog.failure, Failure::out_of_gas);
}

TEST(EvmBudget, AnAbortedExecutionRollsItsStateChangesBack) {
  // PUSH1 1, PUSH0, SSTORE, then the endless loop.
  const CodeRun run = run_within({0x60, 0x01, 0x5f, 0x55, 0x5b, 0x60, 0x04, 0x56}, kMostGas, {.max_work = 1'000'000});
  EXPECT_EQ(run.result.status, Status::aborted);
  EXPECT_EQ(run.state.storage(kCodeRunContract, Bytes32{}), uint256{});
}

TEST(EvmBudget, NestedCallsEachExpandingMemoryStayUnderTheMemoryBudget) {
  // PUSH3 2^20, MLOAD, POP (1 MiB of memory), then STATICCALL itself with
  // all its gas, STOP: 1,024 frames of 1 MiB each with the most gas.
  const Bytes nest = {0x62, 0x10, 0x00, 0x00, 0x51, 0x50, 0x5f, 0x5f, 0x5f, 0x5f, 0x30, 0x5a, 0xfa, 0x00};
  const ExecutionBudget budget{.max_memory_bytes = 64 << 20};
  const ExecResult r = run_within(nest, kMostGas, budget).result;
  EXPECT_EQ(r.status, Status::aborted);
  EXPECT_EQ(r.failure, Failure::over_memory_budget);
  EXPECT_EQ(failure_message(r.failure), "exceeds the runner's memory budget");
  // Gas for a few frames only: the calls run out of gas, as the EVM says.
  EXPECT_EQ(run_within(nest, 20'000'000, budget).result.status, Status::success);
}

TEST(EvmBudget, MemoryTheGasCanPayButTheBudgetCannotHoldIsNoOutOfGas) {
  // PUSH0, PUSH5 2^33, MSTORE: 8 GiB, which 2^63 - 1 gas pays for.
  const Bytes far = {0x5f, 0x64, 0x02, 0x00, 0x00, 0x00, 0x00, 0x52};
  const ExecResult r = run_within(far, kMostGas, {.max_memory_bytes = 64 << 20}).result;
  EXPECT_EQ(r.status, Status::aborted);
  EXPECT_EQ(r.failure, Failure::over_memory_budget);
  EXPECT_EQ(run_within(far, 1'000'000, {.max_memory_bytes = 64 << 20}).result.failure, Failure::out_of_gas);
}

TEST(EvmBudget, StateChangesCountAsMemoryAndWork) {
  // JUMPDEST, PUSH0, DUP1, TSTORE, PUSH0, JUMP: a journal entry per round.
  const Bytes journal = {0x5b, 0x5f, 0x80, 0x5d, 0x5f, 0x56};
  EXPECT_EQ(run_within(journal, kMostGas, {.max_memory_bytes = 16 << 20}).result.failure, Failure::over_memory_budget);
  EXPECT_EQ(run_within(journal, kMostGas, {.max_work = 10'000'000}).result.failure, Failure::over_work_budget);
}

TEST(EvmBudget, APrecompileBeyondTheWorkLeftIsAborted) {
  // blake2f (0x09) of 2^32 - 1 rounds, called with all the gas: about a minute's work.
  const Bytes blake = {0x63, 0xff, 0xff, 0xff, 0xff, 0x60, 0xe0, 0x1b, 0x5f, 0x52, 0x60, 0x01, 0x60, 0xd4, 0x53,
                       0x60, 0x40, 0x5f, 0x60, 0xd5, 0x5f, 0x5f, 0x60, 0x09, 0x5a, 0xf1, 0x00};
  EXPECT_EQ(run_within(blake, kMostGas, {.max_work = 10'000'000}).result.failure, Failure::over_work_budget);
}

TEST(EvmBudget, TheDefaultBudgetIsUnlimitedAndTheRunnersIsBounded) {
  // The simulator's own contracts run with the default: gas alone bounds them.
  EXPECT_EQ(ExecutionBudget{}.max_work, kMostGas);
  EXPECT_EQ(ExecutionBudget{}.max_memory_bytes, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(execute({0x5b, 0x5f, 0x56}, 10'000'000).result.failure, Failure::out_of_gas);
  EXPECT_LT(kRunnerBudget.max_work, kMostGas);
  EXPECT_LE(kRunnerBudget.max_memory_bytes, std::uint64_t{1} << 30);
}

}  // namespace
}  // namespace cbsim::models::evm
