#pragma once
// A Bitcoin node's block relay as a state machine: it takes a message or the
// end of a validation and acts through its NodeEnvironment (send a message,
// start validating). No engine is involved, so it is unit-tested directly and
// driven by the simulator in sim/.
//
// Relay protocols:
//   inv:     inv -> getdata -> block
//   compact: inv -> getdata(cmpct) -> cmpctblock [-> getblocktxn -> blocktxn]
//            (BIP152 low-bandwidth mode: only transactions missing from the
//            node's mempool cross the network a second time)
// A block is announced to peers only once it is validated and has become the
// node's tip (Bitcoin Core relays its active chain, so a competing block of
// equal work is not relayed: first seen wins).

#include <cstdint>
#include <span>
#include <vector>

#include "models/chain/block_tree.h"
#include "models/chain/block_validator.h"
#include "models/chain/tx_pool.h"
#include "models/chain/validation_cost.h"
#include "models/consensus/nakamoto/messages.h"

namespace cbsim::models::consensus::nakamoto {

struct RelayConfig {
  bool compact = true;
  chain::ConsensusRules rules;
  chain::ValidationCostModel costs;
};

// Everything shared by the nodes of one run: the blocks and transactions
// (immutable once created) and the configuration.
struct SharedChain {
  chain::BlockStore& store;
  chain::TxPool& pool;
  const RelayConfig& config;
};

class NodeEnvironment {
public:
  virtual ~NodeEnvironment() = default;
  virtual double now() const = 0;
  virtual void send(const Message& m) = 0;
  // Runs `cycles` on the node's CPU; then calls RelayNode::on_validated(block).
  virtual void start_validation(std::uint32_t node, BlockId block, double cycles) = 0;
  // Transactions of `block` that have not reached `node`'s mempool yet.
  struct MissingTxs {
    std::uint32_t count = 0;
    std::uint64_t bytes = 0;
  };
  virtual MissingTxs missing_transactions(std::uint32_t node, BlockId block) const = 0;
  virtual void block_accepted(std::uint32_t node, BlockId block, const chain::AddOutcome& outcome) = 0;
  virtual void block_rejected(std::uint32_t node, BlockId block, const std::string& reason) = 0;
};

class RelayNode {
public:
  RelayNode(std::uint32_t id, std::span<const std::uint32_t> peers, const SharedChain& shared);

  void on_message(const Message& m, NodeEnvironment& env);
  // An announcement of `block` from `from` that will arrive at `arrival`
  // while the block is already requested: its only effect on arrival would be
  // to note the announcer, so the simulator may note it now and skip
  // delivering it. Returns false (nothing noted) if the block is not pending.
  bool note_announcement(BlockId block, std::uint32_t from, double arrival);
  void on_validated(BlockId block, NodeEnvironment& env);
  // A block this node just mined on its tip: stored and announced at once.
  void on_mined(BlockId block, NodeEnvironment& env);
  // A block this node releases from a private branch: stored and announced
  // even when it does not become the tip (an attacker's side of a tie).
  void on_published(BlockId block, NodeEnvironment& env);

  std::uint32_t id() const { return id_; }
  const chain::BlockTree& tree() const { return tree_; }
  std::span<const std::uint32_t> peers() const { return peers_; }
  std::size_t pending_count() const { return pending_.size(); }
  // The node's process restarted after a crash: downloads and validations in
  // progress are lost (blocks it already accepted are on disk and stay); the
  // next announcements make it fetch what it missed.
  void restart() { pending_.clear(); }

private:
  enum class Stage : std::uint8_t { requested, reconstructing, awaiting_parent, validating };
  struct Pending {
    BlockId block = chain::kNoBlock;
    std::uint32_t source = 0;             // the peer asked for the block
    Stage stage = Stage::requested;
    std::uint32_t missing_txs = 0;        // transactions fetched by getblocktxn (validated in full)
    // Peers that announced it, with when their announcement arrives: a block
    // is not announced back to a peer whose announcement has arrived.
    std::vector<std::pair<std::uint32_t, double>> announcers;
  };

  Pending* find(BlockId block);
  Pending& request(BlockId block, std::uint32_t from, NodeEnvironment& env);
  void on_inv(const Message& m, NodeEnvironment& env);
  void on_getdata(const Message& m, NodeEnvironment& env);
  void on_cmpctblock(const Message& m, NodeEnvironment& env);
  void on_getblocktxn(const Message& m, NodeEnvironment& env);
  void on_block_data(BlockId block, std::uint32_t from, std::uint32_t fetched_txs, NodeEnvironment& env);
  void start_validation(Pending& p, NodeEnvironment& env);
  void announce(BlockId block, const std::vector<std::uint32_t>& skip, NodeEnvironment& env);
  void erase(BlockId block);

  std::uint32_t id_;
  std::span<const std::uint32_t> peers_;
  const SharedChain* shared_;
  chain::BlockTree tree_;
  std::vector<Pending> pending_;  // few at a time: a linear scan beats a map
};

}  // namespace cbsim::models::consensus::nakamoto
