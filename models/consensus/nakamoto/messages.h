#pragma once
// Relay messages of Bitcoin's block propagation and their wire sizes
// (Bitcoin P2P protocol: 24-byte message header; BIP152 for compact blocks).

#include <array>
#include <cstdint>
#include <string_view>

#include "models/chain/block.h"

namespace cbsim::models::consensus::nakamoto {

using chain::BlockId;

enum class MsgKind : std::uint8_t { inv, getdata, block, cmpctblock, getblocktxn, blocktxn, count };

inline constexpr std::array<std::string_view, static_cast<std::size_t>(MsgKind::count)> kMsgKindNames = {
    "inv", "getdata", "block", "cmpctblock", "getblocktxn", "blocktxn"};

inline std::string_view name_of(MsgKind k) { return kMsgKindNames[static_cast<std::size_t>(k)]; }

struct Message {
  MsgKind kind = MsgKind::inv;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  BlockId block = chain::kNoBlock;
  std::uint32_t tx_count = 0;   // cmpctblock: short ids; getblocktxn/blocktxn: missing transactions
  std::uint64_t tx_bytes = 0;   // blocktxn: bytes of the missing transactions
  bool want_compact = false;    // getdata: MSG_CMPCT_BLOCK instead of MSG_BLOCK
};

// Serialised size in bytes, including the 24-byte P2P header.
std::uint64_t wire_size(const Message& m, const chain::Block& block);

}  // namespace cbsim::models::consensus::nakamoto
