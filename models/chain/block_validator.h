#pragma once
// Consensus rules a node checks on every block it receives. The verdict is a
// pure function of the block and its ancestry, so it is computed once per
// block and memoised in the store; every node that receives the block is still
// charged the CPU time of validating it (see models/chain/validation_cost.h).

#include <string>

#include "models/chain/block.h"
#include "models/chain/tx_pool.h"

namespace cbsim::models::chain {

struct ConsensusRules {
  std::uint64_t max_block_bytes = 1000000;
  int pow_leading_zero_bits = 8;
};

struct Verdict {
  bool valid = true;
  std::string reason;
};

// Checks: header hash, proof of work, hash link to the parent, height,
// cumulative work, Merkle root, size limit, no transaction twice in the block
// and none already in an ancestor, and no transaction whose conflicting twin
// is in the block or the chain (no double spend).
Verdict check_block(const BlockStore& store, const TxPool& pool, BlockId id, const ConsensusRules& rules);

// check_block, memoised in the store.
bool validate_block(BlockStore& store, const TxPool& pool, BlockId id, const ConsensusRules& rules);

}  // namespace cbsim::models::chain
