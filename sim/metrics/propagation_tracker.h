#pragma once
// Records, for every block, when the share of nodes holding it crosses each
// threshold (5 %, 10 %, ..., 95 %, 99 %, 100 %): enough for the propagation
// percentiles and the propagation CDF, in O(blocks) memory instead of
// O(blocks x nodes).

#include <array>
#include <cstdint>
#include <vector>

namespace cbsim::sim {

class PropagationTracker {
public:
  static constexpr std::array<double, 21> kFractions = {0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55,
                                                        0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.99, 1.00};

  explicit PropagationTracker(std::size_t node_count);

  void on_mined(std::uint32_t block, double t);
  void on_held(std::uint32_t block, double t);  // one more node holds it

  // Delay from mining until `fraction` (one of kFractions) of nodes held the block; NaN if never.
  double delay(std::uint32_t block, double fraction) const;
  std::uint32_t holders(std::uint32_t block) const;
  bool tracked(std::uint32_t block) const { return block < blocks_.size() && blocks_[block].tracked; }

private:
  struct BlockRecord {
    bool tracked = false;
    double mined = 0.0;
    std::uint32_t holders = 0;
    std::array<float, kFractions.size()> delays;  // seconds; NaN until reached
  };
  std::vector<std::uint32_t> thresholds_;  // node counts for each fraction
  std::vector<BlockRecord> blocks_;
};

}  // namespace cbsim::sim
