#include "models/consensus/nakamoto/messages.h"

namespace cbsim::models::consensus::nakamoto {

namespace {
constexpr std::uint64_t kP2pHeader = 24;
constexpr std::uint64_t kInvEntry = 36;      // type (4) + hash (32)
constexpr std::uint64_t kShortIdBytes = 6;   // BIP152 SipHash short ids
constexpr std::uint64_t kBlockHashBytes = 32;

std::uint64_t compact_size(std::uint64_t n) { return n < 0xFD ? 1 : n <= 0xFFFF ? 3 : n <= 0xFFFFFFFFull ? 5 : 9; }
}  // namespace

std::uint64_t wire_size(const Message& m, const chain::Block& block) {
  switch (m.kind) {
    case MsgKind::inv:
    case MsgKind::getdata:
      return kP2pHeader + compact_size(1) + kInvEntry;
    case MsgKind::block:
      return kP2pHeader + block.size_bytes;
    case MsgKind::cmpctblock:
      // header + nonce + short ids + the coinbase as the one prefilled transaction
      return kP2pHeader + chain::kWireHeaderBytes + 8 + compact_size(m.tx_count) + kShortIdBytes * m.tx_count +
             compact_size(1) + compact_size(0) + chain::kCoinbaseBytes;
    case MsgKind::getblocktxn:
      // differentially encoded indexes: one byte each for blocks below 253 transactions apart
      return kP2pHeader + kBlockHashBytes + compact_size(m.tx_count) + m.tx_count;
    case MsgKind::blocktxn:
      return kP2pHeader + kBlockHashBytes + compact_size(m.tx_count) + m.tx_bytes;
    case MsgKind::count:
      break;
  }
  return kP2pHeader;
}

}  // namespace cbsim::models::consensus::nakamoto
