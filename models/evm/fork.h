#pragma once
// The hard forks whose rules the EVM implements, and the gas schedule they
// share. Values from ethereum/execution-specs (forks/shanghai, forks/cancun):
// EIP-2929 warm/cold access, EIP-3529 refunds, EIP-3860 initcode limits,
// EIP-1153 transient storage, EIP-5656 MCOPY, EIP-6780 SELFDESTRUCT.

#include <cstdint>
#include <optional>
#include <string_view>

namespace cbsim::models::evm {

enum class Fork : std::uint8_t { shanghai, cancun };

// "Shanghai", "Cancun" as in the state tests' post sections.
std::optional<Fork> fork_from_name(std::string_view name);
std::string_view fork_name(Fork fork);

namespace gas {
inline constexpr std::int64_t kZero = 0, kJumpdest = 1, kBase = 2, kVeryLow = 3, kLow = 5, kMid = 8, kHigh = 10;
inline constexpr std::int64_t kWarmAccess = 100;     // EIP-2929: warm account or storage slot
inline constexpr std::int64_t kColdSload = 2100;
inline constexpr std::int64_t kColdAccountAccess = 2600;
inline constexpr std::int64_t kSstoreSet = 20000;
inline constexpr std::int64_t kSstoreReset = 5000 - kColdSload;  // 2900
inline constexpr std::int64_t kSstoreClearsRefund = kSstoreReset + 1900;  // EIP-3529: 4800
inline constexpr std::int64_t kCallStipend = 2300;   // also SSTORE's sentry
inline constexpr std::int64_t kCallValue = 9000;
inline constexpr std::int64_t kNewAccount = 25000;
inline constexpr std::int64_t kCreate = 32000;
inline constexpr std::int64_t kCodeDepositPerByte = 200;
inline constexpr std::int64_t kInitcodeWord = 2;     // EIP-3860
inline constexpr std::int64_t kExp = 10, kExpPerByte = 50;
inline constexpr std::int64_t kMemoryWord = 3, kQuadCoeffDiv = 512;
inline constexpr std::int64_t kKeccak = 30, kKeccakWord = 6;
inline constexpr std::int64_t kCopyWord = 3;
inline constexpr std::int64_t kLog = 375, kLogTopic = 375, kLogByte = 8;
inline constexpr std::int64_t kSelfdestruct = 5000;
inline constexpr std::int64_t kBlockhash = 20;
inline constexpr std::int64_t kTransaction = 21000, kTransactionCreate = 32000;
inline constexpr std::int64_t kTxDataZero = 4, kTxDataNonZero = 16;
inline constexpr std::int64_t kAccessListAddress = 2400, kAccessListStorageKey = 1900;
inline constexpr std::int64_t kMaxRefundQuotient = 5;  // EIP-3529: refund <= gas used / 5
}  // namespace gas

inline constexpr std::size_t kMaxCodeSize = 24576;                // EIP-170
inline constexpr std::size_t kMaxInitcodeSize = 2 * kMaxCodeSize;  // EIP-3860
inline constexpr int kMaxCallDepth = 1024;
inline constexpr std::size_t kStackLimit = 1024;

}  // namespace cbsim::models::evm
