#include "models/network/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "models/network/regions.h"

namespace cbsim::models::network {
namespace {

TopologyParams params_of(std::string kind, int degree = 8) {
  TopologyParams params;
  params.kind = std::move(kind);
  params.degree = degree;
  return params;
}

TopologyParams erdos_renyi(double p) {
  TopologyParams params = params_of("erdos-renyi");
  params.edge_probability = p;
  return params;
}

Topology generate(const TopologyParams& params, std::size_t n, std::uint64_t seed = 1) {
  random::Rng rng(seed, "topology");
  return generate_topology(params, n, rng);
}

std::string error_of(const TopologyParams& params, std::size_t n) {
  try {
    generate(params, n);
  } catch (const TopologyError& e) {
    return e.what();
  }
  return "(no TopologyError)";
}

// Mean and variance of the outbound degree under bitcoin_outbound_degree_cdf().
std::pair<double, double> cdf_mean_and_variance() {
  const auto& cdf = bitcoin_outbound_degree_cdf();
  double mean = 0, second_moment = 0, previous = 0;
  for (std::size_t i = 0; i < cdf.size(); ++i) {
    const double degree = static_cast<double>(i + 1), p = cdf[i] - previous;
    mean += degree * p;
    second_moment += degree * degree * p;
    previous = cdf[i];
  }
  return {mean, second_moment - mean * mean};
}

// --- invariants every generator must keep --------------------------------------

struct Case {
  TopologyParams params;
  std::size_t n;
};

class EveryGenerator : public testing::TestWithParam<Case> {};

TEST_P(EveryGenerator, YieldsASimpleSymmetricConnectedGraph) {
  const auto& [params, n] = GetParam();
  const Topology topology = generate(params, n);
  ASSERT_EQ(topology.node_count(), n);
  std::size_t endpoints = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    const auto& list = topology.neighbors[v];
    endpoints += list.size();
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end())) << "node " << v;
    EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end()) << "duplicate at node " << v;
    EXPECT_FALSE(std::binary_search(list.begin(), list.end(), v)) << "self-loop at node " << v;
    for (std::uint32_t u : list) {
      ASSERT_LT(u, n);
      EXPECT_TRUE(std::binary_search(topology.neighbors[u].begin(), topology.neighbors[u].end(), v))
          << v << "->" << u << " has no reverse";
    }
  }
  EXPECT_EQ(topology.edge_count() * 2, endpoints);
  EXPECT_DOUBLE_EQ(topology.mean_degree(), static_cast<double>(endpoints) / static_cast<double>(n));
  EXPECT_TRUE(topology.is_connected());
}

TEST_P(EveryGenerator, SameSeedSameGraphOtherSeedOtherGraph) {
  const auto& [params, n] = GetParam();
  const Topology first = generate(params, n, 11);
  EXPECT_EQ(first.neighbors, generate(params, n, 11).neighbors);
  EXPECT_NE(first.neighbors, generate(params, n, 12).neighbors);
}

INSTANTIATE_TEST_SUITE_P(Kinds, EveryGenerator,
                         testing::Values(Case{params_of("bitcoin"), 2000}, Case{params_of("random-regular", 8), 2000},
                                         Case{params_of("random-regular", 3), 502},
                                         Case{erdos_renyi(0.01), 2000}, Case{params_of("watts-strogatz", 8), 2000},
                                         Case{params_of("watts-strogatz", 4), 30},
                                         Case{params_of("barabasi-albert", 4), 2000},
                                         Case{params_of("barabasi-albert", 1), 500}),
                         [](const testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.params.kind + "_d" + std::to_string(info.param.params.degree) +
                                              "_n" + std::to_string(info.param.n);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// --- per-kind shape ------------------------------------------------------------

TEST(RandomRegular, EveryNodeHasExactlyTheDegree) {
  for (int d : {3, 8, 16}) {
    const Topology topology = generate(params_of("random-regular", d), 1000);
    for (const auto& list : topology.neighbors) ASSERT_EQ(list.size(), static_cast<std::size_t>(d));
    EXPECT_EQ(topology.edge_count(), 1000u * d / 2);
  }
}

TEST(RandomRegular, DenseSmallGraphIsStillSimpleAndRegular) {
  const Topology topology = generate(params_of("random-regular", 6), 8);
  for (const auto& list : topology.neighbors) EXPECT_EQ(list.size(), 6u);
}

TEST(WattsStrogatz, MeanDegreeIsExactlyK) {
  for (double beta : {0.0, 0.1, 0.5, 1.0}) {
    TopologyParams params = params_of("watts-strogatz", 6);
    params.rewire_probability = beta;
    const Topology topology = generate(params, 3000);
    EXPECT_DOUBLE_EQ(topology.mean_degree(), 6.0) << "beta " << beta;
    EXPECT_EQ(topology.edge_count(), 3000u * 6 / 2);
  }
}

TEST(WattsStrogatz, WithoutRewiringIsTheRingLattice) {
  TopologyParams params = params_of("watts-strogatz", 4);
  params.rewire_probability = 0.0;
  const Topology topology = generate(params, 10);
  EXPECT_EQ(topology.neighbors[0], (std::vector<std::uint32_t>{1, 2, 8, 9}));
  EXPECT_EQ(topology.neighbors[5], (std::vector<std::uint32_t>{3, 4, 6, 7}));
}

TEST(WattsStrogatz, RewiringMovesAboutBetaOfTheEdges) {
  // Boost leaves the very first ring edge alone; every other edge is rewired with probability beta.
  TopologyParams params = params_of("watts-strogatz", 8);
  params.rewire_probability = 0.2;
  const std::size_t n = 5000;
  const Topology topology = generate(params, n);
  std::size_t long_edges = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    for (std::uint32_t u : topology.neighbors[v]) {
      const std::size_t d = u > v ? u - v : v - u;
      long_edges += u > v && std::min(d, n - d) > 4;
    }
  }
  const double edges = n * 4.0, p = 0.2;
  EXPECT_NEAR(static_cast<double>(long_edges), edges * p, 5 * std::sqrt(edges * p * (1 - p)));
}

TEST(BarabasiAlbert, EdgeCountFollowsFromCliqueAndAttachments) {
  for (int m : {1, 2, 5}) {
    const std::size_t n = 1000;
    const Topology topology = generate(params_of("barabasi-albert", m), n);
    EXPECT_EQ(topology.edge_count(), m * (n - m - 1) + static_cast<std::size_t>(m * (m + 1) / 2)) << "m " << m;
    for (const auto& list : topology.neighbors) EXPECT_GE(list.size(), static_cast<std::size_t>(m));
  }
}

TEST(BarabasiAlbert, PreferentialAttachmentGrowsHubs) {
  // Uniform attachment would keep the largest degree near m*ln(n) (~40 here);
  // preferential attachment grows it like m*sqrt(n) (~400).
  const Topology topology = generate(params_of("barabasi-albert", 4), 10000);
  std::size_t max_degree = 0;
  for (const auto& list : topology.neighbors) max_degree = std::max(max_degree, list.size());
  EXPECT_GT(max_degree, 150u);
}

TEST(ErdosRenyi, EdgeCountIsWithinFourSigmaOfTheBinomialMean) {
  const std::size_t n = 2000;
  const double p = 0.01, pairs = n * (n - 1) / 2.0;
  for (std::uint64_t seed : {1, 2, 3}) {
    const Topology topology = generate(erdos_renyi(p), n, seed);
    EXPECT_NEAR(static_cast<double>(topology.edge_count()), p * pairs, 4 * std::sqrt(pairs * p * (1 - p)))
        << "seed " << seed;
  }
}

TEST(ErdosRenyi, ProbabilityOneIsTheCompleteGraph) {
  const Topology topology = generate(erdos_renyi(1.0), 12);
  EXPECT_EQ(topology.edge_count(), 12u * 11 / 2);
}

TEST(ErdosRenyi, SparseGraphIsRejectedAsDisconnected) {
  const std::string message = error_of(erdos_renyi(0.01), 100);
  EXPECT_EQ(message.rfind("topology erdos-renyi with 100 nodes and edge_probability 0.01 is disconnected (", 0), 0u)
      << message;
  EXPECT_NE(message.find(" components); raise edge_probability"), std::string::npos) << message;
  EXPECT_NE(error_of(erdos_renyi(0.0), 10).find("disconnected (10 components)"), std::string::npos);
}

TEST(Bitcoin, OutboundDegreesFollowTheMeasuredCdf) {
  const std::size_t n = 10000;
  random::Rng rng(21, "topology");
  const auto outbound = generate_bitcoin_outbound(n, 125, rng);
  ASSERT_EQ(outbound.size(), n);
  double total = 0;
  std::vector<std::size_t> histogram(21, 0);
  for (const auto& peers : outbound) {
    total += static_cast<double>(peers.size());
    ASSERT_GE(peers.size(), 1u);
    ASSERT_LE(peers.size(), 20u);
    ++histogram[peers.size()];
  }
  const auto [mean, variance] = cdf_mean_and_variance();
  EXPECT_NEAR(mean, 8.645, 1e-9);
  EXPECT_NEAR(total / n, mean, 5 * std::sqrt(variance / n));
  EXPECT_EQ(histogram[16], 0u);  // the CDF is flat from 15 to 16
  const double p8 = 0.10;        // P(d = 8) = 0.50 - 0.40
  EXPECT_NEAR(static_cast<double>(histogram[8]) / n, p8, 5 * std::sqrt(p8 * (1 - p8) / n));
}

TEST(Bitcoin, NoNodeAcceptsMoreThanMaxInbound) {
  // 400 nodes x ~8.6 outbound against 400 x 5 inbound slots: the limit binds.
  const std::size_t n = 400;
  const int max_inbound = 5;
  random::Rng rng(22, "topology");
  const auto outbound = generate_bitcoin_outbound(n, max_inbound, rng);
  std::vector<int> inbound(n, 0);
  std::size_t dialled = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    for (std::uint32_t u : outbound[v]) {
      ASSERT_NE(u, v);
      // Never two connections between one pair, in either direction.
      EXPECT_FALSE(std::binary_search(outbound[u].begin(), outbound[u].end(), v)) << v << "<->" << u;
      ++inbound[u];
      ++dialled;
    }
  }
  EXPECT_LE(*std::max_element(inbound.begin(), inbound.end()), max_inbound);
  EXPECT_GT(dialled, n * max_inbound * 9 / 10);  // nearly every slot is used
}

TEST(Bitcoin, TopologyIsTheOutboundOverlayMadeUndirected) {
  const std::size_t n = 3000;
  random::Rng a(23, "topology"), b(23, "topology");
  const auto outbound = generate_bitcoin_outbound(n, 125, a);
  const Topology topology = generate_topology(params_of("bitcoin"), n, b);
  std::vector<std::vector<std::uint32_t>> expected(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    for (std::uint32_t u : outbound[v]) {
      expected[v].push_back(u);
      expected[u].push_back(v);
    }
  }
  for (auto& list : expected) std::sort(list.begin(), list.end());
  EXPECT_EQ(topology.neighbors, expected);
  const auto [mean, variance] = cdf_mean_and_variance();
  EXPECT_NEAR(topology.mean_degree(), 2 * mean, 2 * 5 * std::sqrt(variance / n));
}

TEST(Bitcoin, TinyNetworkDialsEveryoneItCan) {
  const Topology topology = generate(params_of("bitcoin"), 3);
  EXPECT_EQ(topology.edge_count(), 3u);
}

TEST(Bitcoin, TenThousandNodesInUnderTwoSeconds) {
  const auto start = std::chrono::steady_clock::now();
  const Topology topology = generate(params_of("bitcoin"), 10000);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(topology.node_count(), 10000u);
  EXPECT_LT(elapsed.count(), 2.0);
  RecordProperty("seconds", std::to_string(elapsed.count()));
}

TEST(EveryKind, SixteenThousandNodesInUnderASecondEach) {
  for (const auto& kind : topology_kinds()) {
    TopologyParams params = params_of(kind);
    params.edge_probability = 20.0 / 16000;  // mean degree 20: isolated nodes are vanishingly rare
    const auto start = std::chrono::steady_clock::now();
    const Topology topology = generate(params, 16000);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(topology.node_count(), 16000u) << kind;
    EXPECT_LT(elapsed.count(), 1.0) << kind;
  }
}

// --- parameters that cannot work ---------------------------------------------

TEST(ImpossibleParameters, AreRejectedWithTheReason) {
  const auto expect_error = [](const TopologyParams& params, std::size_t n, const std::string& fragment) {
    const std::string message = error_of(params, n);
    EXPECT_NE(message.find(fragment), std::string::npos) << "got: " << message;
  };
  expect_error(params_of("random-regular", 3), 101, "is odd");
  expect_error(params_of("random-regular", 10), 10, "degree 10 needs at least 11 nodes, got 10");
  expect_error(params_of("random-regular", 0), 10, "at least 1");
  expect_error(params_of("watts-strogatz", 5), 100, "must be even");
  expect_error(params_of("watts-strogatz", 0), 100, "at least 1");
  expect_error(params_of("watts-strogatz", 8), 9, "degree 8 needs at least 10 nodes, got 9");
  expect_error(params_of("barabasi-albert", 5), 5, "degree 5 needs at least 6 nodes, got 5");
  expect_error(params_of("barabasi-albert", -1), 50, "at least 1");
  expect_error(erdos_renyi(1.5), 50, "edge_probability must be in [0, 1]");
  TopologyParams ws = params_of("watts-strogatz", 4);
  ws.rewire_probability = -0.1;
  expect_error(ws, 50, "rewire_probability must be in [0, 1]");
  TopologyParams btc = params_of("bitcoin");
  btc.max_inbound = 0;
  expect_error(btc, 50, "max_inbound must be at least 1");
  expect_error(params_of("bitcoin"), 0, "needs at least one node");
  expect_error(params_of("hypercube"), 16, "unknown topology kind \"hypercube\"; known kinds: bitcoin, random-regular");
}

TEST(ImpossibleParameters, DisconnectedRingOfDegreeTwoIsReported) {
  // A 2-regular graph is a union of cycles: on 100 nodes almost surely several.
  const std::string message = error_of(params_of("random-regular", 2), 100);
  EXPECT_NE(message.find("is disconnected"), std::string::npos) << message;
  EXPECT_NE(message.find("raise degree"), std::string::npos) << message;
}

TEST(Topology, SingleNodeIsConnected) {
  const Topology topology = generate(params_of("bitcoin"), 1);
  EXPECT_EQ(topology.edge_count(), 0u);
  EXPECT_TRUE(topology.is_connected());
  EXPECT_DOUBLE_EQ(topology.mean_degree(), 0.0);
}

}  // namespace
}  // namespace cbsim::models::network
