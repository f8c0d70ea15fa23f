#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "models/cloud/migration.h"

using namespace cbsim::models::cloud;

namespace {

// The geometric series of the pre-copy rounds 0..n (D < B, remainder never capped).
struct ClosedForm {
  double rounds_time, downtime, data_mb;
};
ClosedForm closed_form(double m, double b, double d, std::uint32_t rounds) {
  const double r = d / b, rn = std::pow(r, rounds);  // rounds = n + 1
  return {(m / b) * (1 - rn) / (1 - r), m * rn / b, m * (1 - rn) / (1 - r) + m * rn};
}

}  // namespace

// r = 0.3: the remainder after k rounds is 1024 * 0.3^k MB, first at or below
// 1 MB at k = 6.
TEST(MigrationPreCopy, ConvergingRoundsMatchTheGeometricSeries) {
  const PreCopyParameters p{1024, 100, 30, 1.0, 30};
  const auto result = pre_copy_migration(p);
  EXPECT_EQ(result.rounds, 6u);
  const auto expected = closed_form(1024, 100, 30, result.rounds);
  EXPECT_NEAR(result.downtime_s, expected.downtime, 1e-12);
  EXPECT_NEAR(result.total_time_s, expected.rounds_time + expected.downtime, 1e-9);
  EXPECT_NEAR(result.data_sent_mb, expected.data_mb, 1e-9);
  EXPECT_LE(result.downtime_s * 100, 1.0 + 1e-12);  // what was left fits under the threshold
}

TEST(MigrationPreCopy, MaxRoundsCapsAConvergingMigration) {
  const PreCopyParameters p{4096, 125, 100, 0.0, 5};  // threshold 0: never reached while D > 0
  const auto result = pre_copy_migration(p);
  EXPECT_EQ(result.rounds, 5u);
  const auto expected = closed_form(4096, 125, 100, 5);
  EXPECT_NEAR(result.total_time_s, expected.rounds_time + expected.downtime, 1e-9);
  EXPECT_NEAR(result.downtime_s, expected.downtime, 1e-12);
  EXPECT_NEAR(result.data_sent_mb, expected.data_mb, 1e-9);
}

TEST(MigrationPreCopy, NoDirtyPagesIsOneRoundAndNoDowntime) {
  const auto result = pre_copy_migration({2048, 100, 0, 0.0, 30});
  EXPECT_EQ(result.rounds, 1u);
  EXPECT_DOUBLE_EQ(result.total_time_s, 20.48);
  EXPECT_DOUBLE_EQ(result.downtime_s, 0.0);
  EXPECT_DOUBLE_EQ(result.data_sent_mb, 2048);
}

// D >= B: every round re-dirties the whole RAM, so the rounds run out and the
// VM is paused for a full copy, M/B — as long as a migration with no pre-copy.
TEST(MigrationPreCopy, DirtyRateAtOrAboveBandwidthNeverConverges) {
  for (double d : {100.0, 250.0}) {
    SCOPED_TRACE(d);
    const auto result = pre_copy_migration({1024, 100, d, 1.0, 8});
    EXPECT_EQ(result.rounds, 8u);
    EXPECT_DOUBLE_EQ(result.downtime_s, 10.24);
    EXPECT_DOUBLE_EQ(result.total_time_s, 9 * 10.24);
    EXPECT_DOUBLE_EQ(result.data_sent_mb, 9 * 1024.0);
  }
  const auto converging = pre_copy_migration({1024, 100, 50, 1.0, 8});
  EXPECT_LT(converging.downtime_s * 100, pre_copy_migration({1024, 100, 100, 1.0, 8}).downtime_s);
}

TEST(MigrationPreCopy, RejectsInvalidParameters) {
  EXPECT_THROW(pre_copy_migration({1024, 0, 0, 0, 30}), std::invalid_argument);
  EXPECT_THROW(pre_copy_migration({-1, 100, 0, 0, 30}), std::invalid_argument);
  EXPECT_THROW(pre_copy_migration({1024, 100, -1, 0, 30}), std::invalid_argument);
  EXPECT_THROW(pre_copy_migration({1024, 100, 0, -1, 30}), std::invalid_argument);
  EXPECT_THROW(pre_copy_migration({1024, 100, 0, 0, 0}), std::invalid_argument);
}

// CloudSim: half the bandwidth, so twice M/B; 1 GB over 1 Gb/s (125 MB/s) is 16.384 s.
TEST(MigrationCloudSim, TimeIsRamOverHalfTheBandwidth) {
  EXPECT_DOUBLE_EQ(cloudsim_migration_time_s(2048, 1000), 4.096);
  EXPECT_DOUBLE_EQ(cloudsim_migration_time_s(1024, 125), 16.384);
  EXPECT_DOUBLE_EQ(cloudsim_migration_time_s(0, 125), 0.0);
  EXPECT_DOUBLE_EQ(kCloudSimMigrationCpuLoss, 0.10);
  EXPECT_THROW(cloudsim_migration_time_s(1024, 0), std::invalid_argument);
}
