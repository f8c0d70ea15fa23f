#include "sim/faults/fault_plan.h"

#include <algorithm>
#include <stdexcept>

namespace cbsim::sim {

namespace {

ByzantineBehaviour parse_behaviour(const std::string& name) {
  if (name == "silent") return ByzantineBehaviour::silent;
  if (name == "equivocate") return ByzantineBehaviour::equivocate;
  if (name == "replay") return ByzantineBehaviour::replay;
  if (name == "corrupt") return ByzantineBehaviour::corrupt;
  throw std::invalid_argument("unknown Byzantine behaviour " + name);
}

std::vector<bool> membership(const std::vector<int>& nodes, std::uint32_t node_count) {
  std::vector<bool> in(node_count, false);
  for (const int n : nodes) in.at(static_cast<std::size_t>(n)) = true;
  return in;
}

}  // namespace

bool FaultPlan::Fault::has_peer(std::uint32_t node) const {
  if (config.peers.empty()) return !has(node);
  return node < in_peers.size() && in_peers[node];
}

FaultPlan::FaultPlan(const std::vector<scenario::FaultConfig>& faults, std::uint32_t node_count,
                     models::random::Rng rng)
    : node_count_(node_count), rng_(std::move(rng)), ever_byzantine_(node_count, false) {
  for (const scenario::FaultConfig& c : faults) {
    Fault f;
    f.config = c;
    f.in_nodes = membership(c.nodes, node_count);
    f.in_peers = membership(c.peers, node_count);
    f.end = c.until_s > 0.0 ? c.until_s : kNever;
    f.unresolved = c.kind == "host-crash";
    if (c.kind == "byzantine") {
      f.behaviour = parse_behaviour(c.behaviour);
      for (const int n : c.nodes) ever_byzantine_[static_cast<std::size_t>(n)] = true;
    }
    faults_.push_back(std::move(f));
  }
  byzantine_count_ = static_cast<std::uint32_t>(std::count(ever_byzantine_.begin(), ever_byzantine_.end(), true));
  change_times_ = change_times();
}

void FaultPlan::resolve(Fault& f) const {
  if (!resolver_) throw std::logic_error("a host-crash fault needs the cloud to name its nodes");
  f.config.nodes = resolver_(f.config);
  f.config.kind = "crash";
  f.in_nodes = membership(f.config.nodes, node_count_);
  f.unresolved = false;
}

const std::vector<const FaultPlan::Fault*>& FaultPlan::active_at(double t) const {
  if (t >= active_from_ && t < active_until_) return active_;
  const auto next = std::upper_bound(change_times_.begin(), change_times_.end(), t);
  active_from_ = next == change_times_.begin() ? -kNever : *std::prev(next);
  active_until_ = next == change_times_.end() ? kNever : *next;
  active_.clear();
  for (const Fault& f : faults_) {
    if (!f.active(t)) continue;
    if (f.unresolved) resolve(const_cast<Fault&>(f));  // the plan's own faults: const only for its callers
    active_.push_back(&f);
  }
  return active_;
}

bool FaultPlan::is_down(std::uint32_t node, double t) const {
  const auto& active = active_at(t);
  return std::any_of(active.begin(), active.end(),
                     [&](const Fault* f) { return f->config.kind == "crash" && f->has(node); });
}

double FaultPlan::up_again(std::uint32_t node, double t) const {
  // Overlapping crashes: the node is up once no crash holds it.
  double at = t;
  for (bool moved = true; moved;) {
    moved = false;
    for (const Fault& f : faults_) {
      if (f.config.kind == "crash" && f.active(at) && f.has(node)) {
        at = f.end;
        moved = true;
        if (at == kNever) return kNever;
      }
    }
  }
  return at;
}

MessageFate FaultPlan::on_send(std::uint32_t from, std::uint32_t to, double t) {
  MessageFate fate;
  if (faults_.empty()) return fate;
  if (is_down(from, t)) {
    ++counts_.lost_sender_down;
    fate.lost = MessageFate::Lost::sender_down;
    return fate;
  }
  if (behaviour(from, t) == ByzantineBehaviour::silent) {
    ++counts_.suppressed_silent;
    fate.lost = MessageFate::Lost::silent;
    return fate;
  }
  for (const Fault* active : active_at(t)) {
    const Fault& f = *active;
    const bool crosses = (f.has(from) && f.has_peer(to)) || (f.has(to) && f.has_peer(from));
    if (f.config.kind == "partition" && crosses) {
      ++counts_.lost_partition;
      fate.lost = MessageFate::Lost::partition;
      return fate;
    }
    // A degraded node's links are all slow unless peers narrow them down.
    const bool degraded_link = f.config.peers.empty() ? (f.has(from) || f.has(to)) : crosses;
    if (f.config.kind == "degrade" && degraded_link) {
      if (f.config.loss > 0.0 && rng_.uniform01() < f.config.loss) {
        ++counts_.lost_link;
        fate.lost = MessageFate::Lost::link_loss;
        return fate;
      }
      fate.extra_delay_s += f.config.extra_latency_s;
    }
  }
  if (fate.extra_delay_s > 0.0) ++counts_.delayed;
  return fate;
}

bool FaultPlan::lost_on_arrival(std::uint32_t to, double t) {
  if (faults_.empty() || !is_down(to, t)) return false;
  ++counts_.lost_receiver_down;
  return true;
}

const FaultPlan::Fault* FaultPlan::active_byzantine(std::uint32_t node, double t) const {
  if (node >= node_count_ || !ever_byzantine_[node]) return nullptr;
  for (const Fault* f : active_at(t))
    if (f->behaviour != ByzantineBehaviour::none && f->has(node)) return f;
  return nullptr;
}

ByzantineBehaviour FaultPlan::behaviour(std::uint32_t node, double t) const {
  const Fault* f = active_byzantine(node, t);
  return f ? f->behaviour : ByzantineBehaviour::none;
}

double FaultPlan::replay_delay_s(std::uint32_t node, double t) const {
  const Fault* f = active_byzantine(node, t);
  return f ? f->config.replay_delay_s : 0.0;
}

std::vector<double> FaultPlan::change_times() const {
  std::vector<double> times;
  for (const Fault& f : faults_) {
    times.push_back(f.config.at_s);
    if (f.end != kNever) times.push_back(f.end);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

std::vector<double> FaultPlan::start_times() const {
  std::vector<double> times;
  for (const Fault& f : faults_) times.push_back(f.config.at_s);
  return times;
}

nlohmann::json fault_metrics(const scenario::Scenario& scenario, const FaultPlan& plan) {
  const FaultCounts& c = plan.counts();
  return {{"count", scenario.faults.size()},
          {"messages_lost", {{"sender_down", c.lost_sender_down},
                             {"receiver_down", c.lost_receiver_down},
                             {"partition", c.lost_partition},
                             {"link_loss", c.lost_link}}},
          {"messages_delayed", c.delayed},
          {"messages_withheld_silent", c.suppressed_silent}};
}

}  // namespace cbsim::sim
