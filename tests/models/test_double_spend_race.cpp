#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/analysis/closed_forms.h"
#include "models/analysis/double_spend_race.h"
#include "models/random/rng.h"

using namespace cbsim::models::analysis;

namespace {

// The race played out block by block, as the header describes it (independent of
// the chain's state numbering and truncation). Needs give_up_deficit > 0 or q < 1/2
// to end.
bool play_race(const DoubleSpendRace& race, cbsim::models::random::Rng& rng) {
  int honest = 0, attacker = race.premined_blocks;
  for (;;) {
    const bool accepted = honest >= race.confirmations;
    if (accepted && attacker > honest) return true;
    if (race.give_up_deficit > 0 && honest - attacker >= race.give_up_deficit) return false;
    if (rng.uniform01() < race.q)
      ++attacker;
    else
      ++honest;
  }
}

}  // namespace

TEST(DoubleSpendRace, WithOnePreminedBlockAndNoGiveUpIsRosenfeldsModel) {
  double max_deviation = 0;
  for (double q : {0.05, 0.1, 0.2, 0.3, 0.4, 0.45}) {
    for (int z = 1; z <= 10; ++z) {
      const double chain = double_spend_success({q, z});
      EXPECT_NEAR(chain, rosenfeld_double_spend(q, z), 1e-10) << "q=" << q << " z=" << z;
      max_deviation = std::max(max_deviation, std::abs(chain - rosenfeld_double_spend(q, z)));
    }
  }
  RecordProperty("max_deviation_from_rosenfeld", testing::PrintToString(max_deviation));
}

TEST(DoubleSpendRace, StaysExactCloseToOneHalfWhereTheTrackedLeadIsCapped) {
  // q = 0.4999 needs an honest lead of ~90,000 before the tail is negligible; the
  // chain stops at 20,000 and carries the tail's exact value.
  for (double q : {0.499, 0.4999})
    for (int z : {1, 6}) EXPECT_NEAR(double_spend_success({q, z}), rosenfeld_double_spend(q, z), 1e-10);
}

TEST(DoubleSpendRace, MajorityAttackerAlwaysWinsWithoutGivingUp) {
  for (double q : {0.5, 0.6, 1.0}) EXPECT_EQ(double_spend_success({q, 6}), 1.0);
  // With give-up it can lose, even at q = 1/2.
  const double with_give_up = double_spend_success({0.5, 6, 1, 3});
  EXPECT_GT(with_give_up, 0.0);
  EXPECT_LT(with_give_up, 1.0);
  EXPECT_DOUBLE_EQ(double_spend_success({1.0, 6, 0, 1}), 1.0);
}

TEST(DoubleSpendRace, ZeroConfirmations) {
  EXPECT_EQ(double_spend_success({0.1, 0}), 1.0);  // the pre-mined block is already longer
  // Without it, from a tie: the attacker gains one block net with probability q/p.
  EXPECT_NEAR(double_spend_success({0.1, 0, 0}), 0.1 / 0.9, 1e-15);
}

TEST(DoubleSpendRace, GiveUpAtOneBlockForOneConfirmationByHand) {
  // Pre-mined 1: the attacker's next block wins at once (q); after an honest block
  // (p) it is accepted at a tie, and the next block decides: q. Total q + p q.
  // Without the pre-mined block the attacker must first find one (q), then as above.
  for (double q : {0.1, 0.3, 0.6}) {
    const double p = 1 - q;
    EXPECT_NEAR(double_spend_success({q, 1, 1, 1}), q + p * q, 1e-15) << q;
    EXPECT_NEAR(double_spend_success({q, 1, 0, 1}), q * (q + p * q), 1e-15) << q;
  }
}

TEST(DoubleSpendRace, GiveUpAfterAcceptanceIsGamblersRuinWithTwoBarriers) {
  // z = 0, nothing pre-mined: a walk from 0 that wins at -1 and stops at D.
  for (int d : {1, 2, 5, 10}) {
    EXPECT_NEAR(double_spend_success({0.5, 0, 0, d}), d / (d + 1.0), 1e-13) << d;  // symmetric walk
    const double r = 0.3 / 0.7;
    EXPECT_NEAR(double_spend_success({0.3, 0, 0, d}), (r - std::pow(r, d + 1)) / (1 - std::pow(r, d + 1)), 1e-13) << d;
  }
}

TEST(DoubleSpendRace, GivingUpSoonerLowersTheProbabilityMonotonically) {
  const double never = double_spend_success({0.3, 3});
  double previous = 0;
  for (int d = 1; d <= 20; ++d) {  // beyond, the steps fall below rounding
    const double p = double_spend_success({0.3, 3, 1, d});
    EXPECT_GT(p, previous) << "D=" << d;
    EXPECT_LT(p, never) << "D=" << d;
    previous = p;
  }
  // A deficit the attacker practically never recovers from is the same as never giving up.
  EXPECT_NEAR(double_spend_success({0.3, 3, 1, 200}), never, 1e-14);
}

TEST(DoubleSpendRace, WithoutPreminedBlockTheAttackerNeedsOneMoreBlock) {
  // The negative-binomial race of the closed-form test, one block further behind:
  // having m blocks when the honest chain has z, it needs z - m + 1 net.
  for (double q : {0.1, 0.3, 0.45}) {
    const double p = 1 - q;
    for (int z : {1, 2, 4, 8}) {
      double direct = 0, binom = 1;
      for (int m = 0; m < 3000; ++m) {
        if (m > 0) binom *= static_cast<double>(m + z - 1) / m;
        direct += binom * std::pow(p, z) * std::pow(q, m) * (m > z ? 1.0 : std::pow(q / p, z - m + 1));
      }
      const double chain = double_spend_success({q, z, 0});
      EXPECT_NEAR(chain, direct, 1e-10) << "q=" << q << " z=" << z;
      EXPECT_LT(chain, double_spend_success({q, z, 1}));
      EXPECT_GT(double_spend_success({q, z, 2}), double_spend_success({q, z, 1}));
    }
  }
  EXPECT_EQ(double_spend_success({0.1, 3, 4}), 1.0);  // more pre-mined blocks than the merchant waits for
}

TEST(DoubleSpendRace, MonteCarloOfTheSameRaceWithGiveUp) {
  // q = 0.3, z = 3, D = 5 has no closed form.
  const DoubleSpendRace race{0.3, 3, 1, 5};
  const double model = double_spend_success(race);
  cbsim::models::random::Rng rng(2024, "double-spend-race");
  constexpr int kTrials = 200000;
  int wins = 0;
  for (int i = 0; i < kTrials; ++i) wins += play_race(race, rng);
  const double sigma = std::sqrt(model * (1 - model) / kTrials);
  EXPECT_NEAR(static_cast<double>(wins) / kTrials, model, 4 * sigma);
  EXPECT_LT(model, double_spend_success({0.3, 3}));
}

TEST(DoubleSpendRace, ProbabilityFallsWithConfirmationsAndRisesWithShare) {
  for (int d : {0, 4}) {
    for (int z = 1; z < 10; ++z) EXPECT_LT(double_spend_success({0.2, z + 1, 1, d}), double_spend_success({0.2, z, 1, d}));
    for (double q = 0.05; q < 0.45; q += 0.05)
      EXPECT_LT(double_spend_success({q, 4, 1, d}), double_spend_success({q + 0.05, 4, 1, d}));
  }
  EXPECT_EQ(double_spend_success({0.0, 3}), 0.0);
}

TEST(DoubleSpendRace, RejectsInvalidRaces) {
  EXPECT_THROW(double_spend_success({-0.1, 3}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({1.1, 3}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({NAN, 3}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({0.1, -1}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({0.1, 3, -1}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({0.1, 3, 1, -2}), std::invalid_argument);
  EXPECT_THROW(double_spend_success({0.1, 100000}), std::invalid_argument);
}
