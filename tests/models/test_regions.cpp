#include "models/network/regions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cbsim::models::network {
namespace {

const RegionTable& simblock() { return region_table("simblock-2019"); }

std::vector<std::size_t> count_per_region(const std::vector<std::uint32_t>& assignment, std::size_t regions) {
  std::vector<std::size_t> counts(regions, 0);
  for (auto r : assignment) ++counts.at(r);
  return counts;
}

TEST(RegionTable, SimBlock2019IsListed) {
  const auto names = region_table_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "simblock-2019"), names.end());
}

TEST(RegionTable, SimBlock2019HasSixRegionsInReferenceOrder) {
  const auto& table = simblock();
  ASSERT_EQ(table.size(), 6u);
  const std::vector<std::string> expected = {"north-america", "europe",  "south-america",
                                             "asia-pacific",  "japan",   "australia"};
  for (std::size_t r = 0; r < table.size(); ++r) EXPECT_EQ(table.regions[r].name, expected[r]);
  ASSERT_EQ(table.latency_s.size(), 6u);
  for (const auto& row : table.latency_s) EXPECT_EQ(row.size(), 6u);
}

TEST(RegionTable, SimBlock2019LatenciesAreReferenceMillisecondsInSeconds) {
  const auto& table = simblock();
  EXPECT_DOUBLE_EQ(table.latency(0, 0), 0.032);  // NA -> NA
  EXPECT_DOUBLE_EQ(table.latency(0, 1), 0.124);  // NA -> EU
  EXPECT_DOUBLE_EQ(table.latency(2, 3), 0.325);  // SA -> AP, the largest
  EXPECT_DOUBLE_EQ(table.latency(4, 4), 0.012);  // JP -> JP
  EXPECT_DOUBLE_EQ(table.latency(5, 1), 0.294);  // AU -> EU
  EXPECT_THROW(table.latency(6, 0), std::out_of_range);
}

TEST(RegionTable, SimBlock2019LatencyIsSymmetric) {
  const auto& table = simblock();
  for (std::size_t a = 0; a < table.size(); ++a) {
    for (std::size_t b = 0; b < table.size(); ++b) EXPECT_DOUBLE_EQ(table.latency(a, b), table.latency(b, a));
  }
}

TEST(RegionTable, SimBlock2019BandwidthsAreBitsPerSecond) {
  const auto& table = simblock();
  EXPECT_DOUBLE_EQ(table.regions[0].download_bps, 52.0e6);
  EXPECT_DOUBLE_EQ(table.regions[3].download_bps, 22.8e6);
  EXPECT_DOUBLE_EQ(table.regions[1].upload_bps, 20.7e6);
  EXPECT_DOUBLE_EQ(table.regions[2].upload_bps, 5.8e6);
  EXPECT_DOUBLE_EQ(table.regions[5].upload_bps, 11.3e6);
  for (const auto& region : table.regions) EXPECT_LT(region.upload_bps, region.download_bps) << region.name;
}

TEST(RegionTable, SimBlock2019NodeSharesSumToOne) {
  const auto& table = simblock();
  EXPECT_DOUBLE_EQ(table.regions[1].node_share, 0.4998);
  double total = 0;
  for (const auto& region : table.regions) total += region.node_share;
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(RegionTable, UnknownNameThrowsNamingItAndTheKnownTables) {
  try {
    region_table("simblock-2042");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("simblock-2042"), std::string::npos) << message;
    EXPECT_NE(message.find("simblock-2019"), std::string::npos) << message;
  }
}

TEST(BitcoinOutboundDegreeCdf, MatchesReferenceAndIsAProperCdf) {
  const auto& cdf = bitcoin_outbound_degree_cdf();
  ASSERT_EQ(cdf.size(), 20u);
  EXPECT_DOUBLE_EQ(cdf[0], 0.025);
  EXPECT_DOUBLE_EQ(cdf[7], 0.50);
  EXPECT_DOUBLE_EQ(cdf[14], 0.97);
  EXPECT_DOUBLE_EQ(cdf[15], 0.97);
  EXPECT_DOUBLE_EQ(cdf.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(cdf.begin(), cdf.end()));
}

TEST(AssignRegions, CountsAreWithinOneOfTheirQuota) {
  std::vector<double> shares;
  for (const auto& region : simblock().regions) shares.push_back(region.node_share);
  for (std::size_t n : {1u, 7u, 100u, 10000u, 16001u}) {
    random::Rng rng(1, "regions");
    const auto assignment = assign_regions(n, shares, rng);
    ASSERT_EQ(assignment.size(), n);
    const auto counts = count_per_region(assignment, shares.size());
    for (std::size_t r = 0; r < shares.size(); ++r) {
      EXPECT_LT(std::abs(static_cast<double>(counts[r]) - static_cast<double>(n) * shares[r]), 1.0)
          << "n=" << n << " region " << r;
    }
  }
}

TEST(AssignRegions, NormalisesSharesAndSkipsZeroShares) {
  random::Rng rng(2, "regions");
  const auto counts = count_per_region(assign_regions(10, {3, 0, 1}, rng), 3);
  EXPECT_EQ(counts, (std::vector<std::size_t>{8, 0, 2}));  // quotas 7.5, 0, 2.5: tie goes to the first
}

TEST(AssignRegions, SameSeedSameAssignmentOtherSeedShuffledDifferently) {
  const std::vector<double> shares = {0.5, 0.3, 0.2};
  random::Rng a(7, "regions"), b(7, "regions"), c(8, "regions");
  const auto first = assign_regions(1000, shares, a);
  EXPECT_EQ(first, assign_regions(1000, shares, b));
  const auto other = assign_regions(1000, shares, c);
  EXPECT_NE(first, other);
  EXPECT_EQ(count_per_region(first, 3), count_per_region(other, 3));
}

TEST(AssignRegions, IsShuffledNotBlockwise) {
  random::Rng rng(3, "regions");
  const auto assignment = assign_regions(1000, {0.5, 0.5}, rng);
  EXPECT_FALSE(std::is_sorted(assignment.begin(), assignment.end()));
  // The first half holds about half of region 0 (hypergeometric, sd ~ 7.9).
  const auto first_half_zero = std::count(assignment.begin(), assignment.begin() + 500, 0u);
  EXPECT_NEAR(static_cast<double>(first_half_zero), 250.0, 5 * 7.9);
}

TEST(AssignRegions, RejectsInvalidShares) {
  random::Rng rng(4, "regions");
  EXPECT_THROW(assign_regions(10, {}, rng), std::invalid_argument);
  EXPECT_THROW(assign_regions(10, {0.5, -0.1}, rng), std::invalid_argument);
  EXPECT_THROW(assign_regions(10, {0.0, 0.0}, rng), std::invalid_argument);
  EXPECT_THROW(assign_regions(10, {std::numeric_limits<double>::quiet_NaN()}, rng), std::invalid_argument);
  EXPECT_TRUE(assign_regions(0, {1.0}, rng).empty());
}

TEST(ParetoLatency, SampleMeanMatchesTheRequestedMean) {
  // scale 95 ms, shape 20: mean = shape*scale/(shape-1) = 100 ms,
  // variance = scale^2*shape / ((shape-1)^2 (shape-2)).
  const double scale = 95.0, shape = 20.0;
  const double mean_ms = shape * scale / (shape - 1);
  const double sd_ms = std::sqrt(scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2)));
  const int samples = 200000;
  random::Rng rng(5, "latency");
  double sum_ms = 0, min_ms = 1e9;
  for (int i = 0; i < samples; ++i) {
    const double ms = sample_pareto_latency_s(0.100, rng) * 1e3;
    sum_ms += ms;
    min_ms = std::min(min_ms, ms);
  }
  const double standard_error = sd_ms / std::sqrt(samples);
  EXPECT_DOUBLE_EQ(mean_ms, 100.0);
  EXPECT_NEAR(sum_ms / samples, mean_ms, 5 * standard_error);
  EXPECT_GE(min_ms, scale);  // the Pareto support starts at the scale
}

TEST(ParetoLatency, MedianMatchesTheParetoMedian) {
  // Median = scale * 2^(1/shape); the fraction below it is Binomial(n, 1/2).
  const double median_s = 0.195 * std::pow(2.0, 1.0 / 40.0);  // mean 200 ms: scale 195, shape 40
  const int samples = 100000;
  random::Rng rng(6, "latency");
  int below = 0;
  for (int i = 0; i < samples; ++i) below += sample_pareto_latency_s(0.200, rng) < median_s;
  EXPECT_NEAR(below, samples / 2, 5 * std::sqrt(samples * 0.25));
}

TEST(ParetoLatency, MeansAtOrBelowFiveMillisecondsAreReturnedAsIs) {
  random::Rng rng(7, "latency");
  EXPECT_DOUBLE_EQ(sample_pareto_latency_s(0.005, rng), 0.005);
  EXPECT_DOUBLE_EQ(sample_pareto_latency_s(0.001, rng), 0.001);
  EXPECT_DOUBLE_EQ(sample_pareto_latency_s(0.0, rng), 0.0);
}

TEST(ParetoLatency, SameSeedSameSamples) {
  random::Rng a(8, "latency"), b(8, "latency");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sample_pareto_latency_s(0.124, a), sample_pareto_latency_s(0.124, b));
}

}  // namespace
}  // namespace cbsim::models::network
