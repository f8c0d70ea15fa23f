#include "models/network/topology.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <string_view>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/graph/small_world_generator.hpp>

#include "models/network/regions.h"
#include "models/random/shuffle.h"

namespace cbsim::models::network {

namespace {

using NodeId = std::uint32_t;
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// Boost's generators hold their engine by value, and small_world_iterator copies
// it twice per edge. Rng carries a 2.5 kB Mersenne Twister; a handle makes those
// copies cheap and makes every draw advance the caller's stream.
class RngHandle {
public:
  using result_type = random::Rng::result_type;
  explicit RngHandle(random::Rng& rng) : rng_(&rng) {}
  static constexpr result_type min() { return random::Rng::min(); }
  static constexpr result_type max() { return random::Rng::max(); }
  result_type operator()() { return (*rng_)(); }

private:
  random::Rng* rng_;
};

// Adjacency under construction. add_edge refuses self-loops and duplicates, so
// every generator yields a simple graph whatever its sampling does.
class GraphBuilder {
public:
  explicit GraphBuilder(std::size_t n) : neighbors_(n) {}

  std::size_t node_count() const { return neighbors_.size(); }

  bool has_edge(NodeId u, NodeId v) const {
    // Scanning the shorter list keeps hubs (Barabasi-Albert, Bitcoin's popular
    // inbound targets) from making every check expensive.
    const bool u_shorter = neighbors_[u].size() <= neighbors_[v].size();
    const auto& list = neighbors_[u_shorter ? u : v];
    return std::find(list.begin(), list.end(), u_shorter ? v : u) != list.end();
  }

  bool add_edge(NodeId u, NodeId v) {
    if (u == v || has_edge(u, v)) return false;
    add_new_edge(u, v);
    return true;
  }

  // For sources that already guarantee distinct, loop-free pairs (dense graphs
  // would make the duplicate check quadratic in the degree).
  void add_new_edge(NodeId u, NodeId v) {
    neighbors_[u].push_back(v);
    neighbors_[v].push_back(u);
  }

  Topology finish() && {
    for (auto& list : neighbors_) std::sort(list.begin(), list.end());
    return Topology{std::move(neighbors_)};
  }

private:
  std::vector<std::vector<NodeId>> neighbors_;
};

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void require(bool condition, std::string_view kind, const std::string& reason) {
  if (!condition) throw TopologyError("topology " + std::string(kind) + ": " + reason);
}

// Checks the degree parameter, which each kind reads its own way (`meaning`),
// and that n leaves room for it: every kind needs degree + `extra_nodes` nodes.
std::size_t checked_degree(const TopologyParams& params, std::size_t n, std::string_view kind,
                           std::string_view meaning, std::size_t extra_nodes) {
  require(params.degree >= 1, kind,
          "degree (" + std::string(meaning) + ") must be at least 1, got " + std::to_string(params.degree));
  const auto degree = static_cast<std::size_t>(params.degree);
  require(n >= degree + extra_nodes, kind,
          "degree " + std::to_string(degree) + " needs at least " + std::to_string(degree + extra_nodes) +
              " nodes, got " + std::to_string(n));
  return degree;
}

// A uniformly random node among those `eligible` accepts, or none if no node
// qualifies. Rejection sampling is O(1) while most nodes qualify; after a few
// misses an explicit scan bounds the cost when few do (full inbound slots,
// small graphs).
template <class Eligible>
std::optional<NodeId> sample_eligible(std::size_t n, random::Rng& rng, Eligible eligible) {
  constexpr int kRejectionAttempts = 64;
  for (int attempt = 0; attempt < kRejectionAttempts; ++attempt) {
    const auto candidate = static_cast<NodeId>(rng.uniform_index(n));
    if (eligible(candidate)) return candidate;
  }
  std::vector<NodeId> candidates;
  for (NodeId c = 0; c < n; ++c) {
    if (eligible(c)) candidates.push_back(c);
  }
  if (candidates.empty()) return std::nullopt;
  return candidates[rng.uniform_index(candidates.size())];
}

// --- bitcoin -------------------------------------------------------------------

struct BitcoinOverlay {
  GraphBuilder graph;
  std::vector<std::vector<NodeId>> outbound;
};

std::size_t draw_outbound_degree(random::Rng& rng) {
  const auto& cdf = bitcoin_outbound_degree_cdf();
  // The CDF ends at 1.0 and u < 1, so some entry always exceeds u.
  const double u = rng.uniform01();
  return static_cast<std::size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()) + 1;
}

BitcoinOverlay dial_bitcoin_overlay(std::size_t n, int max_inbound, random::Rng& rng) {
  require(max_inbound >= 1, "bitcoin", "max_inbound must be at least 1, got " + std::to_string(max_inbound));
  BitcoinOverlay overlay{GraphBuilder(n), std::vector<std::vector<NodeId>>(n)};
  std::vector<int> inbound(n, 0);
  for (NodeId v = 0; v < n; ++v) {
    const std::size_t wanted = draw_outbound_degree(rng);
    for (std::size_t i = 0; i < wanted; ++i) {
      const auto peer = sample_eligible(n, rng, [&](NodeId c) {
        return c != v && inbound[c] < max_inbound && !overlay.graph.has_edge(v, c);
      });
      if (!peer) break;  // every other node is full or already a peer
      overlay.graph.add_new_edge(v, *peer);
      overlay.outbound[v].push_back(*peer);
      ++inbound[*peer];
    }
    std::sort(overlay.outbound[v].begin(), overlay.outbound[v].end());
  }
  return overlay;
}

GraphBuilder bitcoin(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  return std::move(dial_bitcoin_overlay(n, params.max_inbound, rng).graph);
}

// --- random-regular ----------------------------------------------------------

// Whether some two of the nodes still holding stubs could be joined by a new
// edge. Each such node has fewer than `degree` neighbours, so among more than
// `degree` of them a non-adjacent pair always exists.
bool can_pair_any(const GraphBuilder& graph, std::vector<NodeId> nodes, std::size_t degree) {
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  if (nodes.size() > degree) return true;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (std::size_t j = i + 1; j < nodes.size(); ++j) {
      if (!graph.has_edge(nodes[i], nodes[j])) return true;
    }
  }
  return false;
}

// Pairing model in the Steger-Wormald style (as in networkx): pair shuffled
// stubs, keep the pairs that form new simple edges and re-pair the rest. Plain
// rejection of non-simple pairings would almost never succeed at degree 8
// (P(simple) ~ exp(-(d^2-1)/4) ~ 1e-7).
std::optional<GraphBuilder> try_pair_stubs(std::size_t n, std::size_t degree, random::Rng& rng) {
  GraphBuilder graph(n);
  std::vector<NodeId> stubs;
  stubs.reserve(n * degree);
  for (NodeId v = 0; v < n; ++v) stubs.insert(stubs.end(), degree, v);
  while (!stubs.empty()) {
    random::shuffle(stubs, rng);
    std::vector<NodeId> unpaired;
    for (std::size_t i = 0; i + 1 < stubs.size(); i += 2) {
      if (!graph.add_edge(stubs[i], stubs[i + 1])) {
        unpaired.push_back(stubs[i]);
        unpaired.push_back(stubs[i + 1]);
      }
    }
    if (!unpaired.empty() && !can_pair_any(graph, unpaired, degree)) return std::nullopt;
    stubs = std::move(unpaired);
  }
  return graph;
}

GraphBuilder random_regular(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  constexpr std::string_view kind = "random-regular";
  const std::size_t degree = checked_degree(params, n, kind, "edges per node", 1);
  require(n * degree % 2 == 0, kind,
          "degree " + std::to_string(degree) + " times " + std::to_string(n) +
              " nodes is odd; a regular graph needs an even number of edge endpoints");
  constexpr int kAttempts = 100;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (auto graph = try_pair_stubs(n, degree, rng)) return std::move(*graph);
  }
  throw TopologyError("topology random-regular: no simple " + std::to_string(degree) + "-regular graph on " +
                      std::to_string(n) + " nodes found after " + std::to_string(kAttempts) +
                      " attempts; lower degree");
}

// --- erdos-renyi -------------------------------------------------------------

GraphBuilder erdos_renyi(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  const double p = params.edge_probability;
  require(p >= 0 && p <= 1, "erdos-renyi", "edge_probability must be in [0, 1], got " + format_number(p));
  GraphBuilder graph(n);
  // Boost's geometric skipping needs 0 < p < 1; the two ends need no randomness.
  if (p == 0) return graph;
  if (p == 1) {
    for (NodeId u = 0; u < n; ++u) {
      for (NodeId v = u + 1; v < n; ++v) graph.add_new_edge(u, v);
    }
    return graph;
  }
  // The sorted iterator is exact G(n, p) in O(n + edges); the unsorted one draws
  // a fixed edge count with possible repeats.
  RngHandle handle(rng);
  using Iterator = boost::sorted_erdos_renyi_iterator<RngHandle, BoostGraph>;
  for (Iterator it(handle, n, p), end; it != end; ++it) graph.add_new_edge(it->first, it->second);
  return graph;
}

// --- watts-strogatz ----------------------------------------------------------

std::size_t ring_distance(NodeId a, NodeId b, std::size_t n) {
  const std::size_t d = a > b ? a - b : b - a;
  return std::min(d, n - d);
}

GraphBuilder watts_strogatz(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  constexpr std::string_view kind = "watts-strogatz";
  // With k = n - 1 the ring is complete and Boost would search forever for a
  // rewiring target, hence two nodes beyond k.
  const std::size_t k = checked_degree(params, n, kind, "ring neighbours k", 2);
  require(k % 2 == 0, kind, "degree (ring neighbours k) must be even, got " + std::to_string(k));
  const double beta = params.rewire_probability;
  require(beta >= 0 && beta <= 1, kind, "rewire_probability must be in [0, 1], got " + format_number(beta));
  const std::size_t half = k / 2;
  GraphBuilder graph(n);
  RngHandle handle(rng);
  using Iterator = boost::small_world_iterator<RngHandle, BoostGraph>;
  for (Iterator it(handle, n, k, beta), end; it != end; ++it) {
    const auto u = static_cast<NodeId>(it->first);
    if (graph.add_edge(u, static_cast<NodeId>(it->second))) continue;
    // Boost rewires without looking at the edges it has produced, so two
    // rewirings can pick the same pair. Ring edges never collide with anything
    // (a rewired target is always farther than k/2 around the ring), so only a
    // rewired edge gets here; drawing its target again, as Watts and Strogatz
    // do, keeps exactly n*k/2 edges.
    const auto target = sample_eligible(n, rng, [&](NodeId c) {
      return ring_distance(u, c, n) > half && !graph.has_edge(u, c);
    });
    if (target) graph.add_new_edge(u, *target);
  }
  return graph;
}

// --- barabasi-albert ---------------------------------------------------------

GraphBuilder barabasi_albert(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  constexpr std::string_view kind = "barabasi-albert";
  // The seed clique has m + 1 nodes.
  const std::size_t m = checked_degree(params, n, kind, "edges per new node m", 1);
  GraphBuilder graph(n);
  // Every edge puts both ends here, so a uniform draw picks a node with
  // probability proportional to its degree: preferential attachment.
  std::vector<NodeId> endpoints;
  endpoints.reserve(m * (m + 1) + 2 * m * (n - m - 1));
  for (NodeId u = 0; u <= m; ++u) {
    for (NodeId v = u + 1; v <= m; ++v) {
      graph.add_new_edge(u, v);
      endpoints.insert(endpoints.end(), {u, v});
    }
  }
  std::vector<NodeId> targets;
  for (auto v = static_cast<NodeId>(m + 1); v < n; ++v) {
    targets.clear();
    while (targets.size() < m) {
      const NodeId candidate = endpoints[rng.uniform_index(endpoints.size())];
      if (std::find(targets.begin(), targets.end(), candidate) == targets.end()) targets.push_back(candidate);
    }
    for (NodeId t : targets) {
      graph.add_new_edge(v, t);
      endpoints.insert(endpoints.end(), {v, t});
    }
  }
  return graph;
}

// --- the kinds, defined once -------------------------------------------------

struct Generator {
  std::string_view kind;
  GraphBuilder (*generate)(const TopologyParams&, std::size_t, random::Rng&);
  std::string_view density_parameter;  // what to raise when the graph comes out disconnected
  double (*density)(const TopologyParams&);
};

const Generator kGenerators[] = {
    {"bitcoin", bitcoin, "max_inbound", [](const TopologyParams& p) { return double(p.max_inbound); }},
    {"random-regular", random_regular, "degree", [](const TopologyParams& p) { return double(p.degree); }},
    {"erdos-renyi", erdos_renyi, "edge_probability", [](const TopologyParams& p) { return p.edge_probability; }},
    {"watts-strogatz", watts_strogatz, "degree", [](const TopologyParams& p) { return double(p.degree); }},
    {"barabasi-albert", barabasi_albert, "degree", [](const TopologyParams& p) { return double(p.degree); }},
};

const Generator& find_generator(std::string_view kind) {
  for (const auto& generator : kGenerators) {
    if (generator.kind == kind) return generator;
  }
  std::string known;
  for (const auto& name : topology_kinds()) known += (known.empty() ? "" : ", ") + name;
  throw TopologyError("unknown topology kind \"" + std::string(kind) + "\"; known kinds: " + known);
}

std::size_t count_components(const std::vector<std::vector<NodeId>>& neighbors) {
  if (neighbors.empty()) return 0;
  BoostGraph graph(neighbors.size());
  for (NodeId u = 0; u < neighbors.size(); ++u) {
    for (NodeId v : neighbors[u]) {
      if (u < v) boost::add_edge(u, v, graph);
    }
  }
  std::vector<std::size_t> component(neighbors.size());
  return static_cast<std::size_t>(boost::connected_components(graph, component.data()));
}

}  // namespace

std::size_t Topology::edge_count() const {
  std::size_t endpoints = 0;
  for (const auto& list : neighbors) endpoints += list.size();
  return endpoints / 2;
}

bool Topology::is_connected() const { return count_components(neighbors) <= 1; }

double Topology::mean_degree() const {
  return neighbors.empty() ? 0.0 : 2.0 * static_cast<double>(edge_count()) / static_cast<double>(neighbors.size());
}

std::vector<std::string> topology_kinds() {
  std::vector<std::string> kinds;
  for (const auto& generator : kGenerators) kinds.emplace_back(generator.kind);
  return kinds;
}

Topology generate_topology(const TopologyParams& params, std::size_t n, random::Rng& rng) {
  const Generator& generator = find_generator(params.kind);
  require(n >= 1, generator.kind, "needs at least one node");
  Topology topology = generator.generate(params, n, rng).finish();
  const std::size_t components = count_components(topology.neighbors);
  if (components > 1) {
    throw TopologyError("topology " + std::string(generator.kind) + " with " + std::to_string(n) + " nodes and " +
                        std::string(generator.density_parameter) + " " + format_number(generator.density(params)) +
                        " is disconnected (" + std::to_string(components) + " components); raise " +
                        std::string(generator.density_parameter));
  }
  return topology;
}

std::vector<std::vector<std::uint32_t>> generate_bitcoin_outbound(std::size_t n, int max_inbound, random::Rng& rng) {
  return std::move(dial_bitcoin_overlay(n, max_inbound, rng).outbound);
}

}  // namespace cbsim::models::network
