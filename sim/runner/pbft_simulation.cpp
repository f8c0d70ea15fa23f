#include "sim/runner/pbft_simulation.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "models/consensus/pbft/replica.h"
#include "models/consensus/safety_checker.h"
#include "models/random/rng.h"
#include "models/stats/quantile.h"
#include "sim/engine/event_loop.h"
#include "sim/net/network_setup.h"
#include "sim/net/transport.h"
#include "sim/runner/message_slab.h"

namespace cbsim::sim {

namespace pbft = models::consensus::pbft;
namespace network = models::network;
using models::random::Rng;

namespace {

enum EventType : std::uint32_t { kDeliver, kFlowStart, kTimer, kSubmit, kProcessed };

constexpr std::size_t kKinds = static_cast<std::size_t>(pbft::MsgKind::count);

// A request as its client sees it: sent, then accepted once f + 1 replicas
// replied (at most f of them can lie, so f + 1 matching replies prove the result).
struct ClientRequest {
  std::uint32_t client = 0;
  double submitted_s = 0.0;
  double accepted_s = -1.0;
  std::uint32_t replies = 0;
};

class PbftSimulation final : public pbft::PbftEnvironment {
public:
  PbftSimulation(const scenario::Scenario& s, ProgressListener* progress);
  RunResult run();

  // PbftEnvironment
  double now() const override { return loop_->now(); }
  void send(const pbft::Message& m) override;
  void set_timer(std::uint32_t replica, double delay_s, std::uint64_t token) override {
    loop_->schedule(now() + delay_s, kTimer, replica, token);
  }
  void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t seq, const pbft::Hash256& digest,
                 const pbft::Batch& requests) override;
  void on_view_change(std::uint32_t replica, std::uint64_t new_view) override;

private:
  void handle(const Event& e);
  void submit();
  void on_reply(const pbft::Message& m);
  void report_progress();
  nlohmann::json metrics() const;
  CsvTable request_table() const;

  const scenario::Scenario& scenario_;
  ProgressListener* progress_;
  std::uint32_t n_;
  std::uint32_t clients_;
  pbft::PbftConfig config_;
  pbft::WireParams wire_;
  std::unique_ptr<EventLoop> loop_;
  std::unique_ptr<Transport> transport_;
  std::vector<pbft::PbftReplica> replicas_;
  MessageSlab<pbft::Message> messages_;
  Rng workload_rng_{0};

  std::vector<ClientRequest> requests_;  // by request id (ids are global, from 0)
  std::uint64_t accepted_ = 0;
  std::vector<double> latencies_;
  double last_accept_s_ = 0.0;

  models::consensus::SafetyChecker safety_;
  std::array<std::uint64_t, kKinds> messages_by_kind_{};
  std::array<std::uint64_t, kKinds> bytes_by_kind_{};
  std::uint64_t view_installs_ = 0;
  std::uint64_t highest_view_ = 0;
  std::vector<std::uint64_t> executed_by_replica_;
  // Each replica's CPU handles one message after another (committee.message_cycles).
  double message_cost_s_ = 0.0;
  std::vector<double> cpu_free_at_;
  double cpu_busy_s_ = 0.0;
};

PbftSimulation::PbftSimulation(const scenario::Scenario& s, ProgressListener* progress)
    : scenario_(s),
      progress_(progress),
      n_(static_cast<std::uint32_t>(s.nodes.count)),
      clients_(static_cast<std::uint32_t>(s.committee.clients)) {
  const scenario::CommitteeConfig& c = s.committee;
  config_ = pbft::make_config(n_);
  config_.batch_max_requests = static_cast<std::uint32_t>(c.batch_max_requests);
  config_.batch_timeout_s = c.batch_timeout_s;
  config_.checkpoint_interval = static_cast<std::uint64_t>(c.checkpoint_interval);
  config_.log_window = static_cast<std::uint64_t>(c.log_window);
  config_.view_change_timeout_s = c.view_change_timeout_s;
  wire_ = {n_, static_cast<std::uint32_t>(c.mac_bytes)};

  // Replicas are endpoints 0..n-1, clients n..n+clients-1, all placed in the
  // network's regions; every endpoint reaches every other directly.
  NetworkSetup setup = build_network_setup(s, n_ + clients_, kDeliver, kFlowStart);
  loop_ = std::move(setup.loop);
  transport_ = std::move(setup.transport);

  replicas_.reserve(n_);
  for (std::uint32_t i = 0; i < n_; ++i) replicas_.emplace_back(i, config_);
  executed_by_replica_.assign(n_, 0);
  message_cost_s_ = c.message_cycles / s.nodes.cpu_hz;
  cpu_free_at_.assign(n_, 0.0);
  workload_rng_ = Rng(s.seed, "requests");
}

void PbftSimulation::send(const pbft::Message& m) {
  const std::uint64_t bytes = pbft::wire_size(m, wire_);
  messages_by_kind_[static_cast<std::size_t>(m.kind)]++;
  bytes_by_kind_[static_cast<std::size_t>(m.kind)] += bytes;
  transport_->send(m.from, m.to, bytes, messages_.put(m));
}

void PbftSimulation::submit() {
  // Clients take turns; together they send at committee.request_rate_per_s.
  const auto id = static_cast<std::uint64_t>(requests_.size());
  const std::uint32_t client = n_ + static_cast<std::uint32_t>(id % clients_);
  requests_.push_back({client, now()});
  pbft::Message m;
  m.kind = pbft::MsgKind::request;
  m.from = client;
  m.request = {client, id, static_cast<std::uint32_t>(scenario_.committee.request_bytes)};
  m.digest = pbft::request_digest(m.request);
  for (std::uint32_t r = 0; r < n_; ++r) {
    m.to = r;
    send(m);
  }
  if (requests_.size() < static_cast<std::size_t>(scenario_.committee.requests))
    loop_->schedule(now() + workload_rng_.exponential(1.0 / scenario_.committee.request_rate_per_s), kSubmit, 0, 0);
}

void PbftSimulation::on_reply(const pbft::Message& m) {
  for (const std::uint64_t id : m.request_ids) {
    ClientRequest& r = requests_.at(id);
    if (r.accepted_s >= 0.0 || ++r.replies < config_.f + 1) continue;
    r.accepted_s = now();
    latencies_.push_back(r.accepted_s - r.submitted_s);
    last_accept_s_ = now();
    ++accepted_;
  }
  if (accepted_ >= static_cast<std::uint64_t>(scenario_.committee.requests)) loop_->stop();
}

void PbftSimulation::on_commit(std::uint32_t replica, std::uint64_t /*view*/, std::uint64_t seq,
                               const pbft::Hash256& digest, const pbft::Batch& /*requests*/) {
  ++executed_by_replica_[replica];
  safety_.on_commit(replica, seq, digest);
}

void PbftSimulation::on_view_change(std::uint32_t /*replica*/, std::uint64_t new_view) {
  ++view_installs_;
  highest_view_ = std::max(highest_view_, new_view);
}

void PbftSimulation::handle(const Event& e) {
  switch (e.type) {
    case kDeliver: {
      const std::uint32_t to = messages_.peek(e.data).to;
      if (to >= n_) {
        on_reply(messages_.take(e.data));
      } else if (message_cost_s_ > 0.0) {
        // The replica acts on the message once its CPU has checked it.
        const double start = std::max(now(), cpu_free_at_[to]);
        cpu_free_at_[to] = start + message_cost_s_;
        cpu_busy_s_ += message_cost_s_;
        loop_->schedule(cpu_free_at_[to], kProcessed, to, e.data);
      } else {
        replicas_[to].on_message(messages_.take(e.data), *this);
      }
      break;
    }
    case kProcessed:
      replicas_[e.target].on_message(messages_.take(e.data), *this);
      break;
    case kFlowStart:
      transport_->on_flow_start(e);
      break;
    case kTimer:
      replicas_[e.target].on_timer(e.data, *this);
      break;
    case kSubmit:
      submit();
      break;
    default:
      throw std::logic_error("unknown event type");
  }
  if ((loop_->events_processed() & 0x3FFF) == 0) report_progress();
}

void PbftSimulation::report_progress() {
  if (progress_ == nullptr) return;
  Progress p;
  p.sim_time_s = now();
  p.max_sim_time_s = scenario_.duration.max_sim_time_s;
  p.requests_done = static_cast<int>(accepted_);
  p.requests_target = scenario_.committee.requests;
  progress_->on_progress(p);
}

RunResult PbftSimulation::run() {
  loop_->schedule(workload_rng_.exponential(1.0 / scenario_.committee.request_rate_per_s), kSubmit, 0, 0);
  loop_->run([this](const Event& e) { handle(e); }, scenario_.duration.max_sim_time_s);
  report_progress();
  RunResult result;
  result.metrics = metrics();
  result.tables.emplace_back("requests.csv", request_table());
  return result;
}

nlohmann::json PbftSimulation::metrics() const {
  nlohmann::json m;
  m["scenario"] = scenario_.name;
  m["seed"] = scenario_.seed;
  m["nodes"] = n_;
  m["clients"] = clients_;
  m["sim_time_s"] = now();
  const std::uint64_t messages = std::accumulate(messages_by_kind_.begin(), messages_by_kind_.end(), std::uint64_t{0});
  m["messages"] = messages;
  m["bytes"] = std::accumulate(bytes_by_kind_.begin(), bytes_by_kind_.end(), std::uint64_t{0});
  for (std::size_t k = 0; k < kKinds; ++k) {
    const std::string name(pbft::name_of(static_cast<pbft::MsgKind>(k)));
    m["messages_by_kind"][name] = messages_by_kind_[k];
    m["bytes_by_kind"][name] = bytes_by_kind_[k];
  }
  m["engine"] = {{"events", loop_->events_processed()}, {"flows", transport_->flows()}, {"cpu_busy_s", cpu_busy_s_}};

  const double first_submit = requests_.empty() ? 0.0 : requests_.front().submitted_s;
  const double span = last_accept_s_ - first_submit;
  nlohmann::json c;
  c["protocol"] = "pbft";
  c["f"] = config_.f;
  c["committed_requests"] = accepted_;
  c["submitted_requests"] = requests_.size();
  c["committed_batches"] = safety_.decided();
  c["throughput_rps"] = span > 0.0 ? static_cast<double>(accepted_) / span : 0.0;
  const auto q = [&](double p) { return latencies_.empty() ? nlohmann::json(nullptr) : nlohmann::json(models::stats::quantile(latencies_, p)); };
  c["latency_s"] = {{"p50", q(0.5)}, {"p99", q(0.99)}};
  c["view_changes"] = highest_view_;
  c["view_installs"] = view_installs_;
  m["consensus"] = c;
  m["safety"] = {{"violations", safety_.violations()}};
  if (safety_.violations() > 0) m["safety"]["first_violation"] = safety_.first_violation();

  // Messages per committed batch, next to the normal-case closed forms
  // (Castro & Liskov: pre-prepare n-1, prepare (n-1)^2, commit n(n-1)).
  const double batches = static_cast<double>(safety_.decided());
  nlohmann::json per_batch, model, bytes_per_batch;
  for (const pbft::MsgKind k : {pbft::MsgKind::pre_prepare, pbft::MsgKind::prepare, pbft::MsgKind::commit}) {
    const auto i = static_cast<std::size_t>(k);
    per_batch[std::string(pbft::name_of(k))] = batches > 0 ? static_cast<double>(messages_by_kind_[i]) / batches : 0.0;
  }
  const double n = n_;
  model["pre_prepare"] = n - 1;
  model["prepare"] = (n - 1) * (n - 1);
  model["commit"] = n * (n - 1);
  const std::uint64_t all_bytes = m["bytes"].get<std::uint64_t>();
  m["pbft"] = {{"messages_per_batch", per_batch},
               {"model_messages_per_batch", model},
               {"bytes_per_batch", batches > 0 ? static_cast<double>(all_bytes) / batches : 0.0},
               {"requests_per_batch", batches > 0 ? static_cast<double>(accepted_) / batches : 0.0}};
  return m;
}

CsvTable PbftSimulation::request_table() const {
  CsvTable t({"request", "client", "submitted_s", "accepted_s", "latency_s", "replies"});
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const ClientRequest& r = requests_[i];
    const bool accepted = r.accepted_s >= 0.0;
    t.cell(static_cast<std::uint64_t>(i)).cell(r.client).cell(r.submitted_s);
    t.cell(accepted ? r.accepted_s : std::numeric_limits<double>::quiet_NaN());
    t.cell(accepted ? r.accepted_s - r.submitted_s : std::numeric_limits<double>::quiet_NaN());
    t.cell(r.replies);
    t.end_row();
  }
  return t;
}

}  // namespace

RunResult run_pbft(const scenario::Scenario& scenario, ProgressListener* progress) {
  PbftSimulation sim(scenario, progress);
  return sim.run();
}

}  // namespace cbsim::sim
