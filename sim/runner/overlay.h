#pragma once
// The overlay network of a scenario: its topology, drawn from the scenario's
// "topology" random stream (so validation and the run build the same graph).

#include "models/network/topology.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// Throws scenario::ScenarioError naming network.topology if the graph cannot be built.
models::network::Topology build_overlay(const scenario::Scenario& s);

}  // namespace cbsim::sim
