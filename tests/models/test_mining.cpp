#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "chain_fixture.h"
#include "models/random/rng.h"

using namespace cbsim::models;
using namespace cbsim::models::consensus::nakamoto;

TEST(HashPower, SharesSumToOneAndOnlyMinersMine) {
  random::Rng rng(7, "test");
  for (const char* dist : {"uniform", "normal", "exponential"}) {
    const auto shares = assign_hash_power(500, 40, dist, 0.25, rng);
    EXPECT_NEAR(std::accumulate(shares.begin(), shares.end(), 0.0), 1.0, 1e-12) << dist;
    EXPECT_EQ(std::count_if(shares.begin(), shares.end(), [](double s) { return s > 0.0; }), 40) << dist;
  }
  const auto uniform = assign_hash_power(4, 0, "uniform", 0.0, rng);
  for (double s : uniform) EXPECT_DOUBLE_EQ(s, 0.25);
  EXPECT_THROW(assign_hash_power(4, 0, "zipf", 0.0, rng), std::invalid_argument);
}

TEST(MiningRace, WinnersFollowHashPowerWithinSamplingError) {
  random::Rng rng(11, "race");
  const std::vector<double> w = {0.5, 0.3, 0.2, 0.0};
  constexpr int kDraws = 200000;
  std::vector<int> wins(w.size(), 0);
  for (int i = 0; i < kDraws; ++i) ++wins[draw_winner(w, 1.0, rng)];
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double sigma = std::sqrt(w[i] * (1 - w[i]) / kDraws);
    EXPECT_NEAR(static_cast<double>(wins[i]) / kDraws, w[i], 4 * sigma + 1e-12) << "miner " << i;
  }
}

TEST(MiningRace, BlockIntervalsAreExponentialWithTheConfiguredMean) {
  random::Rng rng(3, "intervals");
  constexpr int kDraws = 100000;
  constexpr double kMean = 600.0;
  double sum = 0.0, sum_sq = 0.0;
  int above_mean = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = rng.exponential(kMean);
    sum += x;
    sum_sq += x * x;
    above_mean += x > kMean;
  }
  const double mean = sum / kDraws;
  // The exponential's standard deviation equals its mean.
  EXPECT_NEAR(mean, kMean, 4 * kMean / std::sqrt(kDraws));
  EXPECT_NEAR(std::sqrt(sum_sq / kDraws - mean * mean), kMean, 0.02 * kMean);
  // P(X > mean) = 1/e for an exponential.
  EXPECT_NEAR(static_cast<double>(above_mean) / kDraws, std::exp(-1.0), 4 * std::sqrt(0.23 / kDraws));
}

TEST(Difficulty, RetargetsByTargetOverActualTimeClampedToFour) {
  cbsim::test::ChainFixture f;
  RetargetRule rule{true, 10, 600.0};
  chain::BlockId tip = chain::BlockStore::genesis();
  for (int i = 0; i < 9; ++i) tip = f.mine(tip);  // the fixture mines one block per second
  // Blocks came 600x too fast: the increase is clamped to 4x.
  EXPECT_DOUBLE_EQ(next_difficulty(f.store, tip, rule), 4.0);
  rule.enabled = false;
  EXPECT_DOUBLE_EQ(next_difficulty(f.store, tip, rule), 1.0);
  rule = RetargetRule{true, 10, 2.0};  // target 2 s per block, actual 1 s: doubles
  EXPECT_DOUBLE_EQ(next_difficulty(f.store, tip, rule), 2.0);
  const chain::BlockId mid = f.store.ancestor(tip, 5);
  EXPECT_DOUBLE_EQ(next_difficulty(f.store, mid, rule), 1.0);  // not at a boundary
}
