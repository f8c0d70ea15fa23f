#pragma once
// A scenario's faults list as the questions a simulation asks while it runs:
// is this node down now, what happens to this message, how does this node
// misbehave. One plan serves every protocol; the simulations decide what a
// crashed node does not do (mine, relay, fire timers).
//
// Endpoints at or above the node count (a committee's clients) are never
// faulty; a partition with no peers listed cuts its nodes off from them too.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/random/rng.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

enum class ByzantineBehaviour : std::uint8_t { none, silent, equivocate, replay, corrupt };

// What became of a message at its sending.
struct MessageFate {
  enum class Lost : std::uint8_t { no, sender_down, partition, link_loss, silent } lost = Lost::no;
  double extra_delay_s = 0.0;
};

struct FaultCounts {
  std::uint64_t lost_sender_down = 0;
  std::uint64_t lost_receiver_down = 0;
  std::uint64_t lost_partition = 0;
  std::uint64_t lost_link = 0;
  std::uint64_t delayed = 0;
  std::uint64_t suppressed_silent = 0;  // not sent by a silent Byzantine node
};

class FaultPlan {
public:
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  FaultPlan(const std::vector<scenario::FaultConfig>& faults, std::uint32_t node_count, models::random::Rng rng);

  // A host-crash fault crashes the nodes on its hosts when it starts, which
  // only the cloud knows then (consolidation moves VMs during the run): the
  // resolver names them, asked once, when the fault is first in force.
  using NodeResolver = std::function<std::vector<int>(const scenario::FaultConfig&)>;
  void set_node_resolver(NodeResolver resolver) { resolver_ = std::move(resolver); }

  bool empty() const { return faults_.empty(); }
  // Crashed at time t (crash windows are [at_s, until_s)).
  bool is_down(std::uint32_t node, double t) const;
  // The end of the crash that holds `node` down at t; kNever if it never recovers.
  double up_again(std::uint32_t node, double t) const;
  // The fate of a message sent at t: lost (a crashed or silent sender, a
  // partition, a lossy link: one random draw per lossy fault) or delayed.
  // Counted in counts().
  MessageFate on_send(std::uint32_t from, std::uint32_t to, double t);
  // A message arriving at t at a crashed node is lost; counted here.
  bool lost_on_arrival(std::uint32_t to, double t);

  // The Byzantine behaviour of `node` at t (none: honest at t).
  ByzantineBehaviour behaviour(std::uint32_t node, double t) const;
  // The replay delay of the replay fault active for `node` at t.
  double replay_delay_s(std::uint32_t node, double t) const;
  // Nodes with a Byzantine fault at any time of the run (they never count as
  // honest for the safety check).
  const std::vector<bool>& ever_byzantine() const { return ever_byzantine_; }
  std::uint32_t byzantine_count() const { return byzantine_count_; }
  // Every time a fault starts or ends, ascending, without duplicates.
  std::vector<double> change_times() const;
  // Starts of the faults, in list order.
  std::vector<double> start_times() const;

  const FaultCounts& counts() const { return counts_; }

private:
  struct Fault {
    scenario::FaultConfig config;
    std::vector<bool> in_nodes;  // by endpoint < node_count
    std::vector<bool> in_peers;
    ByzantineBehaviour behaviour = ByzantineBehaviour::none;
    double end = kNever;
    bool unresolved = false;  // a host-crash whose nodes the resolver has not named yet
    bool active(double t) const { return t >= config.at_s && t < end; }
    bool has(std::uint32_t node) const { return node < in_nodes.size() && in_nodes[node]; }
    // peers listed: in them; none listed: any endpoint not in nodes (the other
    // side of a partition; a degrade fault without peers affects every link)
    bool has_peer(std::uint32_t node) const;
  };
  const Fault* active_byzantine(std::uint32_t node, double t) const;
  // The faults active at t, in list order. The set only changes at the
  // faults' starts and ends, so it is kept for the interval between two
  // change times: a run with thousands of faults (a provisioned cloud's
  // nodes) scans only those in force, not all of them, per message.
  const std::vector<const Fault*>& active_at(double t) const;
  void resolve(Fault& f) const;

  std::vector<Fault> faults_;
  NodeResolver resolver_;
  std::vector<double> change_times_;
  mutable std::vector<const Fault*> active_;
  mutable double active_from_ = 0.0, active_until_ = -1.0;  // empty interval: nothing cached yet
  std::uint32_t node_count_;
  models::random::Rng rng_;
  std::vector<bool> ever_byzantine_;
  std::uint32_t byzantine_count_ = 0;
  FaultCounts counts_;
};

// metrics.json's "faults": how many, and the messages they lost, delayed or withheld.
nlohmann::json fault_metrics(const scenario::Scenario& scenario, const FaultPlan& plan);

}  // namespace cbsim::sim
