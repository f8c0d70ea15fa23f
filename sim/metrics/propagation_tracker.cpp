#include "sim/metrics/propagation_tracker.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace cbsim::sim {

PropagationTracker::PropagationTracker(std::size_t node_count) {
  for (double f : kFractions)
    thresholds_.push_back(static_cast<std::uint32_t>(std::ceil(f * static_cast<double>(node_count) - 1e-9)));
}

void PropagationTracker::on_mined(std::uint32_t block, double t) {
  if (block >= blocks_.size()) blocks_.resize(block + 1);
  BlockRecord& r = blocks_[block];
  r.tracked = true;
  r.mined = t;
  r.holders = 0;
  r.delays.fill(std::numeric_limits<float>::quiet_NaN());
}

void PropagationTracker::on_held(std::uint32_t block, double t) {
  if (!tracked(block)) return;
  BlockRecord& r = blocks_[block];
  ++r.holders;
  for (std::size_t k = 0; k < thresholds_.size(); ++k)
    if (thresholds_[k] == r.holders) r.delays[k] = static_cast<float>(t - r.mined);
}

double PropagationTracker::delay(std::uint32_t block, double fraction) const {
  if (!tracked(block)) return std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < kFractions.size(); ++k)
    if (std::abs(kFractions[k] - fraction) < 1e-9) return blocks_[block].delays[k];
  throw std::invalid_argument("PropagationTracker: untracked fraction");
}

std::uint32_t PropagationTracker::holders(std::uint32_t block) const {
  return tracked(block) ? blocks_[block].holders : 0;
}

}  // namespace cbsim::sim
