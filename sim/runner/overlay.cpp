#include "sim/runner/overlay.h"

#include "models/random/rng.h"
#include "sim/scenario/scenario_loader.h"

namespace cbsim::sim {

models::network::Topology build_overlay(const scenario::Scenario& s) {
  models::network::TopologyParams params;
  params.kind = s.network.topology;
  params.degree = s.network.degree;
  params.edge_probability = s.network.edge_probability;
  params.rewire_probability = s.network.rewire_probability;
  params.max_inbound = s.network.max_inbound;
  models::random::Rng rng(s.seed, "topology");
  try {
    return models::network::generate_topology(params, static_cast<std::size_t>(s.nodes.count), rng);
  } catch (const models::network::TopologyError& e) {
    throw scenario::ScenarioError(s.source, "network.topology", e.what());
  }
}

}  // namespace cbsim::sim
