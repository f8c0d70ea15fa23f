#pragma once
// Confidence intervals for a proportion estimated from Bernoulli trials.

#include <cstdint>

namespace cbsim::models::stats {

// Half-width of the Wilson score interval at quantile z (1.96 for 95 %); well
// behaved near 0 and 1, unlike the normal approximation. 0 trials: 0.5.
double wilson_half_width(std::uint64_t successes, std::uint64_t trials, double z);

}  // namespace cbsim::models::stats
