#include "models/analysis/double_spend_race.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/analysis/markov_chain.h"

namespace cbsim::models::analysis {

namespace {

// Without give-up the honest lead after acceptance is unbounded, so the chain stops
// tracking it at a lead K (the state "stopped"). From an honest lead d after
// acceptance, with nothing left but the race, the attacker needs d + 1 net blocks
// and gains each with probability q/p (gambler's ruin against an infinitely rich
// opponent), so it wins from there with (q/p)^(d+1). "stopped" carries exactly that
// value, so the cut is exact for any K; K is put where (q/p)^(K+1) < 1e-16 so that
// the result is the chain's own (the tail is below double rounding of the answer),
// and capped at 20,000 states (reached only for q within about 5e-4 of 1/2), where
// the exact tail value carries the rest.
constexpr double kNegligibleTail = 1e-16;
constexpr int kMaxTrackedLead = 20000;
// Beyond this the sparse LU of the pre-acceptance grid (about z^2 states) gets slow
// and memory-hungry; no configuration the simulator can run in reasonable time needs it.
constexpr long long kMaxStates = 1'000'000;

// States: before acceptance (h, a) for h in [0, z-1], a in [premined, z], where a
// lead a > z already guarantees success at acceptance (a never shrinks) and is
// merged into "success"; after acceptance only the honest lead d = h - a in
// [0, limit) matters; then "success" and "stopped" (honest lead reached `limit`:
// the give-up deficit D, or K above when the attacker never gives up).
class RaceChain {
public:
  explicit RaceChain(const DoubleSpendRace& race)
      : q_(race.q),
        z_(race.confirmations),
        premined_(race.premined_blocks),
        width_(std::max(0, z_ + 1 - premined_)),
        pre_states_(z_ * width_),
        limit_(lead_limit(race)),
        success_(pre_states_ + limit_),
        stopped_(success_ + 1),
        stopped_value_(race.give_up_deficit > 0 ? 0.0 : std::pow(q_ / (1 - q_), limit_ + 1)) {}

  double success_probability() const {
    const int start = z_ == 0 ? after_acceptance(-premined_) : before_acceptance(0, premined_);
    if (start == success_) return 1.0;
    if (start == stopped_) return stopped_value_;

    const double p = 1 - q_;
    std::vector<Transition> transitions;
    transitions.reserve(2 * static_cast<std::size_t>(stopped_ + 1));
    for (int h = 0; h < z_; ++h) {
      for (int a = premined_; a <= z_; ++a) {
        transitions.push_back({pre(h, a), before_acceptance(h, a + 1), q_});
        transitions.push_back({pre(h, a), before_acceptance(h + 1, a), p});
      }
    }
    for (int d = 0; d < limit_; ++d) {
      transitions.push_back({post(d), after_acceptance(d - 1), q_});
      transitions.push_back({post(d), after_acceptance(d + 1), p});
    }
    transitions.push_back({success_, success_, 1.0});
    transitions.push_back({stopped_, stopped_, 1.0});

    std::vector<int> transient(success_);
    for (int s = 0; s < success_; ++s) transient[s] = s;
    const MarkovChain chain(stopped_ + 1, transitions);
    const Eigen::MatrixXd b = chain.absorption_probabilities(transient, {success_, stopped_});
    return b(start, 0) + b(start, 1) * stopped_value_;
  }

private:
  static int lead_limit(const DoubleSpendRace& race) {
    if (race.give_up_deficit > 0) return race.give_up_deficit;
    // At least z + 1, so that every lead at acceptance (at most z) is tracked.
    const int least = race.confirmations + 1;
    const double ratio = race.q / (1 - race.q);  // < 1: q >= 1/2 never gets here
    if (ratio == 0) return least;
    const double wanted = std::ceil(std::log(kNegligibleTail) / std::log(ratio));
    return std::max(least, static_cast<int>(std::min(wanted, static_cast<double>(kMaxTrackedLead))));
  }

  int pre(int h, int a) const { return h * width_ + (a - premined_); }
  int post(int d) const { return pre_states_ + d; }

  int after_acceptance(int honest_lead) const {
    if (honest_lead < 0) return success_;
    if (honest_lead >= limit_) return stopped_;
    return post(honest_lead);
  }

  int before_acceptance(int h, int a) const {
    if (h == z_) return after_acceptance(h - a);
    if (h - a >= limit_) return stopped_;  // gives up; only with D > 0, as K > z
    if (a > z_) return success_;
    return pre(h, a);
  }

  double q_;
  int z_, premined_, width_, pre_states_, limit_, success_, stopped_;
  double stopped_value_;  // success probability from "stopped"
};

}  // namespace

bool double_spend_race_is_tractable(int confirmations, int give_up_deficit) {
  const long long z = confirmations;
  return z * (z + 1) + std::max(z + 1, static_cast<long long>(give_up_deficit)) <= kMaxStates;
}

double double_spend_success(const DoubleSpendRace& race) {
  if (!(race.q >= 0.0 && race.q <= 1.0)) throw std::invalid_argument("double spend: q must be in [0, 1]");
  if (race.confirmations < 0) throw std::invalid_argument("double spend: confirmations must be >= 0");
  if (race.premined_blocks < 0) throw std::invalid_argument("double spend: premined_blocks must be >= 0");
  if (race.give_up_deficit < 0) throw std::invalid_argument("double spend: give_up_deficit must be >= 0");
  if (!double_spend_race_is_tractable(race.confirmations, race.give_up_deficit))
    throw std::invalid_argument("double spend: confirmations or give_up_deficit too large (over " +
                                std::to_string(kMaxStates) + " states)");
  // Without give-up and with q >= p the lead is a walk without drift against the
  // attacker, which reaches any level with probability 1; the chain would be infinite.
  if (race.give_up_deficit == 0 && race.q >= 0.5) return 1.0;
  return RaceChain(race).success_probability();
}

}  // namespace cbsim::models::analysis
