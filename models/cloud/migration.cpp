#include "models/cloud/migration.h"

#include <algorithm>
#include <stdexcept>

namespace cbsim::models::cloud {

PreCopyResult pre_copy_migration(const PreCopyParameters& p) {
  if (!(p.bandwidth_mb_per_s > 0.0) || p.ram_mb < 0.0 || p.dirty_rate_mb_per_s < 0.0 ||
      p.stop_copy_threshold_mb < 0.0 || p.max_rounds == 0)
    throw std::invalid_argument("pre_copy_migration: invalid parameters");
  PreCopyResult result;
  double to_copy = p.ram_mb;
  for (;;) {
    const double round_time = to_copy / p.bandwidth_mb_per_s;
    result.total_time_s += round_time;
    result.data_sent_mb += to_copy;
    ++result.rounds;
    to_copy = std::min(p.dirty_rate_mb_per_s * round_time, p.ram_mb);
    if (to_copy <= p.stop_copy_threshold_mb || result.rounds >= p.max_rounds) break;
  }
  result.downtime_s = to_copy / p.bandwidth_mb_per_s;
  result.total_time_s += result.downtime_s;
  result.data_sent_mb += to_copy;
  return result;
}

double cloudsim_migration_time_s(double ram_mb, double bandwidth_mb_per_s) {
  if (!(bandwidth_mb_per_s > 0.0) || ram_mb < 0.0)
    throw std::invalid_argument("cloudsim_migration_time_s: invalid parameters");
  return ram_mb / (bandwidth_mb_per_s / 2.0);
}

}  // namespace cbsim::models::cloud
