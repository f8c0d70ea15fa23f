#pragma once
// Chained HotStuff as the committee runner (committee_simulation.cpp) sees it:
// the replica and message types, the configuration from the scenario, wire
// sizes, and the normal-case message counts per committed block: the leader's
// proposal to n-1 replicas and n-1 votes to the next leader (linear, Yin et
// al. 2019), against PBFT's quadratic prepare and commit phases.

#include <string_view>
#include <utility>
#include <vector>

#include "models/consensus/hotstuff/replica.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

struct HotStuffProtocol {
  using Replica = models::consensus::hotstuff::HotStuffReplica;
  using Message = models::consensus::hotstuff::Message;
  using Environment = models::consensus::hotstuff::HotStuffEnvironment;
  using MsgKind = models::consensus::hotstuff::MsgKind;
  using Behaviour = models::consensus::hotstuff::Behaviour;

  static constexpr std::string_view kName = "hotstuff";
  static constexpr std::string_view kUnit = "block";  // what one height commits
  static constexpr std::string_view kUnits = "blocks";
  static constexpr std::size_t kKinds = static_cast<std::size_t>(MsgKind::count);
  static constexpr MsgKind kRequest = MsgKind::request;
  static constexpr MsgKind kReply = MsgKind::reply;
  static constexpr Behaviour kHonest = Behaviour::honest;
  static constexpr Behaviour kEquivocating = Behaviour::equivocating_leader;
  static std::string_view name_of(MsgKind k) { return models::consensus::hotstuff::name_of(k); }
  static void corrupt(Message& m) { models::consensus::hotstuff::corrupt(m); }
  // Pacemaker timeouts of a replica.
  static std::uint64_t timeouts(const Replica& r) { return r.timeouts(); }
  // What `r` checks in `m`: a block it already knows is not verified again.
  static models::consensus::AuthWork verification_work(const Replica& r, const Message& m, std::uint32_t /*n*/) {
    if ((m.kind == MsgKind::proposal || m.kind == MsgKind::block) && m.block && r.knows_block(m.block->digest))
      return {1, 0};
    return models::consensus::hotstuff::verification_work(m);
  }

  explicit HotStuffProtocol(const scenario::Scenario& s) {
    const scenario::CommitteeConfig& c = s.committee;
    config = models::consensus::hotstuff::make_config(static_cast<std::uint32_t>(s.nodes.count));
    config.batch_max_requests = static_cast<std::uint32_t>(c.batch_max_requests);
    config.view_timeout_s = c.view_change_timeout_s;
    wire.n = config.n;
    wire.mac_bytes = static_cast<std::uint32_t>(c.mac_bytes);
  }
  std::uint32_t f() const { return config.f; }
  Replica make_replica(std::uint32_t id) const { return Replica(id, config); }
  std::uint64_t wire_size(const Message& m) const { return models::consensus::hotstuff::wire_size(m, wire); }

  std::vector<std::pair<MsgKind, double>> model_per_unit() const {
    const double n = config.n;
    return {{MsgKind::proposal, n - 1}, {MsgKind::vote, n - 1}, {MsgKind::new_view, 0.0}};
  }

  models::consensus::hotstuff::HotStuffConfig config;
  models::consensus::hotstuff::WireParams wire;
};

}  // namespace cbsim::sim
