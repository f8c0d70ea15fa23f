#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "models/consensus/nakamoto/double_spender.h"
#include "models/consensus/nakamoto/selfish_miner.h"

using namespace cbsim::models;
using namespace cbsim::models::consensus::nakamoto;
using chain::BlockId;
using chain::BlockStore;
using cbsim::test::ChainFixture;

TEST(SelfishMiner, WithholdsThenRevealsAsEyalAndSirerPrescribe) {
  ChainFixture f;
  SelfishMiner pool(f.store, BlockStore::genesis());
  const BlockId p1 = f.mine(pool.mining_parent(), {}, 1.0, 7);
  EXPECT_TRUE(pool.on_pool_block(p1).empty());  // lead 1: keep it
  const BlockId p2 = f.mine(p1, {}, 1.0, 7);
  EXPECT_TRUE(pool.on_pool_block(p2).empty());  // lead 2
  const BlockId p3 = f.mine(p2, {}, 1.0, 7);
  EXPECT_TRUE(pool.on_pool_block(p3).empty());  // lead 3
  EXPECT_EQ(pool.lead(), 3);
  const BlockId h1 = f.mine(BlockStore::genesis());
  EXPECT_EQ(pool.on_honest_block(h1), (std::vector<BlockId>{p1}));  // lead > 2: match their block
  const BlockId h2 = f.mine(h1);
  EXPECT_EQ(pool.on_honest_block(h2), (std::vector<BlockId>{p2, p3}));  // lead 2: publish all, win
  EXPECT_EQ(pool.lead(), 0);
  EXPECT_EQ(pool.unpublished(), 0u);
  EXPECT_EQ(pool.mining_parent(), p3);
}

TEST(SelfishMiner, TieRaceWonByThePoolOrLostToTheHonestMiners) {
  ChainFixture f;
  SelfishMiner pool(f.store, BlockStore::genesis());
  const BlockId p1 = f.mine(BlockStore::genesis(), {}, 1.0, 7);
  pool.on_pool_block(p1);
  const BlockId h1 = f.mine(BlockStore::genesis());
  EXPECT_EQ(pool.on_honest_block(h1), (std::vector<BlockId>{p1}));  // lead 1: publish, tie
  EXPECT_TRUE(pool.tie());
  EXPECT_EQ(pool.tie_pool_block(), p1);
  EXPECT_EQ(pool.tie_honest_block(), h1);
  const BlockId p2 = f.mine(p1, {}, 1.0, 7);
  EXPECT_EQ(pool.on_pool_block(p2), (std::vector<BlockId>{p2}));  // the pool extends its side: wins
  EXPECT_FALSE(pool.tie());

  SelfishMiner loser(f.store, BlockStore::genesis());
  loser.on_pool_block(p1);
  loser.on_honest_block(h1);
  const BlockId h2 = f.mine(h1);
  EXPECT_TRUE(loser.on_honest_block(h2).empty());  // honest side extended: adopt it
  EXPECT_EQ(loser.mining_parent(), h2);
  EXPECT_FALSE(loser.tie());
  // A late block on an outrun branch changes nothing.
  EXPECT_TRUE(loser.on_honest_block(f.mine(BlockStore::genesis())).empty());
  EXPECT_EQ(loser.mining_parent(), h2);
}

TEST(DoubleSpender, PreminesSendsThePaymentAndPublishesOnlyWhenAheadAfterAcceptance) {
  ChainFixture f;
  DoubleSpender attacker(f.store, {1, 5, 0.0});
  const BlockId tip = f.mine(BlockStore::genesis());
  EXPECT_FALSE(attacker.start_trial(tip, 0.0).broadcast_payment);
  const BlockId a1 = f.mine(tip, {}, 1.0, 9);
  EXPECT_TRUE(attacker.on_attacker_block(a1, tip).broadcast_payment);
  EXPECT_EQ(attacker.phase(), DoubleSpender::Phase::racing);
  const BlockId h1 = f.mine(tip);
  EXPECT_TRUE(attacker.on_public_tip(h1, 1.0).publish.empty());
  const BlockId a2 = f.mine(a1, {}, 1.0, 9);
  EXPECT_TRUE(attacker.on_attacker_block(a2, h1).publish.empty());  // ahead, but not yet accepted
  const auto decision = attacker.on_merchant_accepted(h1);
  EXPECT_EQ(decision.publish, (std::vector<BlockId>{a1, a2}));
  // Publishing again sends only what is new.
  const BlockId a3 = f.mine(a2, {}, 1.0, 9);
  EXPECT_EQ(attacker.on_attacker_block(a3, h1).publish, (std::vector<BlockId>{a3}));
}

TEST(DoubleSpender, RestartsPreminingWhenThePublicTipMovesAndGivesUpBehind) {
  ChainFixture f;
  DoubleSpender attacker(f.store, {2, 3, 0.0});
  attacker.start_trial(BlockStore::genesis(), 0.0);
  const BlockId a1 = f.mine(BlockStore::genesis(), {}, 1.0, 9);
  attacker.on_attacker_block(a1, BlockStore::genesis());
  const BlockId h1 = f.mine(BlockStore::genesis());
  attacker.on_public_tip(h1, 1.0);  // the tip moved: premining starts over on h1
  EXPECT_EQ(attacker.mining_parent(), h1);
  EXPECT_EQ(attacker.phase(), DoubleSpender::Phase::premining);
  const BlockId a2 = f.mine(h1, {}, 1.0, 9);
  EXPECT_FALSE(attacker.on_attacker_block(a2, h1).broadcast_payment);
  const BlockId a3 = f.mine(a2, {}, 1.0, 9);
  EXPECT_TRUE(attacker.on_attacker_block(a3, h1).broadcast_payment);
  auto honest = f.chain(h1, 5);  // public height 6 against private height 3
  EXPECT_FALSE(attacker.on_public_tip(honest[3], 2.0).gave_up);  // 5 vs 3: deficit 2
  EXPECT_TRUE(attacker.on_public_tip(honest[4], 3.0).gave_up);   // 6 vs 3: deficit 3
  EXPECT_EQ(attacker.phase(), DoubleSpender::Phase::failed);
}
