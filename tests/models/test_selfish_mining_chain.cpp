#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/analysis/closed_forms.h"
#include "models/analysis/selfish_mining_chain.h"
#include "models/random/rng.h"

using namespace cbsim::models::analysis;

namespace {

double revenue(double alpha, double gamma) { return selfish_mining_markov({alpha, gamma}).relative_revenue; }

// Stale blocks per block found, from the chain's balance equations (independent of
// gamma: every tie and every honest block found while the pool leads by two or more
// leaves exactly one stale block). With p0 = (1 - 2a) / (1 - 4a^2 + 2a^3) (Eyal &
// Sirer), p0' = a (1 - a) p0 and sum_{i>=2} p_i = a^2 p0 / (1 - 2a), the stale share
// p0' + (1 - a) sum_{i>=2} p_i is a (1 - a)^2 / (1 - 4a^2 + 2a^3).
double stale_share_closed_form(double a) { return a * (1 - a) * (1 - a) / (1 - 4 * a * a + 2 * a * a * a); }

// Ratio of sums over i.i.d. cycles with its delta-method standard error.
class RatioEstimate {
public:
  void add(double x, double y) {
    ++n_;
    sx_ += x;
    sy_ += y;
    sxx_ += x * x;
    syy_ += y * y;
    sxy_ += x * y;
  }
  double value() const { return sx_ / sy_; }
  double sigma() const {
    const double r = value();
    const double residual_sq = sxx_ - 2 * r * sxy_ + r * r * syy_;  // sum (x - r y)^2
    return std::sqrt(residual_sq / (n_ - 1) / n_) / (sy_ / n_);
  }

private:
  double n_ = 0, sx_ = 0, sy_ = 0, sxx_ = 0, syy_ = 0, sxy_ = 0;
};

enum class Miner { pool, honest };

struct Cycle {
  double blocks = 0, stale = 0, pool = 0, honest = 0;
  // The branch that wins: its blocks enter the main chain; the loser's are stale.
  void settle(const std::vector<Miner>& winner, const std::vector<Miner>& loser) {
    for (Miner m : winner) (m == Miner::pool ? pool : honest) += 1;
    stale += static_cast<double>(loser.size());
  }
};

// Eyal & Sirer's Algorithm 1 played with explicit branches from a common block until
// one branch is settled, i.e. one regeneration cycle of the chain's state 0. The
// blocks are counted when the fork is settled, not when the chain credits them, so
// this checks the chain's bookkeeping too.
Cycle selfish_mining_cycle(double alpha, double gamma, cbsim::models::random::Rng& rng) {
  std::vector<Miner> pool_branch, honest_branch;  // blocks since the common block
  Cycle c;
  for (;;) {
    ++c.blocks;
    const bool tie = pool_branch.size() == 1 && honest_branch.size() == 1;
    const std::size_t lead = pool_branch.size() - honest_branch.size();  // the pool is never behind
    if (rng.uniform01() < alpha) {
      pool_branch.push_back(Miner::pool);
      if (tie) {  // the pool publishes and wins the tie
        c.settle(pool_branch, honest_branch);
        return c;
      }
      continue;
    }
    if (tie) {
      if (rng.uniform01() < gamma) {  // an honest miner extends the pool's block
        pool_branch.push_back(Miner::honest);
        c.settle(pool_branch, honest_branch);
      } else {
        honest_branch.push_back(Miner::honest);
        c.settle(honest_branch, pool_branch);
      }
      return c;
    }
    honest_branch.push_back(Miner::honest);
    if (lead == 0) {  // nothing private: the honest block simply extends the chain
      c.settle(honest_branch, {});
      return c;
    }
    if (lead == 2) {  // the pool publishes its whole branch, one block longer
      c.settle(pool_branch, honest_branch);
      return c;
    }
    // lead 1: the pool publishes its block, a tie; lead > 2: it publishes one more
    // block and stays ahead; either way the race goes on.
  }
}

}  // namespace

TEST(SelfishMiningChain, RevenueEqualsEyalSirerClosedForm) {
  double max_deviation = 0;
  for (int i = 2; i <= 9; ++i) {
    const double alpha = 0.05 * i;
    for (double gamma : {0.0, 0.25, 0.5, 0.75, 1.0}) {
      const double deviation = std::abs(revenue(alpha, gamma) - selfish_mining_revenue(alpha, gamma));
      EXPECT_LT(deviation, 1e-9) << "alpha=" << alpha << " gamma=" << gamma;
      max_deviation = std::max(max_deviation, deviation);
    }
  }
  RecordProperty("max_deviation_from_eyal_sirer", testing::PrintToString(max_deviation));
}

TEST(SelfishMiningChain, ProfitabilityThresholdFoundByBisection) {
  for (double gamma : {0.0, 0.25, 0.5, 0.75, 0.9}) {
    double lo = 0.001, hi = 0.499;  // revenue - alpha < 0 below the threshold, > 0 above
    ASSERT_LT(revenue(lo, gamma), lo);
    ASSERT_GT(revenue(hi, gamma), hi);
    while (hi - lo > 1e-8) {
      const double mid = (lo + hi) / 2;
      (revenue(mid, gamma) < mid ? lo : hi) = mid;
    }
    EXPECT_NEAR((lo + hi) / 2, selfish_mining_threshold(gamma), 1e-6) << "gamma=" << gamma;
  }
  // gamma = 1: the threshold is 0, any pool gains.
  for (double alpha : {0.01, 0.05}) EXPECT_GT(revenue(alpha, 1.0), alpha);
}

TEST(SelfishMiningChain, StaleShareMatchesTheBalanceEquationsForAnyGamma) {
  for (double alpha : {0.0, 0.1, 0.25, 1.0 / 3, 0.45}) {
    for (double gamma : {0.0, 0.5, 1.0}) {
      const SelfishMiningResult r = selfish_mining_markov({alpha, gamma});
      EXPECT_NEAR(r.stale_share, stale_share_closed_form(alpha), 1e-12) << "alpha=" << alpha;
      // Every block found ends in the chain or stale.
      EXPECT_NEAR(r.pool_blocks_per_block + r.honest_blocks_per_block + r.stale_share, 1.0, 1e-12);
      EXPECT_NEAR(r.honest_stale_share * (1 - alpha) + r.pool_stale_share * alpha, r.stale_share, 1e-12);
    }
  }
  EXPECT_NEAR(selfish_mining_markov({1.0 / 3, 0.5}).stale_share, 4.0 / 17, 1e-12);
}

TEST(SelfishMiningChain, NoPoolMeansNoStaleBlocksAndAllPoolMeansAllRevenue) {
  const SelfishMiningResult none = selfish_mining_markov({0.0, 0.5});
  EXPECT_NEAR(none.relative_revenue, 0.0, 1e-15);
  EXPECT_NEAR(none.stale_share, 0.0, 1e-15);
  EXPECT_NEAR(none.honest_blocks_per_block, 1.0, 1e-15);
  const SelfishMiningResult all = selfish_mining_markov({1.0, 0.5});
  EXPECT_NEAR(all.relative_revenue, 1.0, 1e-15);
  EXPECT_NEAR(all.stale_share, 0.0, 1e-15);
}

TEST(SelfishMiningChain, PoolBlocksGoStaleOnlyWhenHonestMinersLeaveItsBranch) {
  // Only a tie the honest branch wins orphans a pool block: share (1-gamma)(1-alpha) p0' / alpha.
  EXPECT_NEAR(selfish_mining_markov({0.3, 1.0}).pool_stale_share, 0.0, 1e-15);
  EXPECT_GT(selfish_mining_markov({0.3, 0.0}).pool_stale_share, selfish_mining_markov({0.3, 0.5}).pool_stale_share);
  // A pool with more hash power orphans more honest blocks.
  EXPECT_GT(selfish_mining_markov({0.4, 0.5}).honest_stale_share, selfish_mining_markov({0.2, 0.5}).honest_stale_share);
}

TEST(SelfishMiningChain, TruncationIsNegligibleAtTheDefaultMaxLead) {
  const SelfishMiningResult deep = selfish_mining_markov({0.45, 0.5, 400});
  const SelfishMiningResult standard = selfish_mining_markov({0.45, 0.5});
  EXPECT_NEAR(standard.relative_revenue, deep.relative_revenue, 1e-13);
  EXPECT_LT(std::abs(standard.truncated_mass), 1e-15);
  // A short chain shows the truncation in its mass and its revenue.
  const SelfishMiningResult shallow = selfish_mining_markov({0.45, 0.5, 10});
  EXPECT_GT(shallow.truncated_mass, 1e-3);
  EXPECT_GT(std::abs(shallow.relative_revenue - deep.relative_revenue), 1e-4);
}

TEST(SelfishMiningChain, MonteCarloOfTheStrategyWithExplicitBranches) {
  cbsim::models::random::Rng rng(7, "selfish-mining");
  for (const auto& [alpha, gamma] : {std::pair{0.3, 0.5}, std::pair{0.4, 0.0}}) {
    const SelfishMiningResult model = selfish_mining_markov({alpha, gamma});
    RatioEstimate stale, revenue_share;
    for (int i = 0; i < 100000; ++i) {
      const Cycle c = selfish_mining_cycle(alpha, gamma, rng);
      stale.add(c.stale, c.blocks);
      revenue_share.add(c.pool, c.pool + c.honest);
    }
    EXPECT_NEAR(stale.value(), model.stale_share, 4 * stale.sigma()) << "alpha=" << alpha << " gamma=" << gamma;
    EXPECT_NEAR(revenue_share.value(), model.relative_revenue, 4 * revenue_share.sigma())
        << "alpha=" << alpha << " gamma=" << gamma;
    EXPECT_LT(stale.sigma(), 0.003);  // the check has teeth
  }
}

TEST(SelfishMiningChain, RejectsInvalidParameters) {
  EXPECT_THROW(selfish_mining_markov({-0.1, 0.5}), std::invalid_argument);
  EXPECT_THROW(selfish_mining_markov({0.3, 1.5}), std::invalid_argument);
  EXPECT_THROW(selfish_mining_markov({NAN, 0.5}), std::invalid_argument);
  EXPECT_THROW(selfish_mining_markov({0.3, 0.5, 1}), std::invalid_argument);
}
