#include <gtest/gtest.h>

#include <cmath>

#include "models/random/rng.h"
#include "models/stats/quantile.h"

using namespace cbsim::models;

TEST(Rng, NamedStreamsAreReproducibleAndIndependent) {
  random::Rng a(42, "mining"), b(42, "mining"), c(42, "latency"), d(43, "mining");
  const auto x = a(), y = b(), z = c(), w = d();
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_NE(x, w);
  random::Rng parent(1, "p");
  const auto child1 = parent.split("n1")(), child2 = parent.split("n2")();
  EXPECT_NE(child1, child2);
}

TEST(Rng, UniformIndexIsUnbiasedWithinSamplingError) {
  random::Rng rng(5, "idx");
  constexpr int kDraws = 70000, kBins = 7;
  int counts[kBins] = {};
  for (int i = 0; i < kDraws; ++i) ++counts[rng.uniform_index(kBins)];
  const double p = 1.0 / kBins, sigma = std::sqrt(p * (1 - p) / kDraws);
  for (int c : counts) EXPECT_NEAR(static_cast<double>(c) / kDraws, p, 4 * sigma);
}

TEST(Rng, StandardNormalHasZeroMeanAndUnitVariance) {
  random::Rng rng(9, "normal");
  constexpr int kDraws = 100000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = rng.standard_normal();
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / kDraws, 0.0, 4.0 / std::sqrt(kDraws));
  EXPECT_NEAR(sum_sq / kDraws, 1.0, 4.0 * std::sqrt(2.0 / kDraws));
}

TEST(Quantile, InterpolatesLikeNumpyDefault) {
  const std::vector<double> x = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(stats::quantile(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(stats::quantile(x, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(stats::median(x), 2.5);
  EXPECT_DOUBLE_EQ(stats::quantile(x, 0.9), 3.7);  // numpy.quantile([1,2,3,4], 0.9)
  EXPECT_TRUE(std::isnan(stats::median({})));
  EXPECT_THROW(stats::quantile(x, 1.5), std::invalid_argument);
}
