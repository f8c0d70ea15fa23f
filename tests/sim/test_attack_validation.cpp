// Attacks against their analytic values (../shared/REFERENCE.md): double
// spending against Rosenfeld's exact race and its Markov chain with the
// give-up rule; selfish mining against Eyal & Sirer's revenue formula and
// profitability threshold. On the ideal network, where the models' one
// assumption about the network (none) holds.

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

json run_attack(const std::string& scenario, const std::string& label, const std::vector<std::string>& overrides) {
  const auto dir = scratch_dir("attack-" + label);
  std::vector<std::string> args = {"run", scenario_path(scenario), "--out", dir.string(), "--quiet"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const ProcessResult r = run_cbsim(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json attack = read_json(dir / "metrics.json")["attack"];
  std::filesystem::remove_all(dir);
  return attack;
}

struct DoubleSpendCase {
  double q;
  int z;
  int give_up;
  int trials;
};

}  // namespace

TEST(AttackValidation, DoubleSpendSuccessMatchesTheExactRace) {
  const DoubleSpendCase cases[] = {{0.1, 1, 20, 4000}, {0.2, 2, 20, 3000}, {0.3, 3, 5, 3000},
                                   {0.3, 6, 40, 3000}, {0.4, 4, 30, 1500}};
  for (const DoubleSpendCase& c : cases) {
    const std::string label = "q" + std::to_string(c.q) + "z" + std::to_string(c.z);
    const json a = run_attack("double-spend.json", label,
                              {"attack.attacker_share=" + std::to_string(c.q), "attack.confirmations=" + std::to_string(c.z),
                               "attack.give_up_deficit=" + std::to_string(c.give_up),
                               "attack.trials=" + std::to_string(c.trials)});
    const double p = a["success_probability"].get<double>();
    const double model = a["model_success_probability"].get<double>();
    const double sigma = std::sqrt(model * (1 - model) / c.trials);
    std::cout << "double spend q=" << c.q << " z=" << c.z << " D=" << c.give_up << ": " << p << " over " << c.trials
              << " trials, model " << model << " +- " << sigma << ", Rosenfeld (no give-up) "
              << a["rosenfeld_success_probability"].get<double>() << "\n";
    EXPECT_EQ(a["trials"].get<int>(), c.trials);
    EXPECT_NEAR(p, model, 4 * sigma) << label;
    // With a distant give-up horizon the race is Rosenfeld's closed form: the
    // attacker would come back from D behind with probability (q/p)^D only.
    if (c.give_up >= 30) {
      const double comeback = std::pow(c.q / (1 - c.q), c.give_up);
      EXPECT_NEAR(model, a["rosenfeld_success_probability"].get<double>(), comeback) << label;
    }
  }
}

TEST(AttackValidation, AMajorityAttackerAlwaysSucceeds) {
  const json a = run_attack("double-spend.json", "majority",
                            {"attack.attacker_share=0.6", "attack.give_up_deficit=0", "attack.trials=200"});
  EXPECT_EQ(a["successes"].get<int>(), 200);
  EXPECT_DOUBLE_EQ(a["success_probability"].get<double>(), 1.0);
}

TEST(AttackValidation, SelfishMiningRevenueMatchesEyalAndSirer) {
  const std::pair<double, double> cases[] = {{0.1, 0.5}, {0.25, 0.0}, {0.3, 0.5}, {0.35, 0.25}, {0.2, 1.0}};
  for (const auto& [alpha, gamma] : cases) {
    const std::string label = "a" + std::to_string(alpha) + "g" + std::to_string(gamma);
    const json a = run_attack("selfish-mining.json", label,
                              {"attack.attacker_share=" + std::to_string(alpha), "attack.gamma=" + std::to_string(gamma)});
    const double revenue = a["relative_revenue"].get<double>();
    std::cout << "selfish mining alpha=" << alpha << " gamma=" << gamma << ": revenue " << revenue << ", model "
              << a["model_relative_revenue"].get<double>() << "; honest stale " << a["honest_stale_rate"].get<double>()
              << ", model " << a["model_honest_stale_rate"].get<double>() << "\n";
    EXPECT_NEAR(revenue, a["model_relative_revenue"].get<double>(), 0.01) << label;
    EXPECT_NEAR(a["markov_relative_revenue"].get<double>(), a["model_relative_revenue"].get<double>(), 1e-9);
    EXPECT_NEAR(a["honest_stale_rate"].get<double>(), a["model_honest_stale_rate"].get<double>(), 0.01) << label;
  }
}

TEST(AttackValidation, SelfishMiningMatchesWhereverThePoolSits) {
  // The seed places the pool elsewhere in the 3-regular overlay. Eyal & Sirer's
  // gamma assumes every honest miner knows both blocks of a race, which
  // first-seen relay alone does not give: it once made the revenue depend on
  // where the pool sat (0.203 on average over these seeds instead of 0.195).
  // Spread of one 100,000-block run about 0.0023 (measured over 6 seeds), so
  // the mean of 4 is within 0.005 (4 sigma) of the model.
  double sum = 0.0, model = 0.0;
  const int seeds[] = {1, 2, 5, 10};
  for (const int seed : seeds) {
    const json a = run_attack("selfish-mining.json", "seed" + std::to_string(seed),
                              {"seed=" + std::to_string(seed), "attack.attacker_share=0.25", "attack.gamma=0"});
    sum += a["relative_revenue"].get<double>();
    model = a["model_relative_revenue"].get<double>();
  }
  EXPECT_NEAR(sum / std::size(seeds), model, 0.005);
}

TEST(AttackValidation, SelfishMiningPaysExactlyAboveTheThreshold) {
  // Threshold (1 - gamma) / (3 - 2 gamma): 1/3 for gamma = 0, 1/4 for gamma = 1/2.
  const struct {
    double alpha, gamma;
    bool profitable;
  } cases[] = {{0.30, 0.0, false}, {0.37, 0.0, true}, {0.21, 0.5, false}, {0.29, 0.5, true}};
  for (const auto& c : cases) {
    const json a = run_attack("selfish-mining.json", "threshold",
                              {"attack.attacker_share=" + std::to_string(c.alpha), "attack.gamma=" + std::to_string(c.gamma)});
    EXPECT_EQ(a["relative_revenue"].get<double>() > c.alpha, c.profitable)
        << "alpha " << c.alpha << " gamma " << c.gamma << ": revenue " << a["relative_revenue"].get<double>()
        << ", threshold " << a["profitable_threshold"].get<double>();
  }
}

// A majority pool is a valid experiment; only the models (which assume alpha
// < 1/2) have no value for it. It used to end in exit 1 "LU failed" after the
// whole run (found by scripts/mutate-scenarios.py).
TEST(AttackValidation, AMajoritySelfishPoolRunsWithoutModelValues) {
  const json a = run_attack("selfish-mining.json", "majority",
                            {"attack.attacker_share=0.86", "duration.max_sim_time_s=36000"});
  EXPECT_FALSE(a.contains("model_relative_revenue"));
  EXPECT_FALSE(a.contains("markov_relative_revenue"));
  EXPECT_NE(a.value("model_note", "").find("attacker_share < 0.5"), std::string::npos);
  EXPECT_GT(a["pool_blocks_mined"].get<int>(), a["honest_blocks_mined"].get<int>());
}

TEST(AttackValidation, EclipsingTheMerchantRaisesTheDoubleSpendSuccess) {
  // Without delay the eclipse changes nothing: the race is the plain one.
  const json plain = run_attack("eclipse.json", "eclipse-0", {"attack.eclipse_delay_s=0", "attack.trials=2000"});
  const double model = plain["model_success_probability"].get<double>();
  const double sigma = std::sqrt(model * (1 - model) / 2000);
  EXPECT_NEAR(plain["success_probability"].get<double>(), model, 4 * sigma);
  EXPECT_DOUBLE_EQ(plain["victim_mean_lag_blocks"].get<double>(), 0.0);
  // Announced 30 minutes late, the merchant lags behind by the honest blocks
  // of 30 minutes (at most 3, fewer since 30 % of blocks are the attacker's,
  // kept private), and the attacker races that lagging view.
  const json late = run_attack("eclipse.json", "eclipse-1800", {"attack.trials=2000"});
  std::cout << "eclipse: success " << plain["success_probability"].get<double>() << " without delay, "
            << late["success_probability"].get<double>() << " with 1800 s (victim lag "
            << late["victim_mean_lag_blocks"].get<double>() << " blocks); plain model " << model << "\n";
  EXPECT_GT(late["victim_mean_lag_blocks"].get<double>(), 0.5 * 1800.0 / 600.0);
  EXPECT_LT(late["victim_mean_lag_blocks"].get<double>(), 1800.0 / 600.0);
  EXPECT_GT(late["success_probability"].get<double>(), model + 8 * sigma);
}

TEST(AttackValidation, WithholdingEclipseSucceedsAsTheVictimsBranchGrows) {
  // The merchant sees only the branch the attacker feeds it, which grows with
  // the attacker's and the merchant's hash power: z blocks of it arrive within
  // the window with the Gamma(z) probability of the model.
  for (const double window_s : {3600.0, 7200.0, 14400.0}) {
    const int trials = 3000;
    const json a = run_attack("eclipse-withholding.json", "withhold",
                              {"attack.max_trial_time_s=" + std::to_string(window_s),
                               "attack.trials=" + std::to_string(trials)});
    const double p = a["success_probability"].get<double>();
    const double model = a["model_success_probability"].get<double>();
    const double sigma = std::sqrt(model * (1 - model) / trials);
    std::cout << "eclipse withholding, window " << window_s << " s: " << p << " over " << trials << " trials, model "
              << model << " +- " << sigma << "\n";
    EXPECT_EQ(a["trials"].get<int>(), trials);
    EXPECT_NEAR(p, model, 4 * sigma) << window_s;
  }
  // Without a window every trial succeeds, after z blocks of the branch:
  // mean z T / (q + h_victim), standard deviation sqrt(z) T / (q + h_victim).
  const int trials = 2000;
  const json a = run_attack("eclipse-withholding.json", "withhold-unbounded",
                            {"attack.max_trial_time_s=0", "attack.trials=" + std::to_string(trials)});
  EXPECT_EQ(a["successes"].get<int>(), trials);
  const double mean = a["model_mean_time_to_accept_s"].get<double>();
  const double sigma = mean / std::sqrt(6.0) / std::sqrt(static_cast<double>(trials));
  std::cout << "eclipse withholding, no window: accepted after " << a["mean_time_to_accept_s"].get<double>()
            << " s on average, model " << mean << " +- " << sigma << "\n";
  EXPECT_NEAR(a["mean_time_to_accept_s"].get<double>(), mean, 4 * sigma);
}

TEST(AttackValidation, TheEclipsedVictimsOnlyPeerIsTheAttacker) {
  const auto dir = scratch_dir("eclipse-topology");
  const ProcessResult r = run_cbsim({"run", scenario_path("eclipse.json"), "--out", dir.string(), "--quiet", "--set",
                                     "attack.trials=10"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json a = read_json(dir / "metrics.json")["attack"];
  const std::string victim = std::to_string(a["victim_node"].get<int>());
  bool found = false;
  for (const auto& cells : read_csv_rows(dir / "nodes.csv")) {
    if (cells.at(0) != victim) continue;
    EXPECT_EQ(cells.at(3), "1") << "degree of the victim";
    found = true;
  }
  EXPECT_TRUE(found);
  std::filesystem::remove_all(dir);
}
