#pragma once
// Every transaction of a run, and each node's mempool as a view of them.
//
// A node's mempool holds the transactions that have reached it and are not in
// its current best chain. Storing that set per node costs O(nodes x pending)
// memory (gigabytes at 10,000 nodes), so the pool stores each transaction once,
// indexed by fee rate, and a node's mempool is computed from three facts: when
// the transaction reaches the node, which blocks include it, and the node's tip.
// After a reorganisation, transactions of disconnected blocks reappear in the
// view automatically, exactly as a real node re-adds them to its mempool.

#include <functional>
#include <set>
#include <vector>

#include "models/chain/block.h"
#include "models/chain/transaction.h"

namespace cbsim::models::chain {

class TxPool {
public:
  TxIndex add(std::uint32_t origin, std::uint32_t size_bytes, double fee_rate, double created_s,
              bool broadcast = true);
  // Marks two transactions as spending the same coins.
  void set_conflict(TxIndex a, TxIndex b);
  const Transaction& at(TxIndex i) const { return txs_[i]; }
  std::size_t size() const { return txs_.size(); }
  const std::vector<Transaction>& all() const { return txs_; }

  // Records that `block` contains its transactions (called once per new block).
  void record_inclusion(const Block& block);

  // Drops a block's transactions from the fee index once the block is in every
  // node's chain (below the common ancestor of all tips), so they can never
  // return to any mempool. Keeps block assembly proportional to pending work.
  void finalize(const Block& block);
  // Drops one transaction from the fee index for good (a double spend whose
  // twin won, or an attacker's abandoned twin): it can never be mined again.
  void retire(TxIndex tx) { by_fee_.erase({-txs_[tx].fee_rate, tx}); }
  std::size_t pending_count() const { return by_fee_.size(); }

  // Transactions in descending fee-rate order (ties: earlier first).
  template <class Visitor>
  void for_each_by_fee(Visitor&& visit) const {
    for (const auto& [neg_fee, index] : by_fee_)
      if (!visit(txs_[index])) return;
  }

private:
  std::vector<Transaction> txs_;
  std::set<std::pair<double, TxIndex>> by_fee_;  // (-fee_rate, index)
};

// The block on the chain ending at `tip` that holds `tx`, or kNoBlock.
BlockId including_block(const BlockStore& store, const Transaction& tx, BlockId tip);

// One node's mempool: a view of the pool from a tip at a time.
class MempoolView {
public:
  // arrival(tx) is the time the transaction reaches this node.
  MempoolView(const TxPool& pool, const BlockStore& store, BlockId tip, double now,
              std::function<double(const Transaction&)> arrival);

  bool has_arrived(const Transaction& tx) const { return arrival_(tx) <= now_; }
  bool in_chain(const Transaction& tx) const;
  bool contains(const Transaction& tx) const { return has_arrived(tx) && !in_chain(tx) && !conflict_in_chain(tx); }
  bool conflict_in_chain(const Transaction& tx) const;

  // Highest-fee-rate transactions whose total size fits in `max_tx_bytes`
  // (greedy by fee rate, skipping those that do not fit, as Bitcoin Core's
  // block assembler does without ancestor packages).
  std::vector<TxIndex> select_for_block(std::uint64_t max_tx_bytes) const;

private:
  // The tip's most recent ancestors by height: most transactions a miner
  // checks sit in recent blocks, and this turns "is that block in my chain"
  // into one comparison instead of a walk through the store.
  static constexpr std::uint32_t kRecentWindow = 128;
  bool on_chain(BlockId block) const;

  const TxPool& pool_;
  const BlockStore& store_;
  BlockId tip_;
  std::uint32_t tip_height_ = 0;
  std::vector<BlockId> recent_;  // recent_[k]: the ancestor at height tip_height_ - k
  double now_;
  std::function<double(const Transaction&)> arrival_;
};

}  // namespace cbsim::models::chain
