#include <gtest/gtest.h>

#include "chain_fixture.h"
#include "models/chain/block_tree.h"

using namespace cbsim::models::chain;
using cbsim::test::ChainFixture;

TEST(BlockTree, ExtendsTheTipInOrder) {
  ChainFixture f;
  BlockTree tree(f.store);
  const auto ids = f.chain(BlockStore::genesis(), 3);
  for (BlockId id : ids) {
    const AddOutcome out = tree.add(id);
    EXPECT_EQ(out.kind, AddKind::extended);
    EXPECT_EQ(out.new_tip, id);
  }
  EXPECT_EQ(tree.height(), 3u);
  EXPECT_EQ(tree.add(ids[1]).kind, AddKind::duplicate);
}

TEST(BlockTree, FirstSeenWinsATieAndMoreWorkReorganizes) {
  ChainFixture f;
  BlockTree tree(f.store);
  const auto a = f.chain(BlockStore::genesis(), 2);
  const auto b = f.chain(a[0], 1);  // competes with a[1] at height 2
  tree.add(a[0]);
  tree.add(a[1]);
  EXPECT_EQ(tree.add(b[0]).kind, AddKind::side_branch);
  EXPECT_EQ(tree.tip(), a[1]);
  const BlockId b2 = f.mine(b[0]);
  const AddOutcome out = tree.add(b2);
  EXPECT_EQ(out.kind, AddKind::reorganized);
  EXPECT_EQ(out.reorg_depth, 1u);
  EXPECT_EQ(out.old_tip, a[1]);
  EXPECT_EQ(tree.tip(), b2);
}

TEST(BlockTree, ForkChoiceFollowsWorkNotHeight) {
  ChainFixture f;
  BlockTree tree(f.store);
  const auto light = f.chain(BlockStore::genesis(), 3);        // work 3
  const BlockId heavy = f.mine(BlockStore::genesis(), {}, 5.0);  // one block of work 5
  for (BlockId id : light) tree.add(id);
  const AddOutcome out = tree.add(heavy);
  EXPECT_EQ(out.kind, AddKind::reorganized);
  EXPECT_EQ(out.reorg_depth, 3u);
  EXPECT_EQ(tree.tip(), heavy);
}

TEST(BlockTree, BuffersOrphansUntilTheirParentArrives) {
  ChainFixture f;
  BlockTree tree(f.store);
  const auto ids = f.chain(BlockStore::genesis(), 4);
  EXPECT_EQ(tree.add(ids[3]).kind, AddKind::orphaned);
  EXPECT_EQ(tree.add(ids[2]).kind, AddKind::orphaned);
  EXPECT_EQ(tree.add(ids[2]).kind, AddKind::duplicate);
  EXPECT_EQ(tree.orphan_count(), 2u);
  EXPECT_FALSE(tree.has(ids[3]));
  EXPECT_EQ(tree.missing_parent_of(ids[3]), ids[1]);
  EXPECT_EQ(tree.add(ids[0]).kind, AddKind::extended);
  const AddOutcome out = tree.add(ids[1]);
  EXPECT_EQ(out.kind, AddKind::extended);
  EXPECT_EQ(out.connected.size(), 3u);
  EXPECT_EQ(out.connected.front(), ids[1]);
  EXPECT_EQ(tree.tip(), ids[3]);
  EXPECT_EQ(tree.orphan_count(), 0u);
}
