#pragma once
// Overlay graphs: who is a peer of whom. Generated once per run from the
// scenario's parameters and the run's seed; the engine turns each edge into a
// connection between two simulated hosts.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/random/rng.h"

namespace cbsim::models::network {

struct TopologyParams {
  std::string kind;                  // "bitcoin" | "random-regular" | "erdos-renyi" | "watts-strogatz" | "barabasi-albert"
  int degree = 8;                    // random-regular: degree; watts-strogatz: ring neighbours k (even); barabasi-albert: edges m per new node
  double edge_probability = 0.01;    // erdos-renyi p
  double rewire_probability = 0.1;   // watts-strogatz beta
  int max_inbound = 125;             // bitcoin: inbound limit per node
};

struct Topology {
  std::vector<std::vector<std::uint32_t>> neighbors;  // undirected, each list sorted, no self loops, no duplicates

  std::size_t node_count() const { return neighbors.size(); }
  std::size_t edge_count() const;
  bool is_connected() const;
  double mean_degree() const;
};

class TopologyError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::vector<std::string> topology_kinds();

// Generates the graph. Throws TopologyError with the reason when the parameters
// are impossible (unknown kind, n*degree odd for random-regular, degree >= n,
// odd k for Watts-Strogatz, ...) or when the result is disconnected.
Topology generate_topology(const TopologyParams& params, std::size_t n, random::Rng& rng);

// The directed process behind kind "bitcoin" (SimBlock's): node v dials
// outbound[v] (sorted), a count drawn from bitcoin_outbound_degree_cdf(), to
// uniformly random distinct peers that are not yet connected to v and have
// fewer than max_inbound inbound connections. Exposed because the inbound limit
// and the outbound-degree law are properties of who dialled whom, which the
// undirected Topology forgets. With the same Rng state, generate_topology
// returns exactly this overlay made undirected.
std::vector<std::vector<std::uint32_t>> generate_bitcoin_outbound(std::size_t n, int max_inbound, random::Rng& rng);

}  // namespace cbsim::models::network
