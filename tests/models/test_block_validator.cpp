#include <gtest/gtest.h>

#include "chain_fixture.h"

using namespace cbsim::models::chain;
using cbsim::test::ChainFixture;

TEST(BlockValidator, AcceptsHonestBlocks) {
  ChainFixture f;
  const TxIndex tx = f.pool.add(1, 400, 3.0, 0.0);
  const BlockId b = f.mine(BlockStore::genesis(), {tx});
  const Verdict v = check_block(f.store, f.pool, b, f.rules);
  EXPECT_TRUE(v.valid) << v.reason;
}

TEST(BlockValidator, RejectsEachKindOfTampering) {
  struct Case {
    const char* name;
    void (*tamper)(Block&);
    const char* reason;
  };
  const Case cases[] = {
      {"merkle", [](Block& b) { b.transactions.pop_back(); }, "Merkle root mismatch"},
      {"header", [](Block& b) { b.header.nonce ^= 0xFFFF; }, "header hash mismatch"},
      {"work", [](Block& b) { b.header.cumulative_work += 1; }, "header hash mismatch"},
      {"size", [](Block& b) { b.size_bytes += 1; }, "declared size mismatch"},
  };
  for (const Case& c : cases) {
    ChainFixture f;
    const TxIndex t1 = f.pool.add(1, 400, 3.0, 0.0);
    const TxIndex t2 = f.pool.add(1, 500, 4.0, 0.0);
    const BlockId b = f.mine(BlockStore::genesis(), {t1, t2});
    c.tamper(f.store.at_mut(b));
    const Verdict v = check_block(f.store, f.pool, b, f.rules);
    EXPECT_FALSE(v.valid) << c.name;
    EXPECT_EQ(v.reason, c.reason) << c.name;
  }
}

TEST(BlockValidator, RejectsADoubleSpendOfATransactionAlreadyInTheChain) {
  ChainFixture f;
  const TxIndex tx = f.pool.add(1, 400, 3.0, 0.0);
  const BlockId first = f.mine(BlockStore::genesis(), {tx});
  const BlockId again = f.mine(first, {tx});
  EXPECT_EQ(check_block(f.store, f.pool, again, f.rules).reason, "transaction already in the chain");
  // On a competing branch the same transaction is fine.
  const BlockId sibling = f.mine(BlockStore::genesis(), {tx});
  EXPECT_TRUE(check_block(f.store, f.pool, sibling, f.rules).valid);
}

TEST(BlockValidator, RejectsOversizedBlocksAndWeakProofOfWork) {
  ChainFixture f;
  const TxIndex tx = f.pool.add(1, 5000, 3.0, 0.0);
  const BlockId b = f.mine(BlockStore::genesis(), {tx});
  ConsensusRules small = f.rules;
  small.max_block_bytes = 1000;
  EXPECT_EQ(check_block(f.store, f.pool, b, small).reason, "block exceeds size limit");
  ConsensusRules hard = f.rules;
  hard.pow_leading_zero_bits = 40;
  EXPECT_EQ(check_block(f.store, f.pool, b, hard).reason, "insufficient proof of work");
}

TEST(BlockValidator, MemoisesTheVerdict) {
  ChainFixture f;
  const BlockId b = f.mine(BlockStore::genesis());
  EXPECT_EQ(f.store.at(b).validity, Validity::unknown);
  EXPECT_TRUE(validate_block(f.store, f.pool, b, f.rules));
  EXPECT_EQ(f.store.at(b).validity, Validity::valid);
}

TEST(BlockValidator, RejectsBothSidesOfADoubleSpendInOneChain) {
  ChainFixture f;
  const TxIndex pay = f.pool.add(1, 250, 50.0, 0.0);
  const TxIndex twin = f.pool.add(1, 250, 60.0, 0.0, false);
  f.pool.set_conflict(pay, twin);
  const BlockId with_pay = f.mine(BlockStore::genesis(), {pay});
  const BlockId then_twin = f.mine(with_pay, {twin});
  EXPECT_EQ(check_block(f.store, f.pool, then_twin, f.rules).reason,
            "double spend: conflicts with a transaction in the chain");
  const BlockId both = f.mine(BlockStore::genesis(), {pay, twin});
  EXPECT_FALSE(check_block(f.store, f.pool, both, f.rules).valid);
  // Each side is valid on its own branch: that is what a double-spend race is.
  const BlockId twin_branch = f.mine(BlockStore::genesis(), {twin});
  EXPECT_TRUE(check_block(f.store, f.pool, twin_branch, f.rules).valid);
  EXPECT_TRUE(check_block(f.store, f.pool, with_pay, f.rules).valid);
}
