#pragma once
// The EVM: runs a message call or contract creation to completion against a
// WorldState. Nested calls do not recurse natively: each call or creation is a
// frame on an explicit stack, so a call depth of 1024 needs no deep C++ stack.
// One opcode table (opcodes.h) drives dispatch, constant gas and stack checks.

#include <cstdint>
#include <functional>
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

enum class Status : std::uint8_t { success, revert, failure };

// Why a frame ended in Status::failure (an exceptional halt, all its gas
// consumed): recorded where it fails, at no cost to the instructions that succeed.
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

class Interpreter {
public:
  Interpreter(WorldState& state, const BlockEnv& block, const TxContext& tx, Fork fork);
  ~Interpreter();
  // Runs `m` (the value transfer and, for a creation, the account set-up
  // included) and everything it calls. State changes of a frame that fails or
  // reverts are rolled back.
  ExecResult execute(const Message& m);

private:
  struct Frame;
  struct Pending;
  bool enter(const Message& m, ExecResult& immediate);
  ExecResult leave(Status status, Bytes output);
  void deliver(const ExecResult& child);
  Status run(Frame& f);

  WorldState& state_;
  const BlockEnv& block_;
  const TxContext& tx_;
  Fork fork_;
  std::vector<Frame> frames_;
};

// The address of a contract created by `sender` with `nonce` (CREATE) or with
// `salt` and init code hash (CREATE2, EIP-1014).
Address create_address(const Address& sender, std::uint64_t nonce);
Address create2_address(const Address& sender, const Bytes32& salt, BytesView init_code);

}  // namespace cbsim::models::evm
