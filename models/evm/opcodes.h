#pragma once
// The one opcode table: for each of the 256 byte values its name, the stack
// items it takes and leaves, its constant gas and the fork that introduced it.
// The interpreter checks gas and stack bounds from this table before it runs
// an instruction; dynamic costs (memory, cold access, copies) are the
// instruction's own.

#include <array>
#include <cstdint>

#include "models/evm/fork.h"

namespace cbsim::models::evm {

struct OpcodeInfo {
  const char* name = nullptr;  // nullptr: undefined (executes as INVALID)
  std::uint8_t inputs = 0;     // stack items it needs
  std::uint8_t outputs = 0;    // stack items it leaves in their place
  std::int16_t gas = 0;        // constant gas
  Fork since = Fork::shanghai;
};

namespace op {
enum : std::uint8_t {
  STOP = 0x00, ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND,
  LT = 0x10, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR,
  KECCAK256 = 0x20,
  ADDRESS = 0x30, BALANCE, ORIGIN, CALLER, CALLVALUE, CALLDATALOAD, CALLDATASIZE, CALLDATACOPY, CODESIZE,
  CODECOPY, GASPRICE, EXTCODESIZE, EXTCODECOPY, RETURNDATASIZE, RETURNDATACOPY, EXTCODEHASH,
  BLOCKHASH = 0x40, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID, SELFBALANCE, BASEFEE, BLOBHASH,
  BLOBBASEFEE,
  POP = 0x50, MLOAD, MSTORE, MSTORE8, SLOAD, SSTORE, JUMP, JUMPI, PC, MSIZE, GAS, JUMPDEST, TLOAD, TSTORE, MCOPY,
  PUSH0,
  PUSH1 = 0x60, PUSH32 = 0x7f,
  DUP1 = 0x80, DUP16 = 0x8f,
  SWAP1 = 0x90, SWAP16 = 0x9f,
  LOG0 = 0xa0, LOG4 = 0xa4,
  CREATE = 0xf0, CALL, CALLCODE, RETURN, DELEGATECALL, CREATE2,
  STATICCALL = 0xfa, REVERT = 0xfd, INVALID = 0xfe, SELFDESTRUCT = 0xff,
};
}  // namespace op

// The table for `fork`: opcodes introduced later are undefined.
const std::array<OpcodeInfo, 256>& opcode_table(Fork fork);

}  // namespace cbsim::models::evm
