#pragma once
// The EVM: runs a message call or contract creation to completion against a
// WorldState. Nested calls do not recurse natively: each call or creation is a
// frame on an explicit stack, so a call depth of 1024 needs no deep C++ stack.
// One opcode table (opcodes.h) drives dispatch, constant gas and stack checks.

#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>
#include <vector>

#include "models/evm/address.h"
#include "models/evm/bytes.h"
#include "models/evm/fork.h"
#include "models/evm/uint256.h"
#include "models/evm/word.h"
#include "models/evm/world_state.h"

namespace cbsim::models::evm {

struct BlockEnv {
  Address coinbase{};
  std::uint64_t number = 0;
  std::uint64_t timestamp = 0;
  std::uint64_t gas_limit = 0;
  uint256 base_fee{};
  uint256 chain_id{1};
  Bytes32 prev_randao{};
  uint256 blob_base_fee{1};
  // Hash of block `number` (only the 256 before the current one are asked for); empty: zero.
  std::function<Bytes32(std::uint64_t)> block_hash;
};

struct TxContext {
  Address origin{};
  uint256 gas_price{};
  std::vector<Bytes32> blob_hashes;
};

enum class CallKind : std::uint8_t { call, callcode, delegatecall, staticcall, create, create2 };

struct Message {
  CallKind kind = CallKind::call;
  bool is_static = false;
  int depth = 0;
  std::int64_t gas = 0;
  Address sender{};
  Address recipient{};     // the account whose storage and balance the code acts on (create: the new account)
  Address code_address{};  // whose code runs (differs for callcode and delegatecall)
  uint256 value{};
  Bytes input;             // call data, or the init code of a creation
};

// aborted is no EVM outcome: the runner's budget (ExecutionBudget) stopped the
// execution before it ended, and its state changes were rolled back; nothing
// about the transaction may be concluded from it (least of all "out of gas").
enum class Status : std::uint8_t { success, revert, failure, aborted };

// Why a frame ended in Status::failure (an exceptional halt, all its gas
// consumed), or the execution in Status::aborted (the two budget values):
// recorded where it fails, at no cost to the instructions that succeed.
enum class Failure : std::uint8_t {
  none,                       // the frame succeeded or reverted
  out_of_gas,                 // gas, memory expansion beyond any gas, SSTORE with <= 2300 gas left
  invalid_opcode,             // an undefined opcode or INVALID (0xfe)
  stack_underflow,
  stack_overflow,             // more than 1024 items
  invalid_jump,               // JUMP/JUMPI to a byte that is no JUMPDEST
  static_state_change,        // SSTORE, TSTORE, LOG, CREATE, SELFDESTRUCT or CALL with value in a static call
  return_data_out_of_bounds,  // RETURNDATACOPY past the return data
  init_code_too_large,        // CREATE/CREATE2 with more than 49,152 bytes (EIP-3860)
  code_too_large,             // a creation returning more than 24,576 bytes (EIP-170)
  invalid_code_prefix,        // a creation returning code that starts with 0xef (EIP-3541)
  address_collision,          // a creation at an address already in use
  precompile_failure,         // a precompile out of gas or given invalid input
  over_work_budget,           // Status::aborted: more work than ExecutionBudget::max_work
  over_memory_budget,         // Status::aborted: more memory than ExecutionBudget::max_memory_bytes
};

// "out of gas", "stack underflow", ... ("" for none).
std::string_view failure_message(Failure failure);

struct ExecResult {
  Status status = Status::failure;
  Failure failure = Failure::none;
  std::int64_t gas_left = 0;
  Bytes output;
  Address created{};  // a successful creation's address
};

// What one execution (a message and everything it calls) may use, whatever
// its gas: a state test's gas limit of 2^63 - 1 bounds neither time nor
// memory. Going beyond either ends the execution as Status::aborted.
// Default-constructed: no limit, gas alone bounds the run (the simulator's
// own contracts, whose gas is at most a block's).
struct ExecutionBudget {
  // Work in gas units: the gas its instructions were charged (gas a frame
  // loses to an exceptional halt is not work), plus what gas leaves unpriced
  // or underprices: entering a call or creation, copying call data and return
  // values, KECCAK256, the journal entry of every state change, and
  // precompiles, whose gas is priced for native code. See kWork* in interpreter.cpp.
  std::int64_t max_work = std::numeric_limits<std::int64_t>::max();
  // EVM memory, call data and return data of the live frames, logs, and the
  // journal of state changes (estimated per entry), together.
  std::uint64_t max_memory_bytes = std::numeric_limits<std::uint64_t>::max();
};

// The budget of `cbsim evm statetest` and `cbsim evm run`. Work: 10^10, 1.6
// times the heaviest official state test the repository runs (loopMul, 6.18e9
// gas; about 10 s of the simplest code on this interpreter, up to about twice that
// for the slowest-per-gas instructions). Memory: 512 MiB, as the growth of
// std::vector can briefly hold twice that.
inline constexpr ExecutionBudget kRunnerBudget{10'000'000'000, std::uint64_t{512} << 20};

class Interpreter {
public:
  Interpreter(WorldState& state, const BlockEnv& block, const TxContext& tx, Fork fork,
              const ExecutionBudget& budget = {});
  ~Interpreter();
  // Runs `m` (the value transfer and, for a creation, the account set-up
  // included) and everything it calls. State changes of a frame that fails or
  // reverts are rolled back. Beyond the budget: Status::aborted, every state
  // change of `m` rolled back.
  ExecResult execute(const Message& m);

private:
  struct Frame;
  bool enter(Message m, ExecResult& immediate);
  ExecResult leave(Status status, Bytes output);
  void deliver(ExecResult child);
  Status run(Frame& f);
  ExecResult abort(Failure why);
  // The budget (see the comment on Frame::withheld in interpreter.cpp).
  void arm(Frame& f);
  void disarm(Frame& f);
  [[gnu::cold]] bool checkpoint(Frame& f);  // off the path of the instructions that succeed
  Failure over_budget() const;
  bool grow_memory(Frame& f, std::uint64_t end);
  bool hold(Frame& f, std::uint64_t bytes);
  void release(std::uint64_t bytes) { held_bytes_ -= bytes; }
  void add_work(std::int64_t work);

  WorldState& state_;
  const BlockEnv& block_;
  const TxContext& tx_;
  Fork fork_;
  ExecutionBudget budget_;
  std::vector<Frame> frames_;
  std::int64_t work_ = 0;             // done by this execution, counted at checkpoints
  std::uint64_t held_bytes_ = 0;      // memory, call data, return data and logs held
  std::size_t journal_counted_ = 0;   // journal entries already counted as work
};

// The address of a contract created by `sender` with `nonce` (CREATE) or with
// `salt` and init code hash (CREATE2, EIP-1014).
Address create_address(const Address& sender, std::uint64_t nonce);
Address create2_address(const Address& sender, const Bytes32& salt, BytesView init_code);

}  // namespace cbsim::models::evm
