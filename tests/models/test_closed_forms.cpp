#include <gtest/gtest.h>

#include <cmath>

#include "models/analysis/closed_forms.h"

using namespace cbsim::models::analysis;

TEST(NakamotoDoubleSpend, ReproducesTheTableOfTheBitcoinPaper) {
  // Nakamoto (2008), section 11, printed to 7 decimals.
  const struct {
    double q;
    int z;
    double p;
  } table[] = {{0.1, 0, 1.0},       {0.1, 1, 0.2045873}, {0.1, 2, 0.0509779}, {0.1, 3, 0.0131722},
               {0.1, 4, 0.0034552}, {0.1, 5, 0.0009137}, {0.1, 6, 0.0002428}, {0.1, 7, 0.0000647},
               {0.1, 8, 0.0000173}, {0.1, 9, 0.0000046}, {0.1, 10, 0.0000012}, {0.3, 0, 1.0},
               {0.3, 5, 0.1773523}, {0.3, 10, 0.0416605}, {0.3, 15, 0.0101008}, {0.3, 20, 0.0024804},
               {0.3, 25, 0.0006132}, {0.3, 30, 0.0001522}, {0.3, 35, 0.0000379}, {0.3, 40, 0.0000095},
               {0.3, 45, 0.0000024}, {0.3, 50, 0.0000006}};
  for (const auto& row : table)
    EXPECT_NEAR(nakamoto_double_spend(row.q, row.z), row.p, 5e-8) << "q=" << row.q << " z=" << row.z;
  EXPECT_EQ(nakamoto_double_spend(0.5, 6), 1.0);
}

TEST(RosenfeldDoubleSpend, EqualsTheNegativeBinomialRaceSummedDirectly) {
  // Independent route: the attacker mines m blocks while the merchant waits for
  // z (negative binomial), then catches up from z - m behind with probability
  // (q/p)^(z-m) (gambler's ruin), or has already when m >= z.
  for (double q : {0.05, 0.1, 0.25, 0.4}) {
    const double p = 1 - q;
    for (int z : {1, 2, 3, 6, 10}) {
      double direct = 0.0, binom = 1.0;
      for (int m = 0; m < 4000; ++m) {
        if (m > 0) binom *= static_cast<double>(m + z - 1) / m;
        const double race = binom * std::pow(p, z) * std::pow(q, m);
        direct += race * (m >= z ? 1.0 : std::pow(q / p, z - m));
      }
      EXPECT_NEAR(rosenfeld_double_spend(q, z), direct, 1e-12) << "q=" << q << " z=" << z;
    }
  }
  EXPECT_NEAR(rosenfeld_double_spend(0.1, 1), 0.2, 1e-12);  // 2q for one confirmation
  EXPECT_EQ(rosenfeld_double_spend(0.5, 6), 1.0);
  EXPECT_GT(rosenfeld_double_spend(0.1, 6), nakamoto_double_spend(0.1, 6));  // the Poisson approximation is optimistic
}

TEST(SelfishMining, RevenueEqualsShareAtTheThreshold) {
  for (double gamma : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const double t = selfish_mining_threshold(gamma);
    EXPECT_NEAR(selfish_mining_revenue(t, gamma), t, 1e-12) << "gamma=" << gamma;
    if (t >= 0.02) {
      EXPECT_LT(selfish_mining_revenue(t - 0.02, gamma), t - 0.02);
    }
    EXPECT_GT(selfish_mining_revenue(t + 0.02, gamma), t + 0.02);
  }
  EXPECT_NEAR(selfish_mining_threshold(0.0), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(selfish_mining_threshold(0.5), 0.25, 1e-15);
}

TEST(ForkProbability, FollowsTheExponentialRace) {
  EXPECT_DOUBLE_EQ(fork_probability(0.0, 600), 0.0);
  EXPECT_NEAR(fork_probability(12.6, 600), 1 - std::exp(-0.021), 1e-15);
  EXPECT_THROW(fork_probability(1.0, 0.0), std::invalid_argument);
}

TEST(EclipseWithholding, IsTheGammaWaitingTimeOfTheVictimsBranch) {
  // z = 1: the first block within the window, 1 - exp(-share x window).
  EXPECT_NEAR(eclipse_withholding_success(0.3, 1, 2.0), 1.0 - std::exp(-0.6), 1e-12);
  // z = 2: 1 - exp(-m)(1 + m).
  EXPECT_NEAR(eclipse_withholding_success(0.5, 2, 4.0), 1.0 - std::exp(-2.0) * 3.0, 1e-12);
  // The Gamma(z) distribution function integrated numerically (midpoint rule).
  const double share = 0.37, window = 12.0;
  const int z = 6;
  double integral = 0.0;
  const int steps = 200000;
  for (int i = 0; i < steps; ++i) {
    const double t = (i + 0.5) * window / steps;
    integral += std::pow(share, z) * std::pow(t, z - 1) * std::exp(-share * t) / std::tgamma(z) * window / steps;
  }
  EXPECT_NEAR(eclipse_withholding_success(share, z, window), integral, 1e-9);
  // No window: the branch grows for as long as it takes.
  EXPECT_DOUBLE_EQ(eclipse_withholding_success(0.1, 6, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(eclipse_withholding_success(0.0, 6, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(eclipse_withholding_success(0.3, 0, 1.0), 1.0);
  EXPECT_THROW(eclipse_withholding_success(0.3, 1, -1.0), std::invalid_argument);
}
