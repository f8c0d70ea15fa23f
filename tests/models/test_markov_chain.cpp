#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/analysis/markov_chain.h"

using namespace cbsim::models::analysis;

namespace {

// The message of the std::invalid_argument that `build` throws ("" if none).
template <typename F>
std::string invalid_argument_message(F build) {
  try {
    build();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// A walk on 0..n-1 that steps up with probability p and down otherwise; the ends
// either hold (reflecting: the walk stays put instead of leaving) or absorb.
std::vector<Transition> walk(int n, double p, bool absorbing_ends) {
  std::vector<Transition> t;
  for (int i = 0; i < n; ++i) {
    if (absorbing_ends && (i == 0 || i == n - 1)) {
      t.push_back({i, i, 1.0});
      continue;
    }
    t.push_back({i, i + 1 < n ? i + 1 : i, p});
    t.push_back({i, i > 0 ? i - 1 : i, 1 - p});
  }
  return t;
}

}  // namespace

TEST(MarkovChain, TwoStateStationaryDistribution) {
  const double a = 0.3, b = 0.05;
  const MarkovChain chain(2, {{0, 1, a}, {0, 0, 1 - a}, {1, 0, b}, {1, 1, 1 - b}});
  const Eigen::VectorXd pi = chain.stationary_distribution();
  EXPECT_NEAR(pi(0), b / (a + b), 1e-15);
  EXPECT_NEAR(pi(1), a / (a + b), 1e-15);
}

TEST(MarkovChain, PeriodicCycleHasUniformStationaryDistribution) {
  const MarkovChain chain(3, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 0, 1.0}});
  const Eigen::VectorXd pi = chain.stationary_distribution();
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(pi(i), 1.0 / 3, 1e-15);
}

TEST(MarkovChain, LargeBirthDeathChainSatisfiesDetailedBalance) {
  // 3,000 states: pi(i+1) / pi(i) = p / (1-p), so pi is geometric.
  constexpr int n = 3000;
  const double p = 0.45, ratio = p / (1 - p);
  const Eigen::VectorXd pi = MarkovChain(n, walk(n, p, false)).stationary_distribution();
  const double pi0 = (1 - ratio) / (1 - std::pow(ratio, n));
  EXPECT_NEAR(pi.sum(), 1.0, 1e-12);
  for (int i : {0, 1, 10, 100, 1000, n - 1}) EXPECT_NEAR(pi(i) / (pi0 * std::pow(ratio, i)), 1.0, 1e-10) << "state " << i;
}

TEST(MarkovChain, TransientStatesGetNoStationaryMass) {
  // 0 -> 1 once and for all; {1, 2} is the only closed class.
  const MarkovChain chain(3, {{0, 1, 1.0}, {1, 2, 0.5}, {1, 1, 0.5}, {2, 1, 1.0}});
  const Eigen::VectorXd pi = chain.stationary_distribution();
  EXPECT_NEAR(pi(0), 0.0, 1e-15);
  EXPECT_NEAR(pi(1), 2.0 / 3, 1e-15);
  EXPECT_NEAR(pi(2), 1.0 / 3, 1e-15);
}

TEST(MarkovChain, TwoClosedClassesHaveNoUniqueStationaryDistribution) {
  const MarkovChain chain(3, {{0, 1, 0.5}, {0, 2, 0.5}, {1, 1, 1.0}, {2, 2, 1.0}});
  const std::string message = invalid_argument_message([&] { chain.stationary_distribution(); });
  EXPECT_NE(message.find("more than one closed class"), std::string::npos) << message;
}

TEST(MarkovChain, AbsorptionMatchesGamblersRuin) {
  // Win (reach n-1) before ruin (reach 0) from i: (1 - r^i) / (1 - r^(n-1)), r = (1-p)/p.
  constexpr int n = 11;
  const double p = 0.4, r = (1 - p) / p;
  const MarkovChain chain(n, walk(n, p, true));
  std::vector<int> transient;
  for (int i = 1; i < n - 1; ++i) transient.push_back(i);
  const Eigen::MatrixXd b = chain.absorption_probabilities(transient, {0, n - 1});
  ASSERT_EQ(b.rows(), n - 2);
  ASSERT_EQ(b.cols(), 2);
  for (int k = 0; k < n - 2; ++k) {
    const int i = transient[k];
    EXPECT_NEAR(b(k, 1), (1 - std::pow(r, i)) / (1 - std::pow(r, n - 1)), 1e-13) << "from " << i;
    EXPECT_NEAR(b(k, 0) + b(k, 1), 1.0, 1e-13);
  }
}

TEST(MarkovChain, AbsorbingSetNeedNotBeAbsorbingInTheChain) {
  // First entry into {2} from 0 on the cycle 0 -> 1 -> 2 -> 0: certain, although 2 moves on.
  const MarkovChain chain(3, {{0, 1, 1.0}, {1, 2, 0.5}, {1, 0, 0.5}, {2, 0, 1.0}});
  const Eigen::MatrixXd b = chain.absorption_probabilities({0, 1}, {2});
  EXPECT_NEAR(b(0, 0), 1.0, 1e-15);
  EXPECT_NEAR(b(1, 0), 1.0, 1e-15);
}

TEST(MarkovChain, DuplicateTransitionsAddUp) {
  const MarkovChain chain(2, {{0, 1, 0.25}, {0, 1, 0.25}, {0, 0, 0.5}, {1, 1, 1.0}});
  EXPECT_DOUBLE_EQ(chain.probability(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(chain.probability(1, 0), 0.0);
  EXPECT_EQ(chain.matrix().nonZeros(), 3);
}

TEST(MarkovChain, RejectsRowsThatDoNotSumToOneNamingTheState) {
  const std::string message = invalid_argument_message(
      [] { MarkovChain(3, {{0, 1, 1.0}, {1, 2, 1.0}, {2, 0, 0.6}, {2, 1, 0.3}}); });
  EXPECT_NE(message.find("state 2"), std::string::npos) << message;
  EXPECT_NE(message.find("0.9"), std::string::npos) << message;
  // A state without transitions sums to 0.
  EXPECT_NE(invalid_argument_message([] { MarkovChain(2, {{0, 0, 1.0}}); }).find("state 1"), std::string::npos);
}

TEST(MarkovChain, RejectsMalformedTransitions) {
  EXPECT_THROW(MarkovChain(0, {}), std::invalid_argument);
  EXPECT_THROW(MarkovChain(2, {{0, 2, 1.0}, {1, 1, 1.0}}), std::invalid_argument);
  EXPECT_THROW(MarkovChain(2, {{-1, 0, 1.0}, {0, 0, 1.0}, {1, 1, 1.0}}), std::invalid_argument);
  EXPECT_THROW(MarkovChain(1, {{0, 0, 1.5}, {0, 0, -0.5}}), std::invalid_argument);
  EXPECT_THROW(MarkovChain(1, {{0, 0, NAN}}), std::invalid_argument);
  EXPECT_THROW(MarkovChain(1, {{0, 0, 1.0}}).probability(0, 1), std::invalid_argument);
}

TEST(MarkovChain, RejectsIllPosedAbsorptionProblems) {
  // 0 -> {1, 2}; 1 and 2 absorb; 3 <-> 4 never reach them.
  const MarkovChain chain(5, {{0, 1, 0.5}, {0, 2, 0.5}, {1, 1, 1.0}, {2, 2, 1.0}, {3, 4, 1.0}, {4, 3, 1.0}});
  EXPECT_NO_THROW(chain.absorption_probabilities({0}, {1, 2}));
  const auto message = [&](std::vector<int> transient, std::vector<int> absorbing) {
    return invalid_argument_message([&] { chain.absorption_probabilities(transient, absorbing); });
  };
  EXPECT_NE(message({0, 3, 4}, {1, 2}).find("never reaches"), std::string::npos);
  EXPECT_NE(message({0}, {1}).find("neither transient nor absorbing"), std::string::npos);
  EXPECT_NE(message({0, 1}, {1, 2}).find("listed twice"), std::string::npos);
  EXPECT_NE(message({0}, {1, 7}).find("out of range"), std::string::npos);
}
