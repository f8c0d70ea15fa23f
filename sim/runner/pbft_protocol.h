#pragma once
// PBFT as the committee runner (committee_simulation.cpp) sees it: the
// replica and message types, the configuration from the scenario, wire sizes,
// and the normal-case message counts per committed batch (Castro & Liskov:
// pre-prepare n-1, prepare (n-1)^2, commit n(n-1); REFERENCE.md).

#include <string_view>
#include <utility>
#include <vector>

#include "models/consensus/pbft/replica.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

struct PbftProtocol {
  using Replica = models::consensus::pbft::PbftReplica;
  using Message = models::consensus::pbft::Message;
  using Environment = models::consensus::pbft::PbftEnvironment;
  using MsgKind = models::consensus::pbft::MsgKind;
  using Behaviour = models::consensus::pbft::Behaviour;

  static constexpr std::string_view kName = "pbft";
  static constexpr std::string_view kUnit = "batch";  // what one sequence number commits
  static constexpr std::string_view kUnits = "batches";
  static constexpr std::size_t kKinds = static_cast<std::size_t>(MsgKind::count);
  static constexpr MsgKind kRequest = MsgKind::request;
  static constexpr MsgKind kReply = MsgKind::reply;
  static constexpr Behaviour kHonest = Behaviour::honest;
  static constexpr Behaviour kEquivocating = Behaviour::equivocating_primary;
  static std::string_view name_of(MsgKind k) { return models::consensus::pbft::name_of(k); }
  static void corrupt(Message& m) { models::consensus::pbft::corrupt(m); }
  // View changes a replica started (its request timer expired, or f+1 others asked).
  static std::uint64_t timeouts(const Replica& r) { return r.view_changes_started(); }
  // What `r` checks in `m`: a view-change it already holds is recognised by
  // its digest (one MAC), not verified again.
  static models::consensus::AuthWork verification_work(const Replica& r, const Message& m, std::uint32_t n) {
    if (m.kind == MsgKind::view_change && m.view_change && r.holds_view_change(m.from, m.view_change->new_view))
      return {1, 0};
    return models::consensus::pbft::verification_work(m, n);
  }

  explicit PbftProtocol(const scenario::Scenario& s) {
    const scenario::CommitteeConfig& c = s.committee;
    config = models::consensus::pbft::make_config(static_cast<std::uint32_t>(s.nodes.count));
    config.batch_max_requests = static_cast<std::uint32_t>(c.batch_max_requests);
    config.batch_timeout_s = c.batch_timeout_s;
    config.checkpoint_interval = static_cast<std::uint64_t>(c.checkpoint_interval);
    config.log_window = static_cast<std::uint64_t>(c.log_window);
    config.view_change_timeout_s = c.view_change_timeout_s;
    wire = {config.n, static_cast<std::uint32_t>(c.mac_bytes)};
  }
  std::uint32_t f() const { return config.f; }
  Replica make_replica(std::uint32_t id) const { return Replica(id, config); }
  std::uint64_t wire_size(const Message& m) const { return models::consensus::pbft::wire_size(m, wire); }

  // The ordering messages of one batch and their closed-form counts.
  std::vector<std::pair<MsgKind, double>> model_per_unit() const {
    const double n = config.n;
    return {{MsgKind::pre_prepare, n - 1}, {MsgKind::prepare, (n - 1) * (n - 1)}, {MsgKind::commit, n * (n - 1)}};
  }

  models::consensus::pbft::PbftConfig config;
  models::consensus::pbft::WireParams wire;
};

}  // namespace cbsim::sim
