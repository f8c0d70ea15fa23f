#pragma once
// Sample quantiles (linear interpolation between order statistics, the
// "type 7" definition of R and numpy's default, so numbers match notebooks).

#include <vector>

namespace cbsim::models::stats {

// q in [0, 1]. Returns NaN for an empty sample. Sorts a copy.
double quantile(std::vector<double> sample, double q);
double median(std::vector<double> sample);

}  // namespace cbsim::models::stats
