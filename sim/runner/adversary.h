#pragma once
// An attacker mining among the nodes of a Nakamoto run. The runner asks it
// where to mine, tells it what it found and what the nodes accept, and it acts
// through the AdversaryHost (publish blocks, create transactions, end the run).

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <nlohmann/json.hpp>

#include "models/chain/block_tree.h"
#include "models/chain/tx_pool.h"
#include "models/consensus/nakamoto/messages.h"
#include "models/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

class AdversaryHost {
public:
  virtual ~AdversaryHost() = default;
  virtual double now() const = 0;
  virtual const models::chain::BlockStore& store() const = 0;
  virtual models::chain::TxPool& pool() = 0;
  virtual const models::chain::TxPool& pool() const = 0;
  virtual const models::chain::BlockTree& tree_of(std::uint32_t node) const = 0;
  // The node's share of all hash power.
  virtual double hash_share(std::uint32_t node) const = 0;
  // The node releases a block of its private branch to its peers, or to
  // every node (the best-connected attacker Eyal & Sirer's gamma assumes).
  virtual void publish(std::uint32_t node, models::chain::BlockId block, bool to_every_node = false) = 0;
  // The node announces a block it holds to every other node (not only its peers).
  virtual void announce_to_every_node(std::uint32_t node, models::chain::BlockId block) = 0;
  // The node sends a whole block to one peer unasked (as BIP152's
  // high-bandwidth mode does), without adding it to its own chain.
  virtual void push_block(std::uint32_t from, std::uint32_t to, models::chain::BlockId block) = 0;
  // Sends the messages Adversary::intercept held, in the order they were held.
  virtual void release_held() = 0;
  // Mining stops (the attack has run all its trials); the run then drains.
  virtual void stop_mining() = 0;
};

// What an attacker that controls a node's connections does with a message
// crossing them (an eclipse).
struct Interception {
  enum class Fate : std::uint8_t { pass, delay, hold, drop };
  Fate fate = Fate::pass;
  double delay_s = 0.0;  // with Fate::delay
};

class Adversary {
public:
  Adversary(std::uint32_t node, AdversaryHost& host) : node_(node), host_(&host) {}
  virtual ~Adversary() = default;

  std::uint32_t node() const { return node_; }
  virtual void start() = 0;
  virtual models::chain::BlockId mining_parent() = 0;
  // The attacker found `block` on mining_parent(); it is not announced unless published.
  virtual void on_own_block(models::chain::BlockId block) = 0;
  // Any node accepted blocks (outcome.connected) into its tree.
  virtual void on_block_accepted(std::uint32_t node, const models::chain::AddOutcome& outcome) = 0;
  // Where an honest winner mines (its own tip unless the tie-breaking model says otherwise).
  virtual models::chain::BlockId honest_parent(std::uint32_t winner, models::random::Rng& rng) {
    (void)rng;
    return host_->tree_of(winner).tip();
  }
  // Every message between nodes passes here before it is sent.
  virtual Interception intercept(const models::consensus::nakamoto::Message& m) const {
    (void)m;
    return {};
  }
  // When `tx` reaches `node`, if the attacker decides it (an eclipsed victim
  // hears of transactions through the attacker); nullopt: ordinary relay.
  virtual std::optional<double> tx_arrival(std::uint32_t node, const models::chain::Transaction& tx) const {
    (void)node, (void)tx;
    return std::nullopt;
  }
  // Trials done and planned, for attacks whose run is counted in trials ({0, 0} otherwise).
  virtual std::pair<int, int> trials_progress() const { return {0, 0}; }
  // attack.* entries of metrics.json; `best_tip` ends the main chain.
  virtual nlohmann::json metrics(models::chain::BlockId best_tip) const = 0;

protected:
  std::uint32_t node_;
  AdversaryHost* host_;
};

// The adversary a scenario's attack section asks for (nullptr for kind "none").
std::unique_ptr<Adversary> make_adversary(const scenario::Scenario& s, std::uint32_t attacker, std::uint32_t victim,
                                          AdversaryHost& host);

}  // namespace cbsim::sim
