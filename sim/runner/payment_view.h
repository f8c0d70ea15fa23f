#pragma once
// What a node's chain says about a payment: whether it holds a transaction,
// and whether it holds it deep enough for a merchant to accept.

#include "models/chain/tx_pool.h"
#include "sim/runner/adversary.h"

namespace cbsim::sim {

inline bool chain_holds(const AdversaryHost& host, std::uint32_t node, models::chain::TxIndex tx) {
  return models::chain::including_block(host.store(), host.pool().at(tx), host.tree_of(node).tip()) !=
         models::chain::kNoBlock;
}

// The transaction is in `node`'s chain with at least `confirmations` blocks
// counting its own (a merchant's acceptance rule).
inline bool chain_confirms(const AdversaryHost& host, std::uint32_t node, models::chain::TxIndex tx,
                           int confirmations) {
  const models::chain::BlockStore& store = host.store();
  const models::chain::BlockId tip = host.tree_of(node).tip();
  const models::chain::BlockId b =
      models::chain::including_block(store, host.pool().at(tx), tip);
  if (b == models::chain::kNoBlock) return false;
  const auto depth = store.at(tip).header.height - store.at(b).header.height + 1;
  return static_cast<int>(depth) >= confirmations;
}

}  // namespace cbsim::sim
