#include "sim/runner/committee_simulation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>
#include <stdexcept>

#include "models/consensus/safety_checker.h"
#include "models/random/rng.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/allocation/allocation_experiment.h"
#include "sim/engine/event_loop.h"
#include "sim/cloud/cloud_deployment.h"
#include "sim/faults/fault_plan.h"
#include "sim/net/network_setup.h"
#include "sim/net/transport.h"
#include "sim/runner/client_ledger.h"
#include "sim/runner/hotstuff_protocol.h"
#include "sim/runner/message_slab.h"
#include "sim/runner/pbft_protocol.h"
#include "sim/runner/replica_cpu.h"
#include "sim/runner/replicated_execution.h"

namespace cbsim::sim {

namespace {

using models::random::Rng;

enum EventType : std::uint32_t {
  kDeliver,         // a message arrives (data: message handle)
  kFlowStart,       // tcp: a flow begins (Transport)
  kTimer,           // a replica's timer (target: replica, data: token)
  kSubmit,          // the next client request
  kProcessed,       // a replica's CPU has checked a message (target: replica, data: handle)
  kDelayedSend,     // a degraded link's extra latency, or the log write a reply waits for, has passed (data: handle)
  kReplay,          // a replaying Byzantine replica sends a message again (data: handle)
  kBehaviourChange,  // a Byzantine fault starts or ends
  kClientsStart      // the committee is deployed: clients begin sending
};

// Runs one committee protocol P (pbft_protocol.h, hotstuff_protocol.h).
template <class P>
class CommitteeSimulation final : public P::Environment {
public:
  using Message = typename P::Message;
  using MsgKind = typename P::MsgKind;

  CommitteeSimulation(const scenario::Scenario& s, ProgressListener* progress);
  RunResult run();

  // P::Environment
  double now() const override { return loop_->now(); }
  void send(const Message& m) override;
  void set_timer(std::uint32_t replica, double delay_s, std::uint64_t token) override {
    loop_->schedule(now() + delay_s, kTimer, replica, token);
  }
  void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t height,
                 const models::crypto::Hash256& digest, const models::consensus::pbft::Batch& requests) override;
  void on_view_change(std::uint32_t replica, std::uint64_t new_view) override;

private:
  void handle(const Event& e);
  void transmit(const Message& m);
  void submit(std::uint32_t client, std::uint32_t payload_bytes);
  std::size_t request_target() const;
  void execute_committed(std::uint32_t replica, std::uint64_t height, const models::crypto::Hash256& digest,
                         const models::consensus::pbft::Batch& requests);
  std::shared_ptr<ContractAllocationRun> contract_run() const;
  void submit_open_loop();
  void start_clients();
  bool more_to_submit() const;
  void on_reply(const Message& m);
  void deliver_to_replica(std::uint32_t to, std::uint64_t handle);
  void apply_behaviours();
  void report_progress();
  void check_stuck();
  nlohmann::json metrics() const;
  nlohmann::json protocol_metrics(std::uint64_t all_bytes) const;

  const scenario::Scenario& scenario_;
  ProgressListener* progress_;
  P protocol_;
  std::uint32_t n_;
  std::uint32_t clients_;
  bool closed_loop_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<Transport> transport_;
  std::vector<typename P::Replica> replicas_;
  MessageSlab<Message> messages_;
  Rng workload_rng_;
  CloudDeployment cloud_;  // the replicas' VMs, hosts and provisioning (before faults_: it makes their faults)
  std::vector<double> reply_ready_at_;  // per replica: when its last committed batch is executed and on disk
  FaultPlan faults_;
  ClientLedger ledger_;
  // The allocation contracts the committee runs (contract mechanisms): each
  // allocation request is a client request carrying its call.
  std::shared_ptr<AllocationContracts> contracts_;
  std::unique_ptr<ReplicatedExecution> execution_;
  double block_time_s_ = 0.0;  // the last executed batch's timestamp (the contract's clock)

  models::consensus::SafetyChecker safety_;
  std::array<std::uint64_t, P::kKinds> messages_by_kind_{};
  std::array<std::uint64_t, P::kKinds> bytes_by_kind_{};
  std::uint64_t view_installs_ = 0;
  std::set<std::uint64_t> views_changed_to_;
  ReplicaCpu cpu_;
  static constexpr double kStuckAfter_s = 3600.0;
  double drain_deadline_ = -1.0;  // set when the last request is accepted
  std::string stuck_;
};

template <class P>
CommitteeSimulation<P>::CommitteeSimulation(const scenario::Scenario& s, ProgressListener* progress)
    : scenario_(s),
      progress_(progress),
      protocol_(s),
      n_(static_cast<std::uint32_t>(s.nodes.count)),
      clients_(static_cast<std::uint32_t>(s.committee.clients)),
      closed_loop_(s.committee.load == "closed"),
      workload_rng_(s.seed, "requests"),
      cloud_(s),
      faults_(cloud_.node_faults(), n_, Rng(s.seed, "faults")),
      ledger_(protocol_.f() + 1),
      cpu_(s, n_, cloud_) {
  reply_ready_at_.assign(n_, 0.0);
  if (has_contract_mechanism(s)) {
    contracts_ = std::make_shared<AllocationContracts>(s, allocation_requests(s));
    execution_ = std::make_unique<ReplicatedExecution>(n_);
  }
  faults_.set_node_resolver([this](const scenario::FaultConfig& f) { return cloud_.nodes_on_hosts(f); });
  // Replicas are endpoints 0..n-1, clients n..n+clients-1, all placed in the
  // network's regions; every endpoint reaches every other directly.
  NetworkSetup setup = build_network_setup(s, n_ + clients_, kDeliver, kFlowStart);
  loop_ = std::move(setup.loop);
  transport_ = std::move(setup.transport);

  replicas_.reserve(n_);
  for (std::uint32_t i = 0; i < n_; ++i) replicas_.push_back(protocol_.make_replica(i));
}

// What a replica's state machine sends; a Byzantine fault may alter it first.
template <class P>
void CommitteeSimulation<P>::send(const Message& m) {
  switch (faults_.behaviour(m.from, now())) {
    case ByzantineBehaviour::corrupt: {
      Message altered = m;
      P::corrupt(altered);
      transmit(altered);
      return;
    }
    case ByzantineBehaviour::replay:
      loop_->schedule(now() + faults_.replay_delay_s(m.from, now()), kReplay, m.from, messages_.put(m));
      break;
    default:
      break;
  }
  transmit(m);
}

// Puts a message on the wire unless a fault takes it: crashed or silent
// senders send nothing; partitions and lossy links lose what was sent.
template <class P>
void CommitteeSimulation<P>::transmit(const Message& m) {
  MessageFate fate = faults_.on_send(m.from, m.to, now());
  if (fate.lost == MessageFate::Lost::sender_down || fate.lost == MessageFate::Lost::silent) return;
  const std::uint64_t bytes = protocol_.wire_size(m);
  messages_by_kind_[static_cast<std::size_t>(m.kind)]++;
  bytes_by_kind_[static_cast<std::size_t>(m.kind)] += bytes;
  if (fate.lost != MessageFate::Lost::no) return;
  if (m.kind == P::kReply && m.from < n_) fate.extra_delay_s += std::max(0.0, reply_ready_at_[m.from] - now());
  if (fate.extra_delay_s > 0.0) {
    loop_->schedule(now() + fate.extra_delay_s, kDelayedSend, m.from, messages_.put(m));
    return;
  }
  transport_->send(m.from, m.to, bytes, messages_.put(m));
}

// One request from `client` to every replica.
template <class P>
void CommitteeSimulation<P>::submit(std::uint32_t client, std::uint32_t payload_bytes) {
  Message m;
  m.kind = P::kRequest;
  m.from = client;
  m.request = {client, ledger_.submit(client, now()), payload_bytes};
  m.digest = models::consensus::pbft::request_digest(m.request);
  for (std::uint32_t r = 0; r < n_; ++r) {
    m.to = r;
    transmit(m);
  }
}

// With contract mechanisms the requests are the allocation contracts' calls;
// otherwise committee.requests.
template <class P>
std::size_t CommitteeSimulation<P>::request_target() const {
  return contracts_ ? contracts_->calls().size() : static_cast<std::size_t>(scenario_.committee.requests);
}

template <class P>
bool CommitteeSimulation<P>::more_to_submit() const {
  return ledger_.submitted() < request_target();
}

// Open loop: clients take turns; together they send at
// committee.request_rate_per_s, or each allocation call when it is due.
template <class P>
void CommitteeSimulation<P>::submit_open_loop() {
  const auto client = n_ + static_cast<std::uint32_t>(ledger_.submitted() % clients_);
  if (!contracts_) {
    submit(client, static_cast<std::uint32_t>(scenario_.committee.request_bytes));
    if (more_to_submit())
      loop_->schedule(now() + workload_rng_.exponential(1.0 / scenario_.committee.request_rate_per_s), kSubmit, 0, 0);
    return;
  }
  // A signed transaction: its envelope (as a Nakamoto transaction's) and call data.
  constexpr std::uint32_t kEnvelopeBytes = 110;
  const auto call = static_cast<std::uint32_t>(ledger_.submitted());
  submit(client, kEnvelopeBytes + contracts_->call_bytes(call));
  if (more_to_submit()) loop_->schedule(std::max(now(), contracts_->calls()[call + 1].submit_s), kSubmit, 0, 0);
}

template <class P>
void CommitteeSimulation<P>::on_reply(const Message& m) {
  for (const std::uint64_t id : m.request_ids) {
    const bool accepted = ledger_.on_reply(id, m.from, m.digest, now());
    // Closed loop: the client sends its next request as soon as one is accepted.
    if (accepted && closed_loop_ && more_to_submit())
      submit(m.to, static_cast<std::uint32_t>(scenario_.committee.request_bytes));
  }
  // The last request is accepted: the replicas still finish their messages for
  // the last batches (so that messages per batch count whole batches), until
  // the committee is quiet or duration.drain_s has passed.
  if (ledger_.accepted() >= request_target() && drain_deadline_ < 0.0)
    drain_deadline_ = now() + scenario_.duration.drain_s;
}

template <class P>
void CommitteeSimulation<P>::on_commit(std::uint32_t replica, std::uint64_t /*view*/, std::uint64_t height,
                                       const models::crypto::Hash256& digest,
                                       const models::consensus::pbft::Batch& requests) {
  // A Byzantine replica's commits are no evidence either way.
  const bool honest = !faults_.ever_byzantine()[replica];
  if (honest) safety_.on_commit(replica, height, digest);
  if (contracts_ && honest) execute_committed(replica, height, digest, requests);
  // The replica writes the batch to its log, one write after the other; its
  // replies leave once it is executed and written (transmit).
  double bytes = 0.0;
  for (const auto& r : requests) bytes += r.payload_bytes;
  const double write = storage_write_s(scenario_, bytes);
  if (write > 0.0) reply_ready_at_[replica] = std::max(now(), reply_ready_at_[replica]) + write;
}

// The replica applies the batch to its copy of the allocation contracts: the
// first honest replica to commit it runs the calls in the EVM; each pays the
// execution on its CPU (costs.gas_cycles per gas) before it replies.
template <class P>
void CommitteeSimulation<P>::execute_committed(std::uint32_t replica, std::uint64_t height,
                                               const models::crypto::Hash256& digest,
                                               const models::consensus::pbft::Batch& requests) {
  const ReplicatedExecution::Result& result = execution_->on_commit(replica, height, digest, [&] {
    std::vector<std::uint32_t> calls;
    calls.reserve(requests.size());
    for (const auto& r : requests)
      if (r.id < contracts_->calls().size()) calls.push_back(static_cast<std::uint32_t>(r.id));
    // The batch's timestamp, in the contract's whole seconds and never going back.
    block_time_s_ = std::max(block_time_s_, std::floor(now()));
    const AllocationContracts::BatchOutcome o = contracts_->execute(calls, height, block_time_s_);
    return ReplicatedExecution::Result{contracts_->result_digest(), o.gas};
  });
  if (result.gas == 0) return;
  const double cycles = static_cast<double>(result.gas) * scenario_.costs.gas_cycles;
  reply_ready_at_[replica] = cpu_.compute(replica, std::max(now(), reply_ready_at_[replica]), cycles);
}

template <class P>
std::shared_ptr<ContractAllocationRun> CommitteeSimulation<P>::contract_run() const {
  auto run = std::make_shared<ContractAllocationRun>();
  run->contracts = contracts_;
  run->confirmed_s.resize(contracts_->calls().size(), -1.0);
  for (std::size_t i = 0; i < run->confirmed_s.size() && i < ledger_.submitted(); ++i)
    run->confirmed_s[i] = ledger_.accepted_s(i);
  run->chain = {{"transactions", contracts_->calls().size()},
                {"batches_executed", execution_->batches()},
                {"honest_replicas", n_ - faults_.byzantine_count()},
                {"replicas_up_to_date", execution_->up_to_date()},
                {"divergent_replicas", execution_->divergent()},
                {"gas_used", contracts_->gas_used()},
                {"setup_gas", contracts_->setup_gas()},
                {"reverted", contracts_->reverted()},
                {"result_digest", models::crypto::to_hex(contracts_->result_digest())},
                {"state_root", models::crypto::to_hex(contracts_->state_root())}};
  return run;
}

template <class P>
void CommitteeSimulation<P>::on_view_change(std::uint32_t /*replica*/, std::uint64_t new_view) {
  ++view_installs_;
  views_changed_to_.insert(new_view);
}

template <class P>
void CommitteeSimulation<P>::deliver_to_replica(std::uint32_t to, std::uint64_t handle) {
  if (faults_.lost_on_arrival(to, now())) {
    messages_.take(handle);
    return;
  }
  replicas_[to].on_message(messages_.take(handle), *this);
}

// Equivocation lives in the replica's state machine; the other Byzantine
// behaviours are applied to what it sends (send()).
template <class P>
void CommitteeSimulation<P>::apply_behaviours() {
  for (std::uint32_t i = 0; i < n_; ++i) {
    if (!faults_.ever_byzantine()[i]) continue;
    const bool equivocating = faults_.behaviour(i, now()) == ByzantineBehaviour::equivocate;
    replicas_[i].set_behaviour(equivocating ? P::kEquivocating : P::kHonest);
  }
}

template <class P>
void CommitteeSimulation<P>::handle(const Event& e) {
  switch (e.type) {
    case kDeliver: {
      const std::uint32_t to = messages_.peek(e.data).to;
      if (to >= n_) {
        on_reply(messages_.take(e.data));
      } else if (const models::consensus::AuthWork w = P::verification_work(replicas_[to], messages_.peek(e.data), n_);
                 cpu_.cost_s(w) > 0.0 && !faults_.is_down(to, now())) {
        // The replica acts on the message once its CPU has checked it.
        loop_->schedule(cpu_.admit(to, now(), w), kProcessed, to, e.data);
      } else {
        deliver_to_replica(to, e.data);
      }
      break;
    }
    case kProcessed:
      deliver_to_replica(e.target, e.data);
      break;
    case kFlowStart:
      transport_->on_flow_start(e);
      break;
    case kTimer:
      // A crashed replica's timers wait for its recovery (it re-arms them on restart).
      if (faults_.is_down(e.target, now())) {
        const double back = faults_.up_again(e.target, now());
        if (back != FaultPlan::kNever) loop_->schedule(back, kTimer, e.target, e.data);
      } else {
        replicas_[e.target].on_timer(e.data, *this);
      }
      break;
    case kSubmit:
      submit_open_loop();
      break;
    case kClientsStart:
      start_clients();
      break;
    case kDelayedSend: {
      const Message& m = messages_.peek(e.data);
      transport_->send(m.from, m.to, protocol_.wire_size(m), e.data);
      break;
    }
    case kReplay:
      transmit(messages_.take(e.data));
      break;
    case kBehaviourChange:
      apply_behaviours();
      break;
    default:
      throw std::logic_error("unknown event type");
  }
  if (drain_deadline_ >= 0.0 && now() >= drain_deadline_) loop_->stop();
  if ((loop_->events_processed() & 0x3FFF) == 0) {
    report_progress();
    check_stuck();
  }
}

// Without a time limit (no faults: the loader asks for one with faults) a
// committee that stops committing would run forever on its timers. A fault-free
// committee that accepts nothing for kStuckAfter_s with requests outstanding is
// stuck: a bug of the protocol model, reported as the run's failure.
template <class P>
void CommitteeSimulation<P>::check_stuck() {
  if (scenario_.duration.max_sim_time_s > 0.0 || ledger_.submitted() == ledger_.accepted()) return;
  // From the last acceptance, or from when the clients started (after a provisioning).
  if (now() - std::max(ledger_.last_accept_s(), cloud_.all_running_s()) < kStuckAfter_s) return;
  stuck_ = "no request accepted for " + std::to_string(static_cast<int>(kStuckAfter_s)) + " s of simulated time (" +
           std::to_string(ledger_.submitted() - ledger_.accepted()) + " outstanding): the committee is stuck";
  loop_->stop();
}

template <class P>
void CommitteeSimulation<P>::report_progress() {
  if (progress_ == nullptr) return;
  Progress p;
  p.sim_time_s = now();
  p.max_sim_time_s = scenario_.duration.max_sim_time_s;
  p.requests_done = static_cast<int>(ledger_.accepted());
  p.requests_target = static_cast<int>(request_target());
  if (progress_->on_progress(p) == RunVerdict::stop) loop_->stop();
}

template <class P>
void CommitteeSimulation<P>::start_clients() {
  if (closed_loop_) {
    for (int k = 0; k < scenario_.committee.outstanding; ++k)
      for (std::uint32_t c = 0; c < clients_ && more_to_submit(); ++c)
        submit(n_ + c, static_cast<std::uint32_t>(scenario_.committee.request_bytes));
  } else if (contracts_) {
    loop_->schedule(std::max(now(), contracts_->calls().front().submit_s), kSubmit, 0, 0);
  } else {
    loop_->schedule(now() + workload_rng_.exponential(1.0 / scenario_.committee.request_rate_per_s), kSubmit, 0, 0);
  }
}

template <class P>
RunResult CommitteeSimulation<P>::run() {
  apply_behaviours();
  for (const double t : faults_.change_times()) {
    if (t > 0.0) loop_->schedule(t, kBehaviourChange, 0, 0);
  }
  if (contracts_ && contracts_->calls().empty()) {
    RunResult empty;
    empty.metrics = metrics();
    empty.contract_allocation = contract_run();
    return empty;
  }
  // Clients wait for every replica's VM to run (cloud.provision), as a
  // benchmark waits for the service it measures to be deployed.
  loop_->schedule(cloud_.all_running_s(), kClientsStart, 0, 0);
  loop_->run([this](const Event& e) { handle(e); }, scenario_.duration.max_sim_time_s);
  report_progress();
  RunResult result;
  result.metrics = metrics();
  if (cloud_.reported()) {
    result.metrics["cloud"] = cloud_.metrics(now());
    if (scenario_.cloud.hosts > 0) result.tables.emplace_back("cloud_hosts.csv", cloud_.host_table(now()));
  }
  result.tables.emplace_back("requests.csv", ledger_.table());
  if (contracts_) result.contract_allocation = contract_run();
  // Safety with at most f Byzantine replicas is the protocol's promise: a
  // violation is a bug (of the protocol model or the simulator), not a result.
  result.failure = safety_.failure(faults_.byzantine_count(), protocol_.f());
  if (result.failure.empty()) result.failure = stuck_;
  return result;
}

template <class P>
nlohmann::json CommitteeSimulation<P>::metrics() const {
  nlohmann::json m;
  m["scenario"] = scenario_.name;
  m["seed"] = scenario_.seed;
  m["nodes"] = n_;
  m["clients"] = clients_;
  m["sim_time_s"] = now();
  const std::uint64_t messages = std::accumulate(messages_by_kind_.begin(), messages_by_kind_.end(), std::uint64_t{0});
  const std::uint64_t bytes = std::accumulate(bytes_by_kind_.begin(), bytes_by_kind_.end(), std::uint64_t{0});
  m["messages"] = messages;
  m["bytes"] = bytes;
  for (std::size_t k = 0; k < P::kKinds; ++k) {
    const std::string name(P::name_of(static_cast<MsgKind>(k)));
    m["messages_by_kind"][name] = messages_by_kind_[k];
    m["bytes_by_kind"][name] = bytes_by_kind_[k];
  }
  m["engine"] = {{"events", loop_->events_processed()}, {"flows", transport_->flows()}, {"cpu_busy_s", cpu_.busy_s()}};
  m["auth"] = {{"macs_checked", cpu_.macs_checked()}, {"signatures_checked", cpu_.signatures_checked()}};

  nlohmann::json c = ledger_.metrics(now(), scenario_.committee.view_change_timeout_s);
  c["protocol"] = P::kName;
  c["f"] = protocol_.f();
  c["byzantine_replicas"] = faults_.byzantine_count();
  c["committed_" + std::string(P::kUnits)] = safety_.decided();
  c["view_changes"] = views_changed_to_.size();
  // Timeouts, including a replica's lone ones that no view change followed.
  std::uint64_t timeouts = 0;
  for (const auto& r : replicas_) timeouts += P::timeouts(r);
  c["replica_timeouts"] = timeouts;
  c["view_installs"] = view_installs_;
  m["consensus"] = c;

  m["safety"] = {{"violations", safety_.violations()},
                 {"within_f", faults_.byzantine_count() <= protocol_.f()}};
  if (safety_.violations() > 0) m["safety"]["first_violation"] = safety_.first_violation();

  // The scenario's faults (the plan also holds the provisioning's, first).
  if (!scenario_.faults.empty()) {
    m["faults"] = fault_metrics(scenario_, faults_);
    const std::vector<double> starts = faults_.start_times();
    m["faults"]["resumed_after_s"] = ledger_.resumed_after(
        std::vector<double>(starts.end() - static_cast<std::ptrdiff_t>(scenario_.faults.size()), starts.end()));
  }
  m[std::string(P::kName)] = protocol_metrics(bytes);
  return m;
}

// Messages per committed batch or block by kind, beside the normal-case closed forms.
template <class P>
nlohmann::json CommitteeSimulation<P>::protocol_metrics(std::uint64_t all_bytes) const {
  const double units = static_cast<double>(safety_.decided());
  const std::string unit(P::kUnit);
  nlohmann::json per_unit, model;
  for (const auto& [kind, closed_form] : protocol_.model_per_unit()) {
    const std::string name(P::name_of(kind));
    per_unit[name] = units > 0 ? static_cast<double>(messages_by_kind_[static_cast<std::size_t>(kind)]) / units : 0.0;
    model[name] = closed_form;
  }
  return {{"messages_per_" + unit, per_unit},
          {"model_messages_per_" + unit, model},
          {"bytes_per_" + unit, units > 0 ? static_cast<double>(all_bytes) / units : 0.0},
          {"requests_per_" + unit, units > 0 ? static_cast<double>(ledger_.accepted()) / units : 0.0}};
}

template <class P>
RunResult simulate(const scenario::Scenario& scenario, ProgressListener* progress) {
  CommitteeSimulation<P> sim(scenario, progress);
  return sim.run();
}

}  // namespace

RunResult run_committee(const scenario::Scenario& scenario, ProgressListener* progress) {
  if (scenario.consensus.protocol == PbftProtocol::kName) return simulate<PbftProtocol>(scenario, progress);
  if (scenario.consensus.protocol == HotStuffProtocol::kName) return simulate<HotStuffProtocol>(scenario, progress);
  throw std::invalid_argument("consensus.protocol " + scenario.consensus.protocol + " is not a committee protocol");
}

}  // namespace cbsim::sim
