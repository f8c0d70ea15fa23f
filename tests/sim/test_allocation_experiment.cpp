// The allocation experiment of a run (issue 8): every mechanism serves the
// same requests; none beats the optimum (efficiency <= 1); every decision
// respects the hosts' capacity at every moment; the same seed, the same run.

#include <gtest/gtest.h>

#include "models/allocation/reservation_calendar.h"
#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;
namespace alloc = cbsim::models::allocation;

namespace {

struct AllocationRun {
  json metrics;
  std::vector<std::vector<std::string>> rows;  // allocations.csv
};

AllocationRun run_allocation(const std::string& label) {
  const auto dir = scratch_dir("allocation-" + label);
  const ProcessResult r = run_cbsim(
      {"run", scenario_path("pbft-4.json"), "--out", dir.string(), "--quiet", "--set", "committee.requests=50", "--set",
       R"(allocation.mechanisms=["first_fit", "best_fit", "worst_fit", "auction", "optimum"])", "--set",
       "allocation.requests_per_hour=30", "--set", "allocation.horizon_s=3600", "--set", "allocation.hosts=3", "--set",
       "allocation.host_vcpus=16", "--set", "allocation.host_ram_mb=65536"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  AllocationRun run{read_json(dir / "metrics.json")["allocation"], read_csv_rows(dir / "allocations.csv")};
  std::filesystem::remove_all(dir);
  return run;
}

}  // namespace

TEST(AllocationExperiment, NoMechanismBeatsTheOptimumAndEveryDecisionFits) {
  const AllocationRun a = run_allocation("a");
  const json& m = a.metrics["mechanisms"];
  ASSERT_EQ(a.metrics["reference"]["kind"], "optimum");
  EXPECT_DOUBLE_EQ(m["optimum"]["efficiency"].get<double>(), 1.0);
  EXPECT_LE(a.metrics["reference"]["welfare"].get<double>(), a.metrics["reference"]["lp_bound"].get<double>() + 1e-9);
  for (const char* name : {"first_fit", "best_fit", "worst_fit", "auction"}) {
    EXPECT_LE(m[name]["efficiency"].get<double>(), 1.0 + 1e-9) << name;
    EXPECT_GT(m[name]["efficiency"].get<double>(), 0.0) << name;
    EXPECT_GE(m[name]["jain_fairness"].get<double>(), 0.0) << name;
    EXPECT_LE(m[name]["jain_fairness"].get<double>(), 1.0 + 1e-12) << name;
  }
  // Central allocators decide at arrival: the VM runs after its start-up.
  EXPECT_DOUBLE_EQ(m["first_fit"]["latency_s_p50"].get<double>(), a.metrics["vm_start_s"].get<double>());
  // request,tenant,arrival_s,start_s,end_s,vcpus,ram_mb,bid, then a host per mechanism.
  ASSERT_EQ(a.rows.size(), a.metrics["requests"].get<std::size_t>());
  for (std::size_t column = 8; column < 13; ++column) {
    alloc::ReservationCalendar calendar(std::vector<alloc::HostCapacity>(3, alloc::HostCapacity{16, 65536}));
    std::size_t accepted = 0;
    for (const auto& row : a.rows) {
      const int host = std::stoi(row.at(column));
      if (host < 0) continue;
      alloc::AllocationRequest r;
      r.start_s = std::stod(row[3]);
      r.end_s = std::stod(row[4]);
      r.vcpus = static_cast<std::uint32_t>(std::stoul(row[5]));
      r.ram_mb = std::stoull(row[6]);
      ASSERT_TRUE(calendar.fits(static_cast<std::size_t>(host), r)) << "column " << column;
      calendar.reserve(static_cast<std::size_t>(host), r);
      ++accepted;
    }
    EXPECT_GT(accepted, 0u);
  }
  const AllocationRun b = run_allocation("b");
  EXPECT_EQ(a.metrics, b.metrics);
}
