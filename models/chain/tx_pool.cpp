#include "models/chain/tx_pool.h"

#include <algorithm>

namespace cbsim::models::chain {

TxIndex TxPool::add(std::uint32_t origin, std::uint32_t size_bytes, double fee_rate, double created_s,
                    bool broadcast) {
  Transaction tx;
  tx.broadcast = broadcast;
  tx.index = static_cast<TxIndex>(txs_.size());
  tx.origin = origin;
  tx.size_bytes = size_bytes;
  tx.fee_rate = fee_rate;
  tx.created_s = created_s;
  tx.txid = compute_txid(tx.index, origin, size_bytes, fee_rate, created_s);
  txs_.push_back(std::move(tx));
  by_fee_.emplace(-fee_rate, txs_.back().index);
  return txs_.back().index;
}

void TxPool::set_conflict(TxIndex a, TxIndex b) {
  txs_[a].conflicts_with = b;
  txs_[b].conflicts_with = a;
}

void TxPool::record_inclusion(const Block& block) {
  for (TxIndex i : block.transactions) txs_[i].included_in.push_back(block.id);
}

void TxPool::finalize(const Block& block) {
  for (TxIndex i : block.transactions) by_fee_.erase({-txs_[i].fee_rate, i});
}

BlockId including_block(const BlockStore& store, const Transaction& tx, BlockId tip) {
  for (BlockId b : tx.included_in)
    if (store.is_ancestor(b, tip)) return b;
  return kNoBlock;
}

MempoolView::MempoolView(const TxPool& pool, const BlockStore& store, BlockId tip, double now,
                         std::function<double(const Transaction&)> arrival)
    : pool_(pool), store_(store), tip_(tip), now_(now), arrival_(std::move(arrival)) {
  tip_height_ = store_.at(tip_).header.height;
  for (BlockId b = tip_; b != kNoBlock && recent_.size() < kRecentWindow; b = store_.at(b).parent) recent_.push_back(b);
}

bool MempoolView::on_chain(BlockId block) const {
  const std::uint32_t h = store_.at(block).header.height;
  if (h > tip_height_) return false;
  const std::uint32_t depth = tip_height_ - h;
  return depth < recent_.size() ? recent_[depth] == block : store_.is_ancestor(block, tip_);
}

bool MempoolView::in_chain(const Transaction& tx) const {
  for (BlockId b : tx.included_in)
    if (on_chain(b)) return true;
  return false;
}

bool MempoolView::conflict_in_chain(const Transaction& tx) const {
  return tx.conflicts_with != kNoTx && in_chain(pool_.at(tx.conflicts_with));
}

std::vector<TxIndex> MempoolView::select_for_block(std::uint64_t max_tx_bytes) const {
  std::vector<TxIndex> chosen;
  std::vector<TxIndex> chosen_conflicts;  // a block cannot hold both sides of a double spend
  std::uint64_t used = 0;
  // The smallest transaction bounds how long it is worth scanning once nearly full.
  constexpr std::uint64_t kMinUsefulSpace = 60;
  pool_.for_each_by_fee([&](const Transaction& tx) {
    if (used + tx.size_bytes <= max_tx_bytes && contains(tx) &&
        std::find(chosen_conflicts.begin(), chosen_conflicts.end(), tx.index) == chosen_conflicts.end()) {
      chosen.push_back(tx.index);
      if (tx.conflicts_with != kNoTx) chosen_conflicts.push_back(tx.conflicts_with);
      used += tx.size_bytes;
    }
    return max_tx_bytes - used >= kMinUsefulSpace;
  });
  return chosen;
}

}  // namespace cbsim::models::chain
