#include "sim/runner/overlay.h"

#include <algorithm>

#include "models/random/rng.h"
#include "sim/scenario/scenario_loader.h"

namespace cbsim::sim {

AttackRoles choose_attack_roles(const scenario::Scenario& s) {
  const auto n = static_cast<std::uint64_t>(s.nodes.count);
  models::random::Rng rng(s.seed, "attack");
  AttackRoles roles;
  roles.attacker = static_cast<std::uint32_t>(rng.uniform_index(n));
  roles.victim = s.attack.victim >= 0 ? static_cast<std::uint32_t>(s.attack.victim) : roles.attacker;
  while (roles.victim == roles.attacker) roles.victim = static_cast<std::uint32_t>(rng.uniform_index(n));
  return roles;
}

namespace {
void link(models::network::Topology& t, std::uint32_t a, std::uint32_t b) {
  for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
    auto& list = t.neighbors[x];
    const auto at = std::lower_bound(list.begin(), list.end(), y);
    if (at == list.end() || *at != y) list.insert(at, y);
  }
}

// The attacker occupies every connection of the victim; a former peer left
// without any connection is linked to the attacker.
void eclipse(models::network::Topology& t, const AttackRoles& roles, const scenario::Scenario& s) {
  const std::vector<std::uint32_t> former = t.neighbors[roles.victim];
  for (std::uint32_t peer : former) std::erase(t.neighbors[peer], roles.victim);
  t.neighbors[roles.victim].clear();
  link(t, roles.victim, roles.attacker);
  for (std::uint32_t peer : former)
    if (t.neighbors[peer].empty()) link(t, peer, roles.attacker);
  if (!t.is_connected())
    throw scenario::ScenarioError(s.source, "attack.victim",
                                  "eclipsing node " + std::to_string(roles.victim) + " disconnects the overlay");
}
}  // namespace

models::network::Topology build_overlay(const scenario::Scenario& s) {
  models::network::TopologyParams params;
  params.kind = s.network.topology;
  params.degree = s.network.degree;
  params.edge_probability = s.network.edge_probability;
  params.rewire_probability = s.network.rewire_probability;
  params.max_inbound = s.network.max_inbound;
  models::random::Rng rng(s.seed, "topology");
  models::network::Topology topology;
  try {
    topology = models::network::generate_topology(params, static_cast<std::size_t>(s.nodes.count), rng);
  } catch (const models::network::TopologyError& e) {
    throw scenario::ScenarioError(s.source, "network.topology", e.what());
  }
  if (s.attack.kind == "eclipse") eclipse(topology, choose_attack_roles(s), s);
  return topology;
}

}  // namespace cbsim::sim
