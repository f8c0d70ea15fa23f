#pragma once
// Blocks with real headers, hash-linked by double SHA-256, and the store that
// owns them. Blocks are immutable once created; every node's BlockTree refers
// to them by BlockId instead of copying them (a node's view is which blocks it
// holds and which one is its tip, exactly what distinguishes real nodes).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/chain/transaction.h"
#include "models/crypto/hash.h"

namespace cbsim::models::chain {

struct BlockHeader {
  std::uint32_t version = 1;
  crypto::Hash256 parent_hash{};
  crypto::Hash256 merkle_root{};
  std::uint64_t timestamp_us = 0;  // simulated time the block was mined, microseconds
  std::uint32_t height = 0;
  std::uint32_t miner = 0;
  double difficulty = 1.0;         // expected hashes per block, in units of the base difficulty
  double cumulative_work = 0.0;    // sum of difficulty from genesis to this block
  std::uint64_t nonce = 0;
  // The EVM state root after the block's contract calls, in chains that run
  // contracts (as in Ethereum's header); absent, and not hashed, otherwise.
  std::optional<crypto::Hash256> state_root;

  crypto::Hash256 hash() const;    // SHA-256d of the canonical serialisation
};

// Bitcoin's wire sizes, used for protocol-accurate message sizes.
inline constexpr std::uint32_t kWireHeaderBytes = 80;
inline constexpr std::uint32_t kCoinbaseBytes = 250;

enum class Validity : std::uint8_t { unknown, valid, invalid };

struct Block {
  BlockId id = kNoBlock;
  BlockId parent = kNoBlock;
  BlockId skip = kNoBlock;          // an ancestor further back, for O(log n) ancestor queries
  BlockHeader header;
  crypto::Hash256 hash{};
  std::vector<TxIndex> transactions;
  std::uint64_t size_bytes = 0;     // serialised size: header, coinbase, transactions
  double mined_s = 0.0;
  Validity validity = Validity::unknown;  // memo: validity is a pure function of content and ancestry
  std::string invalid_reason;
};

class BlockStore {
public:
  BlockStore();  // creates the genesis block (id 0)

  static constexpr BlockId genesis() { return 0; }
  const Block& at(BlockId id) const { return blocks_[id]; }
  Block& at_mut(BlockId id) { return blocks_[id]; }
  std::size_t size() const { return blocks_.size(); }

  // Adds a block after filling in its id, parent link, skip pointer, hash; the
  // header must already carry its nonce. Returns the new id.
  BlockId add(Block block);

  // The ancestor of `id` at `height` (id itself if equal), kNoBlock if above it.
  BlockId ancestor(BlockId id, std::uint32_t height) const;
  // True if `a` is `b` or an ancestor of `b`.
  bool is_ancestor(BlockId a, BlockId b) const;
  // Last common ancestor of two blocks.
  BlockId fork_point(BlockId a, BlockId b) const;
  // For every block, whether it lies on the chain ending at `tip` (indexed by BlockId).
  std::vector<char> chain_membership(BlockId tip) const;

private:
  std::vector<Block> blocks_;
};

// Serialised block size for a set of transaction sizes (header, tx count varint, coinbase, transactions).
std::uint64_t block_size_bytes(std::uint64_t tx_bytes, std::size_t tx_count);

}  // namespace cbsim::models::chain
