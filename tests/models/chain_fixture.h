#pragma once
// Builds small chains of real blocks for the chain and consensus tests.

#include <vector>

#include "models/chain/block.h"
#include "models/chain/block_validator.h"
#include "models/chain/tx_pool.h"
#include "models/consensus/nakamoto/mining.h"

namespace cbsim::test {

struct ChainFixture {
  models::chain::BlockStore store;
  models::chain::TxPool pool;
  models::chain::ConsensusRules rules{1000000, 4};

  // Mines a block on `parent` containing `txs`, with difficulty 1 unless given.
  models::chain::BlockId mine(models::chain::BlockId parent, std::vector<models::chain::TxIndex> txs = {},
                              double difficulty = 1.0, std::uint32_t miner = 0) {
    const double t = store.at(parent).mined_s + 1.0;
    return models::consensus::nakamoto::mine_block(store, pool, parent, std::move(txs), miner, t, difficulty,
                                                   rules.pow_leading_zero_bits);
  }
  // A chain of `length` blocks on `parent`; returns the ids, parent first.
  std::vector<models::chain::BlockId> chain(models::chain::BlockId parent, int length) {
    std::vector<models::chain::BlockId> ids;
    for (int i = 0; i < length; ++i) ids.push_back(parent = mine(parent));
    return ids;
  }
};

}  // namespace cbsim::test
