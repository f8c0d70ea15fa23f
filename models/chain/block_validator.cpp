#include "models/chain/block_validator.h"

#include <unordered_set>

#include "models/crypto/merkle.h"

namespace cbsim::models::chain {

namespace {
Verdict reject(std::string reason) { return Verdict{false, std::move(reason)}; }
}  // namespace

Verdict check_block(const BlockStore& store, const TxPool& pool, BlockId id, const ConsensusRules& rules) {
  const Block& block = store.at(id);
  const BlockHeader& h = block.header;
  if (h.hash() != block.hash) return reject("header hash mismatch");
  if (crypto::leading_zero_bits(block.hash) < rules.pow_leading_zero_bits) return reject("insufficient proof of work");
  if (block.parent == kNoBlock || block.parent >= store.size()) return reject("unknown parent");
  const Block& parent = store.at(block.parent);
  if (h.parent_hash != parent.hash) return reject("parent hash mismatch");
  if (h.height != parent.header.height + 1) return reject("wrong height");
  if (h.cumulative_work != parent.header.cumulative_work + h.difficulty) return reject("wrong cumulative work");
  if (h.timestamp_us < parent.header.timestamp_us) return reject("timestamp before parent");
  if (block.size_bytes > rules.max_block_bytes) return reject("block exceeds size limit");

  std::vector<crypto::Hash256> ids;
  ids.reserve(block.transactions.size());
  std::uint64_t tx_bytes = 0;
  std::unordered_set<TxIndex> seen;
  for (TxIndex i : block.transactions) {
    if (i >= pool.size()) return reject("unknown transaction");
    const Transaction& tx = pool.at(i);
    if (!seen.insert(i).second) return reject("duplicate transaction");
    for (BlockId other : tx.included_in)
      if (other != id && store.is_ancestor(other, block.parent)) return reject("transaction already in the chain");
    if (tx.conflicts_with != kNoTx) {
      for (BlockId other : pool.at(tx.conflicts_with).included_in)
        if (other == id || store.is_ancestor(other, block.parent))
          return reject("double spend: conflicts with a transaction in the chain");
    }
    ids.push_back(tx.txid);
    tx_bytes += tx.size_bytes;
  }
  if (crypto::merkle_root(ids) != h.merkle_root) return reject("Merkle root mismatch");
  if (block_size_bytes(tx_bytes, ids.size()) != block.size_bytes) return reject("declared size mismatch");
  return {};
}

bool validate_block(BlockStore& store, const TxPool& pool, BlockId id, const ConsensusRules& rules) {
  Block& block = store.at_mut(id);
  if (block.validity == Validity::unknown) {
    const Verdict v = check_block(store, pool, id, rules);
    block.validity = v.valid ? Validity::valid : Validity::invalid;
    block.invalid_reason = v.reason;
  }
  return block.validity == Validity::valid;
}

}  // namespace cbsim::models::chain
