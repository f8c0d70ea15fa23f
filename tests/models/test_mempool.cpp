#include <gtest/gtest.h>

#include "chain_fixture.h"

using namespace cbsim::models::chain;
using cbsim::test::ChainFixture;

namespace {
constexpr double kRelayDelay = 2.0;
MempoolView view(const ChainFixture& f, BlockId tip, double now) {
  return MempoolView(f.pool, f.store, tip, now, [](const Transaction& tx) { return tx.created_s + kRelayDelay; });
}
}  // namespace

TEST(Mempool, SelectsByFeeRateUpToTheSizeLimit) {
  ChainFixture f;
  const TxIndex low = f.pool.add(0, 300, 1.0, 0.0);
  const TxIndex high = f.pool.add(0, 300, 50.0, 0.0);
  const TxIndex mid = f.pool.add(0, 300, 10.0, 0.0);
  const TxIndex big = f.pool.add(0, 1000, 30.0, 0.0);
  const auto chosen = view(f, BlockStore::genesis(), 10.0).select_for_block(900);
  // big does not fit once high is in; the greedy assembler skips it and keeps filling.
  EXPECT_EQ(chosen, (std::vector<TxIndex>{high, mid, low}));
  (void)big;
}

TEST(Mempool, ExcludesTransactionsNotYetArrivedAndThoseInTheChain) {
  ChainFixture f;
  const TxIndex early = f.pool.add(0, 250, 5.0, 0.0);
  const TxIndex late = f.pool.add(0, 250, 9.0, 9.5);  // reaches mempools at 11.5
  const BlockId b1 = f.mine(BlockStore::genesis(), {early});
  const auto at_genesis = view(f, BlockStore::genesis(), 10.0);
  EXPECT_TRUE(at_genesis.contains(f.pool.at(early)));
  EXPECT_FALSE(at_genesis.contains(f.pool.at(late)));
  const auto at_b1 = view(f, b1, 12.0);
  EXPECT_FALSE(at_b1.contains(f.pool.at(early)));
  EXPECT_TRUE(at_b1.contains(f.pool.at(late)));
  EXPECT_EQ(at_b1.select_for_block(10000), (std::vector<TxIndex>{late}));
}

TEST(TxPool, IncludingBlockIsTheOneOnTheGivenChain) {
  ChainFixture f;
  const TxIndex tx = f.pool.add(0, 250, 5.0, 0.0);
  const BlockId a = f.mine(BlockStore::genesis(), {tx});
  const BlockId b = f.mine(BlockStore::genesis(), {tx});
  const BlockId on_a = f.mine(a);
  EXPECT_EQ(including_block(f.store, f.pool.at(tx), on_a), a);
  EXPECT_EQ(including_block(f.store, f.pool.at(tx), b), b);
  EXPECT_EQ(including_block(f.store, f.pool.at(tx), BlockStore::genesis()), kNoBlock);
}

TEST(Mempool, AReorganizationReturnsTransactionsOfDisconnectedBlocks) {
  ChainFixture f;
  const TxIndex tx = f.pool.add(0, 250, 5.0, 0.0);
  const BlockId with_tx = f.mine(BlockStore::genesis(), {tx});
  const auto other = f.chain(BlockStore::genesis(), 2);  // heavier branch without tx
  EXPECT_FALSE(view(f, with_tx, 10.0).contains(f.pool.at(tx)));
  EXPECT_TRUE(view(f, other.back(), 10.0).contains(f.pool.at(tx)));
}

TEST(TxPool, FinalizedBlocksLeaveTheFeeIndex) {
  ChainFixture f;
  const TxIndex a = f.pool.add(0, 250, 5.0, 0.0);
  f.pool.add(0, 250, 6.0, 0.0);
  const BlockId b = f.mine(BlockStore::genesis(), {a});
  EXPECT_EQ(f.pool.pending_count(), 2u);
  f.pool.finalize(f.store.at(b));
  EXPECT_EQ(f.pool.pending_count(), 1u);
  EXPECT_EQ(f.pool.at(a).included_in, (std::vector<BlockId>{b}));
}

TEST(Mempool, NeverSelectsBothSidesOfADoubleSpendAndDropsTheLoserOnceTheOtherIsInTheChain) {
  ChainFixture f;
  const TxIndex pay = f.pool.add(1, 250, 50.0, 0.0);
  const TxIndex twin = f.pool.add(1, 250, 60.0, 0.0);
  f.pool.set_conflict(pay, twin);
  EXPECT_EQ(view(f, BlockStore::genesis(), 10.0).select_for_block(10000), (std::vector<TxIndex>{twin}));
  const BlockId with_pay = f.mine(BlockStore::genesis(), {pay});
  const auto after = view(f, with_pay, 10.0);
  EXPECT_FALSE(after.contains(f.pool.at(twin)));
  EXPECT_TRUE(after.conflict_in_chain(f.pool.at(twin)));
}
