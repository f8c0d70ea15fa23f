#include "sim/runner/nakamoto_simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "models/chain/block_validator.h"
#include "models/chain/tx_pool.h"
#include "models/consensus/nakamoto/mining.h"
#include "models/consensus/nakamoto/relay_node.h"
#include "models/network/regions.h"
#include "models/network/topology.h"
#include "models/random/rng.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/allocation/allocation_experiment.h"
#include "sim/engine/event_loop.h"
#include "sim/faults/fault_plan.h"
#include "sim/metrics/chain_report.h"
#include "sim/metrics/propagation_tracker.h"
#include "sim/net/network_setup.h"
#include "sim/net/transport.h"
#include "sim/output/csv_table.h"
#include "sim/cloud/node_hosting.h"
#include "sim/cloud/cloud_deployment.h"
#include "sim/runner/adversary.h"
#include "sim/runner/contract_ledger.h"
#include "sim/runner/message_slab.h"
#include "sim/runner/overlay.h"
#include "sim/runner/transaction_source.h"

namespace cbsim::sim {

namespace chain = models::chain;
namespace nakamoto = models::consensus::nakamoto;
namespace network = models::network;
using models::random::Rng;

namespace {

// kDelayedSend: a message held back (eclipse delay, degraded link) enters the
// network; its size rides in the event's target. kFaultChange: a fault starts or ends.
enum EventType : std::uint32_t {
  kDeliver, kFlowStart, kValidated, kMine, kTransaction, kDelayedSend, kFaultChange, kContractCall,
  kAllocationCall
};

// Broadcast times of a block's transactions, sorted, with suffix byte sums, so
// that "which of them has node X not seen yet" is a binary search (a node sees
// a transaction a fixed per-node delay after its broadcast).
struct BlockTxArrivals {
  std::vector<double> created_sorted;
  std::vector<std::uint64_t> bytes_from;  // bytes_from[i] = bytes of transactions i.. in sorted order
  // Transactions kept private by their origin (an attacker's double spend):
  // missing at every other node whatever the time.
  std::uint32_t origin = 0;
  std::uint32_t private_count = 0;
  std::uint64_t private_bytes = 0;
};

class NakamotoSimulation final : public nakamoto::NodeEnvironment, public AdversaryHost {
public:
  NakamotoSimulation(const scenario::Scenario& s, ProgressListener* progress)
      : scenario_(s), progress_(progress), tracker_(static_cast<std::size_t>(s.nodes.count)) {
    build_network();
    build_nodes();
  }

  RunResult run();

  // NodeEnvironment
  double now() const override { return loop_->now(); }
  void send(const nakamoto::Message& m) override;
  void start_validation(std::uint32_t node, chain::BlockId block, double cycles) override;
  MissingTxs missing_transactions(std::uint32_t node, chain::BlockId block) const override;
  void block_accepted(std::uint32_t node, chain::BlockId block, const chain::AddOutcome& outcome) override;
  void block_rejected(std::uint32_t node, chain::BlockId block, const std::string& reason) override;

  // AdversaryHost
  const chain::BlockStore& store() const override { return store_; }
  chain::TxPool& pool() override { return pool_; }
  const chain::TxPool& pool() const override { return pool_; }
  const chain::BlockTree& tree_of(std::uint32_t node) const override { return nodes_[node].tree(); }
  double hash_share(std::uint32_t node) const override { return hash_share_[node]; }
  void publish(std::uint32_t node, chain::BlockId block, bool to_every_node) override;
  void announce_to_every_node(std::uint32_t node, chain::BlockId block) override;
  void push_block(std::uint32_t from, std::uint32_t to, chain::BlockId block) override;
  void release_held() override;
  void stop_mining() override;

private:
  void place_adversary();
  void build_network();
  void build_nodes();
  void handle(const Event& e);
  void schedule_next_block();
  void mine();
  double mining_weight(std::uint32_t node) const {
    return down_[node] ? 0.0 : hash_share_[node] / next_difficulty_[node];
  }
  void on_fault_change();
  void emit_contract_call();
  void emit_allocation_call(std::uint32_t call);
  void report_allocation(RunResult& result, chain::BlockId best_tip, const std::vector<chain::BlockId>& node_tips);
  bool fault_takes(const nakamoto::Message& m, std::uint64_t bytes);
  void finalize_common_prefix();
  void report_progress();
  // Transactions reach node i relay_delay_[i] after their broadcast. The
  // per-node delays differ (uniform in [0.5, 1.5] x transactions.relay_delay_s)
  // so a miner's block can hold transactions a receiver has not seen yet,
  // which is what makes compact-block reconstruction fetch missing ones.
  double tx_arrival(const chain::Transaction& tx, std::uint32_t node) const {
    if (adversary_)
      if (const std::optional<double> t = adversary_->tx_arrival(node, tx)) return *t;
    if (!tx.broadcast) return node == tx.origin ? tx.created_s : std::numeric_limits<double>::infinity();
    return tx.created_s + relay_delay_[node];
  }

  const scenario::Scenario& scenario_;
  ProgressListener* progress_;
  std::size_t n_ = 0;

  network::Topology topology_;
  std::vector<std::uint32_t> node_region_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<Transport> transport_;

  chain::BlockStore store_;
  chain::TxPool pool_;
  nakamoto::RelayConfig relay_config_;
  std::unique_ptr<nakamoto::SharedChain> shared_;
  std::vector<nakamoto::RelayNode> nodes_;
  std::vector<double> cpu_busy_until_;
  std::vector<double> relay_delay_;

  std::vector<double> hash_share_;
  std::vector<double> race_weight_;      // hash share / difficulty of the miner's next block (0 while crashed)
  std::vector<double> next_difficulty_;
  double race_total_ = 0.0;
  std::uint64_t race_generation_ = 0;
  nakamoto::RetargetRule retarget_;
  Rng mining_rng_{0};

  std::unique_ptr<CloudDeployment> cloud_;  // the nodes' VMs, hosts and provisioning
  std::unique_ptr<FaultPlan> faults_;
  // Contract calls (contracts.workload): their EVM state per block, and the
  // validation cycles spent executing them against all validation cycles.
  std::unique_ptr<ContractLedger> contracts_;
  Rng contract_call_rng_{0};
  // The allocation experiment's contract mechanisms (then the ledger's calls):
  // each call a transaction sent at its time from a node drawn from the seed.
  std::shared_ptr<AllocationContracts> allocation_;
  Rng allocation_call_rng_{0};
  double execution_cycles_ = 0.0;
  double validation_cycles_ = 0.0;
  std::vector<bool> down_;  // crashed now (as of the last fault change)

  std::unique_ptr<TransactionSource> tx_source_;
  MessageSlab<nakamoto::Message> messages_;
  mutable std::vector<std::unique_ptr<BlockTxArrivals>> arrivals_;

  PropagationTracker tracker_;
  ChainCounters counters_;
  int blocks_mined_ = 0;
  bool mining_over_ = false;
  double drain_deadline_ = 0.0;
  double last_event_time_ = 0.0;
  chain::BlockId common_ancestor_ = chain::BlockStore::genesis();
  std::unique_ptr<Adversary> adversary_;
  std::vector<nakamoto::Message> held_;  // messages an eclipsing attacker holds back
  std::uint32_t attacker_ = 0;
  std::uint32_t victim_ = 0;
};

void NakamotoSimulation::build_network() {
  n_ = static_cast<std::size_t>(scenario_.nodes.count);
  topology_ = build_overlay(scenario_);  // with the victim eclipsed, for that attack
  const AttackRoles roles = choose_attack_roles(scenario_);
  attacker_ = roles.attacker;
  victim_ = roles.victim;

  NetworkSetup setup = build_network_setup(scenario_, n_, kDeliver, kFlowStart);
  node_region_ = std::move(setup.endpoint_region);
  loop_ = std::move(setup.loop);
  transport_ = std::move(setup.transport);
}

void NakamotoSimulation::build_nodes() {
  const scenario::ConsensusConfig& c = scenario_.consensus;
  relay_config_.compact = c.relay == "compact";
  relay_config_.rules.max_block_bytes = static_cast<std::uint64_t>(c.block_size_bytes);
  relay_config_.rules.pow_leading_zero_bits = c.pow_leading_zero_bits;
  relay_config_.costs.header_cycles = scenario_.costs.header_cycles;
  relay_config_.costs.tx_validation_cycles = scenario_.costs.tx_validation_cycles;
  relay_config_.costs.cached_tx_cycles = scenario_.costs.cached_tx_cycles;
  relay_config_.costs.hash_cycles_per_byte = scenario_.costs.hash_cycles_per_byte;
  shared_ = std::make_unique<nakamoto::SharedChain>(nakamoto::SharedChain{store_, pool_, relay_config_});

  nodes_.reserve(n_);
  for (std::size_t i = 0; i < n_; ++i)
    nodes_.emplace_back(static_cast<std::uint32_t>(i), topology_.neighbors[i], *shared_);
  cpu_busy_until_.assign(n_, 0.0);
  Rng relay_rng(scenario_.seed, "tx-relay");
  relay_delay_.resize(n_);
  for (double& d : relay_delay_) d = scenario_.transactions.relay_delay_s * (0.5 + relay_rng.uniform01());

  Rng power_rng(scenario_.seed, "hash-power");
  hash_share_ = nakamoto::assign_hash_power(n_, static_cast<std::size_t>(scenario_.nodes.miners),
                                            scenario_.nodes.hash_power, scenario_.nodes.hash_power_cv, power_rng);
  place_adversary();
  retarget_ = {c.difficulty_retarget, static_cast<std::uint32_t>(c.retarget_interval_blocks), c.block_interval_s};
  next_difficulty_.assign(n_, 1.0);
  race_weight_ = hash_share_;
  race_total_ = std::accumulate(race_weight_.begin(), race_weight_.end(), 0.0);
  mining_rng_ = Rng(scenario_.seed, "mining");
  if (has_contract_mechanism(scenario_)) {
    allocation_ = std::make_shared<AllocationContracts>(scenario_, allocation_requests(scenario_));
    contracts_ = std::make_unique<ContractLedger>(scenario_.contracts, allocation_);
    allocation_call_rng_ = Rng(scenario_.seed, "allocation-calls");
  } else if (scenario_.contracts.workload != "none") {
    contracts_ = std::make_unique<ContractLedger>(scenario_.contracts, Rng(scenario_.seed, "contracts"));
    contract_call_rng_ = Rng(scenario_.seed, "contract-calls");
  }
  cloud_ = std::make_unique<CloudDeployment>(scenario_);
  faults_ = std::make_unique<FaultPlan>(cloud_->node_faults(), static_cast<std::uint32_t>(n_),
                                        Rng(scenario_.seed, "faults"));
  faults_->set_node_resolver([this](const scenario::FaultConfig& f) { return cloud_->nodes_on_hosts(f); });
  down_.assign(n_, false);
  tx_source_ = std::make_unique<TransactionSource>(scenario_.transactions, n_, Rng(scenario_.seed, "transactions"));
}

void NakamotoSimulation::place_adversary() {
  const scenario::AttackConfig& a = scenario_.attack;
  if (a.kind == "none") return;
  // The attacker holds attacker_share of the hash power; the others keep
  // their relative shares of the rest.
  hash_share_[attacker_] = 0.0;
  const double honest = std::accumulate(hash_share_.begin(), hash_share_.end(), 0.0);
  for (double& h : hash_share_) h = honest > 0.0 ? h * (1.0 - a.attacker_share) / honest : 0.0;
  hash_share_[attacker_] = a.attacker_share;
  adversary_ = make_adversary(scenario_, attacker_, victim_, *this);
}

// A crashed sender sends nothing; a partition loses the message; a degraded
// link delays it (a kDelayedSend event puts it on the network later).
bool NakamotoSimulation::fault_takes(const nakamoto::Message& m, std::uint64_t bytes) {
  if (faults_->empty()) return false;
  const MessageFate fate = faults_->on_send(m.from, m.to, now());
  if (fate.lost != MessageFate::Lost::no) return true;
  if (fate.extra_delay_s > 0.0) {
    loop_->schedule(now() + fate.extra_delay_s, kDelayedSend, static_cast<std::uint32_t>(bytes), messages_.put(m));
    return true;
  }
  return false;
}

// Crashes take a miner's hash power out of the race (memoryless: redrawing the
// next block's time is exact) and, on recovery, restart its process.
void NakamotoSimulation::on_fault_change() {
  for (std::uint32_t i = 0; i < n_; ++i) {
    const bool down = faults_->is_down(i, now());
    if (down_[i] && !down) nodes_[i].restart();
    down_[i] = down;
  }
  for (std::uint32_t i = 0; i < n_; ++i) race_weight_[i] = mining_weight(i);
  race_total_ = std::accumulate(race_weight_.begin(), race_weight_.end(), 0.0);
  // Every miner down for good: no block will ever come, so the run ends
  // (after the drain) instead of running on with transactions alone.
  const std::vector<double> changes = faults_->change_times();
  const bool more_changes = std::any_of(changes.begin(), changes.end(), [&](double t) { return t > now(); });
  if (race_total_ <= 0.0 && !more_changes) stop_mining();
  if (!mining_over_) schedule_next_block();
}

// A contract-call transaction: broadcast like any other (size: a signed
// transaction's envelope plus the call data), its call kept by the ledger.
void NakamotoSimulation::emit_contract_call() {
  constexpr std::uint32_t kEnvelopeBytes = 110;  // nonce, gas fields, recipient, value, signature
  const auto origin = static_cast<std::uint32_t>(contract_call_rng_.uniform_index(n_));
  const double fee_rate = contract_call_rng_.exponential(scenario_.transactions.fee_rate_mean);
  const chain::TxIndex tx = pool_.add(origin, kEnvelopeBytes + contracts_->call_bytes(), fee_rate, now());
  contracts_->attach_call(tx);
}

// An allocation call: a tenant's request() or bid(), or the keeper's clear,
// broadcast from a node at the time it is due. Its fee rate is one fixed
// rate, ten times the ordinary transactions' mean: a tenant wants its decision
// before its window begins, so it outbids the ordinary traffic, and with one
// rate for every allocation call the miner orders them by submission
// (ContractLedger::run_allocation_calls).
void NakamotoSimulation::emit_allocation_call(std::uint32_t call) {
  constexpr std::uint32_t kEnvelopeBytes = 110;  // as a contract call's
  const auto origin = static_cast<std::uint32_t>(allocation_call_rng_.uniform_index(n_));
  const double fee_rate = 10.0 * scenario_.transactions.fee_rate_mean;
  const chain::TxIndex tx = pool_.add(origin, kEnvelopeBytes + allocation_->call_bytes(call), fee_rate, now());
  contracts_->attach_allocation_call(tx, call);
}

void NakamotoSimulation::send(const nakamoto::Message& m) {
  const chain::Block& block = store_.at(m.block);
  const std::uint64_t bytes = nakamoto::wire_size(m, block);
  if (down_[m.from]) return;
  counters_.count_message(m.kind, bytes);
  // An announcement reaching a node that already holds (and has announced)
  // the block is ignored on arrival: skipping its delivery event changes
  // nothing but the cost of simulating it. It is still counted above.
  if (m.kind == nakamoto::MsgKind::inv && nodes_[m.to].tree().has(m.block)) return;
  if (adversary_) {
    const Interception i = adversary_->intercept(m);
    switch (i.fate) {
      case Interception::Fate::pass:
        break;
      case Interception::Fate::drop:
        return;
      case Interception::Fate::hold:
        held_.push_back(m);
        return;
      case Interception::Fate::delay:
        loop_->schedule(now() + i.delay_s, kDelayedSend, bytes, messages_.put(m));
        return;
    }
  }
  if (fault_takes(m, bytes)) return;
  if (m.kind == nakamoto::MsgKind::inv && !transport_->is_flow(bytes)) {
    // Announcing a block the receiver has already requested only notes the
    // announcer on arrival; the node notes it now, with the arrival time, and
    // the delivery is skipped (about half of all events at 10,000 nodes).
    const double arrival = transport_->arrival_time(m.from, m.to, bytes);
    if (!faults_->empty() && faults_->lost_on_arrival(m.to, arrival)) return;
    if (!nodes_[m.to].note_announcement(m.block, m.from, arrival))
      loop_->schedule(arrival, kDeliver, m.to, messages_.put(m));
    return;
  }
  transport_->send(m.from, m.to, bytes, messages_.put(m));
}

void NakamotoSimulation::start_validation(std::uint32_t node, chain::BlockId block, double cycles) {
  if (contracts_) {
    // The block's contract calls run in the node's EVM too, which must reach
    // the state root the header commits to.
    if (!contracts_->state_root_matches(store_.at(block)))
      throw std::logic_error("a block's state root differs from its execution's");
    const double execution = static_cast<double>(contracts_->gas_used(block)) * scenario_.costs.gas_cycles;
    cycles += execution;
    execution_cycles_ += execution;
    validation_cycles_ += cycles;
  }
  // One validation at a time per node, first come first served.
  const double start = std::max(now(), cpu_busy_until_[node]);
  const double work = cycles / node_cpu_hz(scenario_);
  // Then the node writes the block to its disk before relaying it (as
  // Bitcoin Core's AcceptBlock stores a block before it is announced).
  const double end = cloud_->finish_time(node, start, work) +
                     storage_write_s(scenario_, static_cast<double>(store_.at(block).size_bytes));
  cpu_busy_until_[node] = end;
  counters_.cpu_seconds += work;
  loop_->schedule(end, kValidated, node, block);
}

nakamoto::NodeEnvironment::MissingTxs NakamotoSimulation::missing_transactions(std::uint32_t node,
                                                                              chain::BlockId block) const {
  if (block >= arrivals_.size()) arrivals_.resize(block + 1);
  if (!arrivals_[block]) {
    auto a = std::make_unique<BlockTxArrivals>();
    std::vector<std::pair<double, std::uint32_t>> txs;
    for (chain::TxIndex i : store_.at(block).transactions) {
      const chain::Transaction& tx = pool_.at(i);
      if (tx.broadcast) {
        txs.emplace_back(tx.created_s, tx.size_bytes);
      } else {
        a->origin = tx.origin;
        ++a->private_count;
        a->private_bytes += tx.size_bytes;
      }
    }
    std::sort(txs.begin(), txs.end());
    a->bytes_from.assign(txs.size() + 1, 0);
    for (std::size_t i = txs.size(); i-- > 0;) a->bytes_from[i] = a->bytes_from[i + 1] + txs[i].second;
    for (const auto& t : txs) a->created_sorted.push_back(t.first);
    arrivals_[block] = std::move(a);
  }
  const BlockTxArrivals& a = *arrivals_[block];
  const auto first_missing =
      std::upper_bound(a.created_sorted.begin(), a.created_sorted.end(), now() - relay_delay_[node]);
  const auto idx = static_cast<std::size_t>(first_missing - a.created_sorted.begin());
  MissingTxs missing{static_cast<std::uint32_t>(a.created_sorted.size() - idx), a.bytes_from[idx]};
  if (a.private_count > 0 && node != a.origin) {
    missing.count += a.private_count;
    missing.bytes += a.private_bytes;
  }
  return missing;
}

void NakamotoSimulation::block_accepted(std::uint32_t node, chain::BlockId /*block*/,
                                        const chain::AddOutcome& outcome) {
  for (chain::BlockId b : outcome.connected) tracker_.on_held(b, now());
  if (outcome.kind == chain::AddKind::reorganized) counters_.count_reorg(outcome.reorg_depth);
  if (adversary_ && !outcome.connected.empty()) adversary_->on_block_accepted(node, outcome);
  if (retarget_.enabled && outcome.new_tip != outcome.old_tip && hash_share_[node] > 0.0) {
    const double d = nakamoto::next_difficulty(store_, outcome.new_tip, retarget_);
    if (d != next_difficulty_[node]) {
      next_difficulty_[node] = d;
      race_total_ -= race_weight_[node];
      race_weight_[node] = mining_weight(node);
      race_total_ += race_weight_[node];
      if (!mining_over_) schedule_next_block();  // memoryless: redrawing is exact
    }
  }
}

void NakamotoSimulation::block_rejected(std::uint32_t /*node*/, chain::BlockId /*block*/,
                                        const std::string& /*reason*/) {
  ++counters_.blocks_rejected;
}

void NakamotoSimulation::schedule_next_block() {
  ++race_generation_;
  if (race_total_ <= 0.0) return;  // every miner is down: the next fault change restarts the race
  const double mean = scenario_.consensus.block_interval_s / race_total_;
  loop_->schedule(now() + mining_rng_.exponential(mean), kMine, 0, race_generation_);
}

void NakamotoSimulation::mine() {
  const auto winner = static_cast<std::uint32_t>(nakamoto::draw_winner(race_weight_, race_total_, mining_rng_));
  const bool by_attacker = adversary_ && winner == adversary_->node();
  chain::BlockId parent = nodes_[winner].tree().tip();
  if (adversary_) parent = by_attacker ? adversary_->mining_parent() : adversary_->honest_parent(winner, mining_rng_);
  const chain::MempoolView mempool(pool_, store_, parent, now(),
                                   [this, winner](const chain::Transaction& tx) { return tx_arrival(tx, winner); });
  const std::uint64_t overhead = chain::block_size_bytes(0, 0);
  const std::uint64_t max_bytes = relay_config_.rules.max_block_bytes;
  std::vector<chain::TxIndex> txs = mempool.select_for_block(max_bytes > overhead + 3 ? max_bytes - overhead - 3 : 0);
  std::optional<ContractLedger::Execution> execution;
  if (contracts_) {
    // The miner runs the calls it selected; those beyond the block gas limit wait.
    execution = contracts_->execute(parent, txs, store_.at(parent).header.height + 1, now());
    txs = execution->included;
  }
  const double difficulty = nakamoto::next_difficulty(store_, parent, retarget_);
  std::optional<models::crypto::Hash256> state_root;
  if (execution) state_root = execution->state_root;
  const chain::BlockId id = nakamoto::mine_block(store_, pool_, parent, std::move(txs), winner, now(), difficulty,
                                                 relay_config_.rules.pow_leading_zero_bits, state_root);
  if (execution) contracts_->commit(id, std::move(*execution));
  chain::validate_block(store_, pool_, id, relay_config_.rules);  // the miner checks its own work
  ++blocks_mined_;
  tracker_.on_mined(id, now());
  if (by_attacker)
    adversary_->on_own_block(id);
  else
    nodes_[winner].on_mined(id, *this);
  finalize_common_prefix();

  // A double-spend attack ends the run by its number of trials, not of blocks.
  const bool counted_by_blocks = !adversary_ || scenario_.attack.kind == "selfish-mining";  // not by trials
  if (counted_by_blocks && blocks_mined_ >= scenario_.duration.blocks) stop_mining();
  if (!mining_over_) schedule_next_block();
  report_progress();
}

void NakamotoSimulation::publish(std::uint32_t node, chain::BlockId block, bool to_every_node) {
  nodes_[node].on_published(block, *this);  // announces to its peers
  if (to_every_node) announce_to_every_node(node, block);
}

void NakamotoSimulation::announce_to_every_node(std::uint32_t node, chain::BlockId block) {
  const auto peers = nodes_[node].peers();
  for (std::uint32_t other = 0; other < n_; ++other)
    if (other != node && std::find(peers.begin(), peers.end(), other) == peers.end())
      send(nakamoto::Message{nakamoto::MsgKind::inv, node, other, block});
}

void NakamotoSimulation::push_block(std::uint32_t from, std::uint32_t to, chain::BlockId block) {
  const nakamoto::Message m{nakamoto::MsgKind::block, from, to, block};
  const std::uint64_t bytes = nakamoto::wire_size(m, store_.at(block));
  counters_.count_message(m.kind, bytes);
  transport_->send(from, to, bytes, messages_.put(m));
}

void NakamotoSimulation::release_held() {
  for (const nakamoto::Message& m : held_) {
    if (m.kind == nakamoto::MsgKind::inv && nodes_[m.to].tree().has(m.block)) continue;
    transport_->send(m.from, m.to, nakamoto::wire_size(m, store_.at(m.block)), messages_.put(m));
  }
  held_.clear();
}

void NakamotoSimulation::stop_mining() {
  if (mining_over_) return;
  mining_over_ = true;
  drain_deadline_ = now() + scenario_.duration.drain_s;
}

void NakamotoSimulation::finalize_common_prefix() {
  // Blocks below every node's tip (and below an attacker's private branch,
  // which may still replace the public chain) can never leave any chain:
  // their transactions leave the fee index for good.
  chain::BlockId ca = adversary_ ? adversary_->mining_parent() : nodes_[0].tree().tip();
  for (std::size_t i = 0; i < n_ && ca != common_ancestor_; ++i) ca = store_.fork_point(ca, nodes_[i].tree().tip());
  const std::uint32_t old_height = store_.at(common_ancestor_).header.height;
  for (chain::BlockId b = ca; store_.at(b).header.height > old_height; b = store_.at(b).parent)
    pool_.finalize(store_.at(b));
  common_ancestor_ = ca;
}

void NakamotoSimulation::handle(const Event& e) {
  // The run ends at the drain deadline: an event beyond it (a transaction
  // arrival far ahead at a low rate) must not move the end of the run.
  if (mining_over_ && e.time > drain_deadline_) {
    loop_->stop();
    return;
  }
  last_event_time_ = e.time;
  switch (e.type) {
    case kDeliver: {
      const nakamoto::Message m = messages_.take(e.data);
      if (!faults_->lost_on_arrival(m.to, now())) nodes_[m.to].on_message(m, *this);
      break;
    }
    case kFaultChange:
      on_fault_change();
      break;
    case kContractCall:
      if (!mining_over_) {
        emit_contract_call();
        loop_->schedule(now() + contract_call_rng_.exponential(1.0 / scenario_.contracts.calls_per_s), kContractCall, 0, 0);
      }
      break;
    case kAllocationCall: {
      const auto call = static_cast<std::uint32_t>(e.data);
      emit_allocation_call(call);
      if (call + 1 < allocation_->calls().size())
        loop_->schedule(std::max(now(), allocation_->calls()[call + 1].submit_s), kAllocationCall, 0, call + 1);
      break;
    }
    case kFlowStart:
      transport_->on_flow_start(e);
      break;
    case kDelayedSend: {
      const nakamoto::Message& m = messages_.peek(e.data);
      transport_->send(m.from, m.to, e.target, e.data);  // target carries the message size
      break;
    }
    case kValidated:
      // A validation in progress at a crash is lost with the process.
      if (!down_[e.target]) nodes_[e.target].on_validated(static_cast<chain::BlockId>(e.data), *this);
      break;
    case kMine:
      if (!mining_over_ && e.data == race_generation_) mine();
      break;
    case kTransaction:
      if (!mining_over_) {
        tx_source_->emit(pool_, now());
        loop_->schedule(tx_source_->next_time(now()), kTransaction, 0, 0);
      }
      break;
    default:
      throw std::logic_error("unknown event type");
  }
  if (mining_over_ && now() > drain_deadline_) loop_->stop();
  if ((loop_->events_processed() & 0xFFFF) == 0) report_progress();  // the listener throttles itself
}

void NakamotoSimulation::report_progress() {
  if (progress_ == nullptr) return;
  Progress p;
  p.sim_time_s = now();
  p.blocks_mined = blocks_mined_;
  p.blocks_target = scenario_.duration.blocks;
  p.max_sim_time_s = scenario_.duration.max_sim_time_s;
  p.draining = mining_over_;
  if (adversary_) std::tie(p.trials_done, p.trials_target) = adversary_->trials_progress();
  if (progress_->on_progress(p) == RunVerdict::stop) loop_->stop();
}

RunResult NakamotoSimulation::run() {
  if (adversary_) adversary_->start();
  on_fault_change();  // faults from time 0; schedules the first block
  for (const double t : faults_->change_times())
    if (t > 0.0) loop_->schedule(t, kFaultChange, 0, 0);
  if (scenario_.transactions.rate_per_s > 0.0) loop_->schedule(tx_source_->next_time(0.0), kTransaction, 0, 0);
  if (contracts_) {
    // The contract's deployment (and the token's allotments), broadcast first
    // with a fee that puts them ahead of everything else.
    constexpr std::uint32_t kEnvelopeBytes = 110;
    constexpr double kSetupFeeRate = 1e6;
    for (std::size_t i = 0; i < contracts_->setup_count(); ++i)
      contracts_->attach_setup(pool_.add(0, kEnvelopeBytes + contracts_->setup_bytes(i), kSetupFeeRate, 0.0), i);
    if (scenario_.contracts.workload != "none")
      loop_->schedule(contract_call_rng_.exponential(1.0 / scenario_.contracts.calls_per_s), kContractCall, 0, 0);
  }
  if (allocation_ && !allocation_->calls().empty())
    loop_->schedule(allocation_->calls().front().submit_s, kAllocationCall, 0, 0);
  loop_->run([this](const Event& e) { handle(e); }, scenario_.duration.max_sim_time_s);

  counters_.events = loop_->events_processed();
  counters_.flows = transport_->flows();
  ChainReportInput in{scenario_, store_, pool_, tracker_, counters_, topology_, node_region_, hash_share_};
  for (const nakamoto::RelayNode& node : nodes_) in.node_tips.push_back(node.tree().tip());
  in.best_tip = best_tip(store_, in.node_tips);
  in.sim_time_s = last_event_time_;
  RunResult result = build_chain_report(in);
  if (adversary_) result.metrics["attack"] = adversary_->metrics(in.best_tip);
  if (cloud_->reported()) {
    result.metrics["cloud"] = cloud_->metrics(in.sim_time_s);
    if (scenario_.cloud.hosts > 0) result.tables.emplace_back("cloud_hosts.csv", cloud_->host_table(in.sim_time_s));
  }
  if (contracts_)
    result.metrics["contracts"] =
        contracts_->metrics(store_, in.best_tip, in.sim_time_s, execution_cycles_, validation_cycles_);
  if (allocation_) report_allocation(result, in.best_tip, in.node_tips);
  if (!scenario_.faults.empty()) {  // the plan also holds the provisioning's
    result.metrics["faults"] = fault_metrics(scenario_, *faults_);
    // After a partition heals, do the nodes agree again?
    result.metrics["faults"]["nodes_on_best_tip"] = std::count(in.node_tips.begin(), in.node_tips.end(), in.best_tip);
  }
  return result;
}

// The allocation decisions are the main chain's: its blocks' receipts folded
// from genesis to the best tip (a call in a stale block as well counts once,
// where the main chain has it). A decision is confirmed when the main chain's
// block allocation.confirmations above the one holding it is mined.
// allocation_calls.csv lists the main chain's calls in its order.
void NakamotoSimulation::report_allocation(RunResult& result, chain::BlockId best_tip,
                                           const std::vector<chain::BlockId>& node_tips) {
  std::vector<chain::BlockId> main_chain;  // by height
  for (chain::BlockId b = best_tip;; b = store_.at(b).parent) {
    main_chain.push_back(b);
    if (b == chain::BlockStore::genesis()) break;
  }
  std::reverse(main_chain.begin(), main_chain.end());
  auto run = std::make_shared<ContractAllocationRun>();
  run->confirmed_s.assign(allocation_->calls().size(), -1.0);
  const auto depth = static_cast<std::size_t>(scenario_.allocation.confirmations);
  const auto block_time = [&](std::size_t h) { return static_cast<double>(store_.at(main_chain[h]).header.timestamp_us) / 1e6; };
  CsvTable table({"call", "mechanism", "kind", "subject", "submit_s", "height", "block_s", "gas", "reverted",
                  "confirmed_s", "allocated", "host"});
  std::size_t on_chain = 0, blocks_with_calls = 0;
  for (std::size_t h = 0; h < main_chain.size(); ++h) {
    const ContractLedger::Execution* e = contracts_->find(main_chain[h]);
    if (e == nullptr || e->allocation_receipts.empty()) continue;
    ++blocks_with_calls;
    for (const AllocationContracts::Receipt& r : e->allocation_receipts) {
      if (!allocation_->fold(r)) continue;
      ++on_chain;
      if (h + depth < main_chain.size()) run->confirmed_s[r.call] = block_time(h + depth);
      const AllocationContracts::Call& c = allocation_->calls()[r.call];
      const bool first_fit = c.mechanism == ContractMechanism::first_fit;
      const char* kind = c.kind == AllocationContracts::CallKind::request ? "request"
                         : c.kind == AllocationContracts::CallKind::bid   ? "bid"
                                                                          : "clear";
      table.cell(r.call).cell(first_fit ? "contract_first_fit" : "contract_auction").cell(kind).cell(c.subject);
      table.cell(c.submit_s).cell(static_cast<std::uint64_t>(h)).cell(block_time(h)).cell(r.gas);
      table.cell(r.reverted ? 1 : 0).cell(run->confirmed_s[r.call]);
      // A request's decision is its own call's; a bid's comes with the clear.
      const double nan = std::numeric_limits<double>::quiet_NaN();
      if (c.kind == AllocationContracts::CallKind::request) {
        const ContractDecision& d = allocation_->decisions(c.mechanism)[c.subject];
        table.cell(d.allocated ? 1 : 0).cell(d.allocated ? static_cast<std::int64_t>(d.host) : std::int64_t{-1});
      } else {
        table.cell(nan).cell(nan);
      }
      table.end_row();
    }
  }
  // Every node checked each block's state root as it validated it: a node
  // whose tip has the main chain's root holds the same decisions.
  const models::crypto::Hash256 root = contracts_->find(best_tip)->state_root;
  std::size_t agreeing = 0;
  for (const chain::BlockId tip : node_tips) {
    const ContractLedger::Execution* e = contracts_->find(tip);
    agreeing += e != nullptr && e->state_root == root ? 1 : 0;
  }
  std::size_t submitted = 0;
  for (const chain::Transaction& tx : pool_.all()) submitted += contracts_->is_call(tx.index) ? 1 : 0;
  // Calls that stale blocks held as well (they count where the main chain has them).
  std::vector<bool> on_main(store_.size(), false);
  for (const chain::BlockId b : main_chain) on_main[b] = true;
  std::size_t in_stale = 0;
  for (chain::BlockId b = 0; b < store_.size(); ++b)
    if (const ContractLedger::Execution* e = contracts_->find(b); !on_main[b] && e != nullptr)
      in_stale += e->allocation_receipts.size();
  run->contracts = allocation_;
  run->chain = {{"transactions", allocation_->calls().size()},
                {"submitted", submitted},
                {"on_main_chain", on_chain},
                {"blocks_with_calls", blocks_with_calls},
                {"calls_in_stale_blocks", in_stale},
                {"main_chain_height", main_chain.size() - 1},
                {"confirmations", scenario_.allocation.confirmations},
                {"gas_used", allocation_->gas_used()},
                {"setup_gas", allocation_->setup_gas()},
                {"reverted", allocation_->reverted()},
                {"state_root", models::crypto::to_hex(root)},
                {"nodes", n_},
                {"nodes_agreeing", agreeing}};
  result.contract_allocation = std::move(run);
  result.tables.emplace_back("allocation_calls.csv", std::move(table));
}

}  // namespace

RunResult run_nakamoto(const scenario::Scenario& scenario, ProgressListener* progress) {
  NakamotoSimulation sim(scenario, progress);
  return sim.run();
}

}  // namespace cbsim::sim
