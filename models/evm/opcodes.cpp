#include "models/evm/opcodes.h"

#include <string>

namespace cbsim::models::evm {

namespace {

std::array<OpcodeInfo, 256> make_table(Fork fork) {
  std::array<OpcodeInfo, 256> t{};
  const auto set = [&](std::uint8_t code, const char* name, int in, int out, int gas, Fork since = Fork::shanghai) {
    if (static_cast<int>(since) > static_cast<int>(fork)) return;
    t[code] = {name, static_cast<std::uint8_t>(in), static_cast<std::uint8_t>(out), static_cast<std::int16_t>(gas),
               since};
  };
  using namespace gas;
  set(op::STOP, "STOP", 0, 0, kZero);
  set(op::ADD, "ADD", 2, 1, kVeryLow);
  set(op::MUL, "MUL", 2, 1, kLow);
  set(op::SUB, "SUB", 2, 1, kVeryLow);
  set(op::DIV, "DIV", 2, 1, kLow);
  set(op::SDIV, "SDIV", 2, 1, kLow);
  set(op::MOD, "MOD", 2, 1, kLow);
  set(op::SMOD, "SMOD", 2, 1, kLow);
  set(op::ADDMOD, "ADDMOD", 3, 1, kMid);
  set(op::MULMOD, "MULMOD", 3, 1, kMid);
  set(op::EXP, "EXP", 2, 1, kExp);
  set(op::SIGNEXTEND, "SIGNEXTEND", 2, 1, kLow);
  set(op::LT, "LT", 2, 1, kVeryLow);
  set(op::GT, "GT", 2, 1, kVeryLow);
  set(op::SLT, "SLT", 2, 1, kVeryLow);
  set(op::SGT, "SGT", 2, 1, kVeryLow);
  set(op::EQ, "EQ", 2, 1, kVeryLow);
  set(op::ISZERO, "ISZERO", 1, 1, kVeryLow);
  set(op::AND, "AND", 2, 1, kVeryLow);
  set(op::OR, "OR", 2, 1, kVeryLow);
  set(op::XOR, "XOR", 2, 1, kVeryLow);
  set(op::NOT, "NOT", 1, 1, kVeryLow);
  set(op::BYTE, "BYTE", 2, 1, kVeryLow);
  set(op::SHL, "SHL", 2, 1, kVeryLow);
  set(op::SHR, "SHR", 2, 1, kVeryLow);
  set(op::SAR, "SAR", 2, 1, kVeryLow);
  set(op::KECCAK256, "KECCAK256", 2, 1, kKeccak);
  set(op::ADDRESS, "ADDRESS", 0, 1, kBase);
  set(op::BALANCE, "BALANCE", 1, 1, 0);  // warm or cold access: dynamic
  set(op::ORIGIN, "ORIGIN", 0, 1, kBase);
  set(op::CALLER, "CALLER", 0, 1, kBase);
  set(op::CALLVALUE, "CALLVALUE", 0, 1, kBase);
  set(op::CALLDATALOAD, "CALLDATALOAD", 1, 1, kVeryLow);
  set(op::CALLDATASIZE, "CALLDATASIZE", 0, 1, kBase);
  set(op::CALLDATACOPY, "CALLDATACOPY", 3, 0, kVeryLow);
  set(op::CODESIZE, "CODESIZE", 0, 1, kBase);
  set(op::CODECOPY, "CODECOPY", 3, 0, kVeryLow);
  set(op::GASPRICE, "GASPRICE", 0, 1, kBase);
  set(op::EXTCODESIZE, "EXTCODESIZE", 1, 1, 0);
  set(op::EXTCODECOPY, "EXTCODECOPY", 4, 0, 0);
  set(op::RETURNDATASIZE, "RETURNDATASIZE", 0, 1, kBase);
  set(op::RETURNDATACOPY, "RETURNDATACOPY", 3, 0, kVeryLow);
  set(op::EXTCODEHASH, "EXTCODEHASH", 1, 1, 0);
  set(op::BLOCKHASH, "BLOCKHASH", 1, 1, kBlockhash);
  set(op::COINBASE, "COINBASE", 0, 1, kBase);
  set(op::TIMESTAMP, "TIMESTAMP", 0, 1, kBase);
  set(op::NUMBER, "NUMBER", 0, 1, kBase);
  set(op::PREVRANDAO, "PREVRANDAO", 0, 1, kBase);
  set(op::GASLIMIT, "GASLIMIT", 0, 1, kBase);
  set(op::CHAINID, "CHAINID", 0, 1, kBase);
  set(op::SELFBALANCE, "SELFBALANCE", 0, 1, kLow);
  set(op::BASEFEE, "BASEFEE", 0, 1, kBase);
  set(op::BLOBHASH, "BLOBHASH", 1, 1, kVeryLow, Fork::cancun);
  set(op::BLOBBASEFEE, "BLOBBASEFEE", 0, 1, kBase, Fork::cancun);
  set(op::POP, "POP", 1, 0, kBase);
  set(op::MLOAD, "MLOAD", 1, 1, kVeryLow);
  set(op::MSTORE, "MSTORE", 2, 0, kVeryLow);
  set(op::MSTORE8, "MSTORE8", 2, 0, kVeryLow);
  set(op::SLOAD, "SLOAD", 1, 1, 0);
  set(op::SSTORE, "SSTORE", 2, 0, 0);
  set(op::JUMP, "JUMP", 1, 0, kMid);
  set(op::JUMPI, "JUMPI", 2, 0, kHigh);
  set(op::PC, "PC", 0, 1, kBase);
  set(op::MSIZE, "MSIZE", 0, 1, kBase);
  set(op::GAS, "GAS", 0, 1, kBase);
  set(op::JUMPDEST, "JUMPDEST", 0, 0, kJumpdest);
  set(op::TLOAD, "TLOAD", 1, 1, kWarmAccess, Fork::cancun);
  set(op::TSTORE, "TSTORE", 2, 0, kWarmAccess, Fork::cancun);
  set(op::MCOPY, "MCOPY", 3, 0, kVeryLow, Fork::cancun);
  set(op::PUSH0, "PUSH0", 0, 1, kBase);
  static const std::array<std::string, 32> push_names = [] {
    std::array<std::string, 32> names;
    for (int i = 0; i < 32; ++i) names[i] = "PUSH" + std::to_string(i + 1);
    return names;
  }();
  static const std::array<std::string, 16> dup_names = [] {
    std::array<std::string, 16> names;
    for (int i = 0; i < 16; ++i) names[i] = "DUP" + std::to_string(i + 1);
    return names;
  }();
  static const std::array<std::string, 16> swap_names = [] {
    std::array<std::string, 16> names;
    for (int i = 0; i < 16; ++i) names[i] = "SWAP" + std::to_string(i + 1);
    return names;
  }();
  for (int i = 0; i < 32; ++i) set(static_cast<std::uint8_t>(op::PUSH1 + i), push_names[i].c_str(), 0, 1, kVeryLow);
  for (int i = 0; i < 16; ++i) {
    set(static_cast<std::uint8_t>(op::DUP1 + i), dup_names[i].c_str(), i + 1, i + 2, kVeryLow);
    set(static_cast<std::uint8_t>(op::SWAP1 + i), swap_names[i].c_str(), i + 2, i + 2, kVeryLow);
  }
  static const std::array<const char*, 5> log_names = {"LOG0", "LOG1", "LOG2", "LOG3", "LOG4"};
  for (int i = 0; i < 5; ++i) set(static_cast<std::uint8_t>(op::LOG0 + i), log_names[i], 2 + i, 0, kLog + i * kLogTopic);
  set(op::CREATE, "CREATE", 3, 1, kCreate);
  set(op::CALL, "CALL", 7, 1, 0);
  set(op::CALLCODE, "CALLCODE", 7, 1, 0);
  set(op::RETURN, "RETURN", 2, 0, kZero);
  set(op::DELEGATECALL, "DELEGATECALL", 6, 1, 0);
  set(op::CREATE2, "CREATE2", 4, 1, kCreate);
  set(op::STATICCALL, "STATICCALL", 6, 1, 0);
  set(op::REVERT, "REVERT", 2, 0, kZero);
  set(op::INVALID, "INVALID", 0, 0, kZero);
  set(op::SELFDESTRUCT, "SELFDESTRUCT", 1, 0, kSelfdestruct);
  return t;
}

}  // namespace

const std::array<OpcodeInfo, 256>& opcode_table(Fork fork) {
  static const std::array<OpcodeInfo, 256> shanghai = make_table(Fork::shanghai);
  static const std::array<OpcodeInfo, 256> cancun = make_table(Fork::cancun);
  return fork == Fork::cancun ? cancun : shanghai;
}

}  // namespace cbsim::models::evm
