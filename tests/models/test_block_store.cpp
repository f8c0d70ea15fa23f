#include <gtest/gtest.h>

#include "chain_fixture.h"

using namespace cbsim::models::chain;
using cbsim::test::ChainFixture;

TEST(BlockStore, BlocksAreHashLinkedToTheirParent) {
  ChainFixture f;
  const auto ids = f.chain(BlockStore::genesis(), 5);
  BlockId parent = BlockStore::genesis();
  for (BlockId id : ids) {
    const Block& b = f.store.at(id);
    EXPECT_EQ(b.header.parent_hash, f.store.at(parent).hash);
    EXPECT_EQ(b.hash, b.header.hash());
    EXPECT_EQ(b.header.height, f.store.at(parent).header.height + 1);
    EXPECT_GE(cbsim::models::crypto::leading_zero_bits(b.hash), f.rules.pow_leading_zero_bits);
    parent = id;
  }
}

TEST(BlockStore, AncestorQueriesOnALongChainAndAcrossForks) {
  ChainFixture f;
  const auto main = f.chain(BlockStore::genesis(), 300);
  const auto fork = f.chain(main[99], 20);  // branches off at height 100
  for (std::uint32_t h : {0u, 1u, 57u, 100u, 255u, 299u, 300u})
    EXPECT_EQ(f.store.at(f.store.ancestor(main.back(), h)).header.height, h);
  EXPECT_EQ(f.store.ancestor(main.back(), 100), main[99]);
  EXPECT_EQ(f.store.ancestor(fork.back(), 100), main[99]);
  EXPECT_EQ(f.store.ancestor(fork.back(), 101), fork[0]);
  EXPECT_EQ(f.store.ancestor(main[10], 12), kNoBlock);
  EXPECT_TRUE(f.store.is_ancestor(main[99], fork.back()));
  EXPECT_FALSE(f.store.is_ancestor(main[100], fork.back()));
  EXPECT_EQ(f.store.fork_point(main.back(), fork.back()), main[99]);
  EXPECT_EQ(f.store.fork_point(main[50], main[200]), main[50]);
  const std::vector<char> on_fork = f.store.chain_membership(fork.back());
  EXPECT_TRUE(on_fork[BlockStore::genesis()] && on_fork[main[99]] && on_fork[fork[0]]);
  EXPECT_FALSE(on_fork[main[100]]);
}

TEST(BlockStore, HeaderHashChangesWithAnyField) {
  ChainFixture f;
  const BlockId id = f.mine(BlockStore::genesis());
  BlockHeader h = f.store.at(id).header;
  const auto original = h.hash();
  h.nonce++;
  EXPECT_NE(h.hash(), original);
  h = f.store.at(id).header;
  h.merkle_root[3] ^= 1;
  EXPECT_NE(h.hash(), original);
}
