#pragma once
// Live migration of a VM's memory: the pre-copy model (Clark et al., NSDI 2005)
// and CloudSim's one-line convention, so scenarios can pick either.

#include <cstdint>

namespace cbsim::models::cloud {

struct PreCopyParameters {
  double ram_mb = 0.0;                // M
  double bandwidth_mb_per_s = 0.0;    // B, > 0
  double dirty_rate_mb_per_s = 0.0;   // D
  double stop_copy_threshold_mb = 0.0;  // pause the VM once at most this much is left
  std::uint32_t max_rounds = 30;      // pre-copy rounds, round 0 included; >= 1
};

struct PreCopyResult {
  double total_time_s = 0.0;  // pre-copy rounds plus stop-and-copy
  double downtime_s = 0.0;    // stop-and-copy only: the VM is paused
  std::uint32_t rounds = 0;   // pre-copy rounds run, round 0 included
  double data_sent_mb = 0.0;
};

// Round 0 copies all M; round i copies what was dirtied during round i-1
// (D t_{i-1}, at most M: a VM cannot dirty more memory than it has). Rounds stop
// once the dirty remainder is at or below the threshold, or after max_rounds;
// the remainder is then copied with the VM paused. With D < B the remainder
// shrinks by r = D/B per round; with D >= B it never does, and the rounds only
// add traffic before a stop-and-copy of (up to) the whole RAM.
// Throws std::invalid_argument for B <= 0, negative M, D or threshold, or max_rounds 0.
PreCopyResult pre_copy_migration(const PreCopyParameters& parameters);

// CloudSim's convention: half the link goes to the migration, so time = M / (B/2).
double cloudsim_migration_time_s(double ram_mb, double bandwidth_mb_per_s);

// CloudSim's convention for the migrating VM: it runs at 90 % of its CPU meanwhile.
inline constexpr double kCloudSimMigrationCpuLoss = 0.10;

}  // namespace cbsim::models::cloud
