#include "models/network/regions.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/random/shuffle.h"

namespace cbsim::models::network {

namespace {

constexpr double kMillisecond = 1e-3;
constexpr double kMegabit = 1e6;

// SimBlock's 2019 Bitcoin measurements (Aoki et al., "SimBlock: A Blockchain
// Network Simulator", IEEE INFOCOM Workshops 2019), as reproduced in
// /work/shared/REFERENCE.md. Latency in ms, bandwidth in Mbit/s.
RegionTable make_simblock_2019() {
  RegionTable table;
  table.name = "simblock-2019";
  table.regions = {
      {"north-america", 52.0 * kMegabit, 19.2 * kMegabit, 0.3316},
      {"europe", 40.0 * kMegabit, 20.7 * kMegabit, 0.4998},
      {"south-america", 18.0 * kMegabit, 5.8 * kMegabit, 0.0090},
      {"asia-pacific", 22.8 * kMegabit, 15.7 * kMegabit, 0.1177},
      {"japan", 22.8 * kMegabit, 10.2 * kMegabit, 0.0224},
      {"australia", 29.9 * kMegabit, 11.3 * kMegabit, 0.0195},
  };
  const std::vector<std::vector<double>> latency_ms = {
      {32, 124, 184, 198, 151, 189},   //
      {124, 11, 227, 237, 252, 294},   //
      {184, 227, 88, 325, 301, 322},   //
      {198, 237, 325, 85, 58, 198},    //
      {151, 252, 301, 58, 12, 126},    //
      {189, 294, 322, 198, 126, 16},   //
  };
  for (const auto& row : latency_ms) {
    auto& out = table.latency_s.emplace_back();
    for (double ms : row) out.push_back(ms * kMillisecond);
  }
  return table;
}

const std::vector<RegionTable>& all_tables() {
  static const std::vector<RegionTable> tables = {make_simblock_2019()};
  return tables;
}

// SimBlock's Pareto latency subtracts this floor from the mean to get the scale.
constexpr double kParetoFloorMs = 5.0;
constexpr double kParetoShapePerMs = 0.2;

}  // namespace

const RegionTable& region_table(std::string_view name) {
  for (const auto& table : all_tables()) {
    if (table.name == name) return table;
  }
  std::string known;
  for (const auto& table_name : region_table_names()) {
    known += (known.empty() ? "" : ", ") + table_name;
  }
  throw std::invalid_argument("unknown region table \"" + std::string(name) + "\"; known tables: " + known);
}

std::vector<std::string> region_table_names() {
  std::vector<std::string> names;
  for (const auto& table : all_tables()) names.push_back(table.name);
  return names;
}

const std::vector<double>& bitcoin_outbound_degree_cdf() {
  // Bitcoin outbound-degree distribution (2015) used by SimBlock (Aoki et al.
  // 2019), as reproduced in /work/shared/REFERENCE.md. Index d-1 holds P(degree <= d).
  static const std::vector<double> cdf = {0.025, 0.050, 0.075, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70,
                                          0.80,  0.85,  0.90,  0.95, 0.97, 0.97, 0.98, 0.99, 0.995, 1.0};
  return cdf;
}

std::vector<std::uint32_t> assign_regions(std::size_t n, const std::vector<double>& shares, random::Rng& rng) {
  if (shares.empty()) throw std::invalid_argument("assign_regions: no region shares given");
  for (double share : shares) {
    if (!std::isfinite(share) || share < 0) {
      throw std::invalid_argument("assign_regions: region shares must be finite and non-negative");
    }
  }
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  if (total <= 0) throw std::invalid_argument("assign_regions: region shares are all zero");

  // Largest-remainder (Hamilton) rounding keeps every count within 1 of its quota.
  std::vector<std::size_t> counts(shares.size());
  std::vector<double> remainders(shares.size());
  std::size_t assigned = 0;
  for (std::size_t r = 0; r < shares.size(); ++r) {
    const double quota = static_cast<double>(n) * shares[r] / total;
    counts[r] = static_cast<std::size_t>(std::floor(quota));
    remainders[r] = quota - std::floor(quota);
    assigned += counts[r];
  }
  std::vector<std::size_t> by_remainder(shares.size());
  std::iota(by_remainder.begin(), by_remainder.end(), std::size_t{0});
  std::stable_sort(by_remainder.begin(), by_remainder.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (std::size_t i = 0; assigned < n; ++i) {
    ++counts[by_remainder[i % by_remainder.size()]];
    ++assigned;
  }
  // Floating-point quotas can overshoot an integer by an ulp; take the surplus
  // back from the regions that deserved their last node least.
  for (std::size_t i = by_remainder.size(); assigned > n;) {
    i = (i == 0 ? by_remainder.size() : i) - 1;
    const std::size_t r = by_remainder[i];
    if (counts[r] > 0) {
      --counts[r];
      --assigned;
    }
  }

  std::vector<std::uint32_t> assignment;
  assignment.reserve(n);
  for (std::size_t r = 0; r < counts.size(); ++r) assignment.insert(assignment.end(), counts[r], static_cast<std::uint32_t>(r));
  random::shuffle(assignment, rng);
  return assignment;
}

double sample_pareto_latency_s(double mean_s, random::Rng& rng) {
  const double mean_ms = mean_s / kMillisecond;
  if (mean_ms <= kParetoFloorMs) return mean_s;
  const double scale_ms = mean_ms - kParetoFloorMs;
  const double shape = kParetoShapePerMs * mean_ms;
  const double u = 1.0 - rng.uniform01();  // (0, 1]: never divides by zero
  return scale_ms / std::pow(u, 1.0 / shape) * kMillisecond;
}

}  // namespace cbsim::models::network
