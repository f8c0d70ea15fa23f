#pragma once
// Outcomes of attack trials run one after the other: the success probability
// with its 95 % Wilson interval, and the mean duration of a trial.

#include <nlohmann/json.hpp>

#include "models/stats/proportion.h"

namespace cbsim::sim {

class TrialTally {
public:
  void start(double now) { started_ = now; }
  void finish(bool success, double now) {
    ++done_;
    if (success) ++successes_;
    time_total_ += now - started_;
  }
  int done() const { return done_; }
  int successes() const { return successes_; }
  double started() const { return started_; }

  // attack.trials, successes, success_probability, ci95, mean_trial_time_s.
  void write(nlohmann::json& m) const {
    m["trials"] = done_;
    m["successes"] = successes_;
    m["success_probability"] = done_ > 0 ? static_cast<double>(successes_) / done_ : 0.0;
    m["ci95"] = models::stats::wilson_half_width(successes_, done_, 1.959963984540054);
    m["mean_trial_time_s"] = done_ > 0 ? time_total_ / done_ : 0.0;
  }

private:
  int done_ = 0;
  int successes_ = 0;
  double started_ = 0.0;
  double time_total_ = 0.0;
};

}  // namespace cbsim::sim
