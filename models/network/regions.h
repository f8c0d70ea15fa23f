#pragma once
// Geographic regions of a blockchain network as data: per-region bandwidth and
// share of nodes, inter-region latency, and the per-message latency law that
// SimBlock fitted to them. The simulator reads these tables; it never hard-codes
// a number of its own.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/random/rng.h"

namespace cbsim::models::network {

struct Region {
  std::string name;
  double download_bps;
  double upload_bps;
  double node_share;  // fraction of the network's nodes located in this region
};

class RegionTable {
public:
  std::string name;  // e.g. "simblock-2019"
  std::vector<Region> regions;
  std::vector<std::vector<double>> latency_s;  // mean one-way latency, seconds, [from][to]

  std::size_t size() const { return regions.size(); }
  double latency(std::size_t from, std::size_t to) const { return latency_s.at(from).at(to); }
};

// Throws std::invalid_argument naming the unknown table and the known ones.
const RegionTable& region_table(std::string_view name);
std::vector<std::string> region_table_names();

// P(outbound degree <= d) for d = 1..20 (index d-1), Bitcoin 2015.
const std::vector<double>& bitcoin_outbound_degree_cdf();

// Assigns each of n nodes a region index so that region counts follow `shares`
// (normalised) as closely as possible: largest-remainder rounding, then a seeded
// shuffle of the assignment. Throws std::invalid_argument if shares are empty,
// negative, non-finite or all zero.
std::vector<std::uint32_t> assign_regions(std::size_t n, const std::vector<double>& shares, random::Rng& rng);

// SimBlock's per-message latency: Pareto with scale (mean_ms - 5) and shape
// 0.2 * mean_ms (both in milliseconds), whose mean is exactly mean_ms. Returns
// seconds. For mean_ms <= 5 the law is undefined and the mean is returned.
double sample_pareto_latency_s(double mean_s, random::Rng& rng);

}  // namespace cbsim::models::network
