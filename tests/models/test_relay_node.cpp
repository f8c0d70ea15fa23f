#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "chain_fixture.h"
#include "models/consensus/nakamoto/relay_node.h"

using namespace cbsim::models;
using namespace cbsim::models::consensus::nakamoto;

namespace {

// Delivers messages and validations in FIFO order with no delay; records the
// message trace. A transaction is "missing" at a node if listed in `missing`.
class FakeNetwork final : public NodeEnvironment {
public:
  FakeNetwork(cbsim::test::ChainFixture& f, const RelayConfig& config, std::vector<std::vector<std::uint32_t>> adj)
      : adjacency_(std::move(adj)), shared_{f.store, f.pool, config} {
    for (std::uint32_t i = 0; i < adjacency_.size(); ++i) nodes.emplace_back(i, adjacency_[i], shared_);
  }

  double now() const override { return 0.0; }
  void send(const Message& m) override {
    trace.push_back(m);
    queue_.push_back([this, m] { nodes[m.to].on_message(m, *this); });
  }
  void start_validation(std::uint32_t node, chain::BlockId block, double cycles) override {
    cycles_[node] += cycles;
    queue_.push_back([this, node, block] { nodes[node].on_validated(block, *this); });
  }
  MissingTxs missing_transactions(std::uint32_t node, chain::BlockId) const override {
    const auto it = missing.find(node);
    return it == missing.end() ? MissingTxs{} : it->second;
  }
  void block_accepted(std::uint32_t node, chain::BlockId block, const chain::AddOutcome&) override {
    accepted.emplace_back(node, block);
  }
  void block_rejected(std::uint32_t node, chain::BlockId, const std::string& reason) override {
    rejected.emplace_back(node, reason);
  }

  void run() {
    while (!queue_.empty()) {
      auto task = std::move(queue_.front());
      queue_.pop_front();
      task();
    }
  }
  void discard() { queue_.clear(); }
  int count(MsgKind k) const {
    return static_cast<int>(std::count_if(trace.begin(), trace.end(), [k](const Message& m) { return m.kind == k; }));
  }
  double cycles(std::uint32_t node) const { return cycles_.count(node) ? cycles_.at(node) : 0.0; }

  std::vector<RelayNode> nodes;
  std::vector<Message> trace;
  std::vector<std::pair<std::uint32_t, chain::BlockId>> accepted;
  std::vector<std::pair<std::uint32_t, std::string>> rejected;
  std::map<std::uint32_t, MissingTxs> missing;

private:
  std::vector<std::vector<std::uint32_t>> adjacency_;
  SharedChain shared_;
  std::deque<std::function<void()>> queue_;
  std::map<std::uint32_t, double> cycles_;
};

RelayConfig config(bool compact) {
  RelayConfig c;
  c.compact = compact;
  c.rules = {1000000, 4};
  return c;
}

}  // namespace

TEST(RelayNode, CompactRelayReachesEveryNodeOfALine) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(true);
  FakeNetwork net(f, c, {{1}, {0, 2}, {1, 3}, {2}});
  const chain::TxIndex tx = f.pool.add(0, 400, 2.0, 0.0);
  const chain::BlockId b = f.mine(chain::BlockStore::genesis(), {tx});
  net.nodes[0].on_mined(b, net);
  net.run();
  for (const RelayNode& n : net.nodes) EXPECT_EQ(n.tree().tip(), b);
  // Each hop: inv, getdata, cmpctblock; no full block and nothing missing.
  EXPECT_EQ(net.count(MsgKind::inv), 3);
  EXPECT_EQ(net.count(MsgKind::getdata), 3);
  EXPECT_EQ(net.count(MsgKind::cmpctblock), 3);
  EXPECT_EQ(net.count(MsgKind::block), 0);
  EXPECT_EQ(net.count(MsgKind::getblocktxn), 0);
  for (const Message& m : net.trace) {
    if (m.kind == MsgKind::getdata) {
      EXPECT_TRUE(m.want_compact);
    }
  }
  for (const RelayNode& n : net.nodes) EXPECT_EQ(n.pending_count(), 0u);
}

TEST(RelayNode, MissingTransactionsAreFetchedAndValidatedInFull) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(true);
  FakeNetwork net(f, c, {{1}, {0}});
  const chain::BlockId b = f.mine(chain::BlockStore::genesis(), {f.pool.add(0, 400, 2.0, 0.0), f.pool.add(0, 300, 2.0, 0.0)});
  net.missing[1] = {1, 300};
  net.nodes[0].on_mined(b, net);
  net.run();
  EXPECT_EQ(net.nodes[1].tree().tip(), b);
  ASSERT_EQ(net.count(MsgKind::getblocktxn), 1);
  ASSERT_EQ(net.count(MsgKind::blocktxn), 1);
  const chain::Block& blk = f.store.at(b);
  EXPECT_DOUBLE_EQ(net.cycles(1), c.costs.block_cycles(blk.size_bytes, 2, 1));
  const Message& reply = net.trace.back();
  EXPECT_EQ(reply.kind, MsgKind::blocktxn);
  EXPECT_EQ(wire_size(reply, blk), 24u + 32u + 1u + 300u);
}

TEST(RelayNode, LegacyRelaySendsFullBlocksWithBitcoinWireSizes) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(false);
  FakeNetwork net(f, c, {{1}, {0}});
  const chain::BlockId b = f.mine(chain::BlockStore::genesis(), {f.pool.add(0, 400, 2.0, 0.0)});
  net.nodes[0].on_mined(b, net);
  net.run();
  ASSERT_EQ(net.count(MsgKind::block), 1);
  const chain::Block& blk = f.store.at(b);
  for (const Message& m : net.trace) {
    if (m.kind == MsgKind::inv || m.kind == MsgKind::getdata) {
      EXPECT_EQ(wire_size(m, blk), 61u);
    }
    if (m.kind == MsgKind::block) {
      EXPECT_EQ(wire_size(m, blk), 24u + 80u + 1u + 250u + 400u);
    }
  }
}

TEST(RelayNode, NoAnnouncementBackToThePeersThatAnnouncedIt) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(true);
  // Triangle: node 1 and 2 both hear from 0 and must not re-announce to 0.
  FakeNetwork net(f, c, {{1, 2}, {0, 2}, {0, 1}});
  const chain::BlockId b = f.mine(chain::BlockStore::genesis());
  net.nodes[0].on_mined(b, net);
  net.run();
  for (const Message& m : net.trace) {
    if (m.kind == MsgKind::inv) {
      EXPECT_NE(m.to, 0u);
    }
  }
  EXPECT_EQ(net.count(MsgKind::getdata), 2);  // each node fetched the block exactly once
}

TEST(RelayNode, ABlockArrivingBeforeItsParentWaitsAndFetchesTheParent) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(false);
  FakeNetwork net(f, c, {{1}, {0}});
  const chain::BlockId parent = f.mine(chain::BlockStore::genesis());
  const chain::BlockId child = f.mine(parent);
  net.nodes[0].on_mined(parent, net);
  net.nodes[0].on_mined(child, net);
  net.discard();  // node 1 hears of neither block...
  net.trace.clear();
  net.nodes[1].on_message(Message{MsgKind::block, 0, 1, child}, net);  // ...until the child arrives
  net.run();
  ASSERT_FALSE(net.trace.empty());
  EXPECT_EQ(net.trace.front().kind, MsgKind::getdata);
  EXPECT_EQ(net.trace.front().block, parent);
  EXPECT_EQ(net.nodes[1].tree().tip(), child);
  EXPECT_TRUE(net.nodes[1].tree().has(parent));
  EXPECT_EQ(net.nodes[1].pending_count(), 0u);
}

TEST(RelayNode, InvalidBlocksAreRejectedAndNotRelayed) {
  cbsim::test::ChainFixture f;
  const RelayConfig c = config(false);
  FakeNetwork net(f, c, {{1}, {0, 2}, {1}});
  const chain::BlockId b = f.mine(chain::BlockStore::genesis(), {f.pool.add(0, 400, 2.0, 0.0)});
  f.store.at_mut(b).transactions.clear();  // Merkle root no longer matches
  net.nodes[0].on_mined(b, net);
  net.run();
  ASSERT_EQ(net.rejected.size(), 1u);
  EXPECT_EQ(net.rejected[0].first, 1u);
  EXPECT_EQ(net.rejected[0].second, "Merkle root mismatch");
  EXPECT_FALSE(net.nodes[2].tree().has(b));
}
