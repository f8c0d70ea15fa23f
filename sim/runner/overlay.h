#pragma once
// The overlay network of a scenario: its topology, drawn from the scenario's
// "topology" random stream (so validation and the run build the same graph).

#include "models/network/topology.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// Which node attacks and which is its victim (merchant or eclipsed node),
// drawn from the scenario's "attack" stream unless attack.victim names it.
struct AttackRoles {
  std::uint32_t attacker = 0;
  std::uint32_t victim = 0;
};
AttackRoles choose_attack_roles(const scenario::Scenario& s);

// Throws scenario::ScenarioError naming network.topology if the graph cannot
// be built, or attack.victim if eclipsing the victim would disconnect it.
// For an eclipse attack the victim's only peer is the attacker.
models::network::Topology build_overlay(const scenario::Scenario& s);

}  // namespace cbsim::sim
