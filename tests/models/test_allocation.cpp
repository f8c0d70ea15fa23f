#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "models/allocation/clear_capacity.h"
#include "models/allocation/mechanisms.h"
#include "models/allocation/optimum.h"
#include "models/allocation/request.h"
#include "models/allocation/reservation_calendar.h"

using namespace cbsim::models::allocation;
using cbsim::models::random::Rng;

namespace {

AllocationRequest request(std::uint32_t id, double start, double end, std::uint32_t vcpus, double bid) {
  AllocationRequest r;
  r.id = id;
  r.arrival_s = start - 600.0;
  r.start_s = start;
  r.end_s = end;
  r.vcpus = vcpus;
  r.ram_mb = vcpus * 1024ull;
  r.bid = bid;
  return r;
}

// The welfare of an assignment (a host per request, -1 for none), or -1 when
// some host could not hold its requests at some moment.
double assignment_welfare(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                          const std::vector<int>& host_of) {
  ReservationCalendar calendar(hosts);
  double welfare = 0.0;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (host_of[r] < 0) continue;
    if (!calendar.fits(static_cast<std::size_t>(host_of[r]), requests[r])) return -1.0;
    calendar.reserve(static_cast<std::size_t>(host_of[r]), requests[r]);
    welfare += requests[r].bid;
  }
  return welfare;
}

// Every assignment of each request to a host or to nobody: (hosts + 1)^n.
double exhaustive_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts) {
  double best = 0.0;
  std::vector<int> assignment(requests.size(), -1);
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (i == requests.size()) {
      best = std::max(best, assignment_welfare(requests, hosts, assignment));
      return;
    }
    for (int h = -1; h < static_cast<int>(hosts.size()); ++h) {
      assignment[i] = h;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

}  // namespace

TEST(AllocationWorkload, PoissonArrivalsWithLeadTimeAndBidsPerVcpuHour) {
  WorkloadSpec spec;
  spec.requests_per_s = 1000.0 / 3600.0;
  spec.horizon_s = 24 * 3600.0;
  Rng rng(5, "allocation");
  const auto requests = generate_requests(spec, rng);
  // 24,000 expected; Poisson standard deviation sqrt(24000) = 155: within 4 of them.
  EXPECT_NEAR(static_cast<double>(requests.size()), 24000.0, 4 * 155.0);
  double duration = 0.0;
  for (const AllocationRequest& r : requests) {
    ASSERT_DOUBLE_EQ(r.start_s, r.arrival_s + 600.0);
    ASSERT_GT(r.end_s, r.start_s);
    const double per_vcpu_hour = r.bid / (r.vcpus * r.duration_s() / 3600.0);
    ASSERT_GE(per_vcpu_hour, 0.025 - 1e-12);
    ASSERT_LE(per_vcpu_hour, 0.075 + 1e-12);
    ASSERT_EQ(r.ram_mb, r.vcpus * 4096ull);
    duration += r.duration_s();
  }
  // Exponential durations of mean 3,600 s: the sample mean is within 4
  // standard errors (3600 / sqrt(n)).
  EXPECT_NEAR(duration / static_cast<double>(requests.size()), 3600.0,
              4 * 3600.0 / std::sqrt(static_cast<double>(requests.size())));
  EXPECT_THROW(generate_requests(WorkloadSpec{.tenants = 0}, rng), std::invalid_argument);
}

TEST(ReservationCalendar, APeakCountsOnlyWhatOverlapsAtOnce) {
  ReservationCalendar calendar({{8, 8192}});
  calendar.reserve(0, request(0, 0, 100, 4, 1));
  calendar.reserve(0, request(1, 100, 200, 4, 1));  // back to back: never together
  EXPECT_EQ(calendar.peak(0, 0, 200).vcpus, 4u);
  EXPECT_TRUE(calendar.fits(0, request(2, 50, 150, 4, 1)));
  calendar.reserve(0, request(2, 50, 150, 4, 1));
  EXPECT_EQ(calendar.peak(0, 0, 200).vcpus, 8u);
  EXPECT_FALSE(calendar.fits(0, request(3, 120, 130, 1, 1)));
  EXPECT_TRUE(calendar.fits(0, request(3, 150, 160, 4, 1)));
  EXPECT_THROW(calendar.reserve(0, request(4, 60, 70, 1, 1)), std::logic_error);
  EXPECT_DOUBLE_EQ(calendar.reserved_vcpu_seconds(0, 200), 4 * 100.0 * 3);
}

TEST(OnlineAllocator, HostChoicesFollowCloudSimPlus) {
  const std::vector<HostCapacity> hosts = {{8, 1 << 20}, {8, 1 << 20}};
  auto run = [&](HostChoice choice) {
    OnlineAllocator a(hosts, choice);
    std::vector<std::size_t> placed;
    for (std::uint32_t i = 0; i < 3; ++i) placed.push_back(a.decide(request(i, 1000, 2000, 2 + i, 1), 0, 0).host);
    return placed;
  };
  EXPECT_EQ(run(HostChoice::first_fit), (std::vector<std::size_t>{0, 0, 1}));   // 2+3 on host 0, 4 does not fit (9)
  EXPECT_EQ(run(HostChoice::best_fit), (std::vector<std::size_t>{0, 0, 1}));
  EXPECT_EQ(run(HostChoice::worst_fit), (std::vector<std::size_t>{0, 1, 0}));  // 3 to the emptier host 1, 4 to host 0
}

TEST(OnlineAllocator, TooLateWhenTheVmCannotBootBeforeTheWindow) {
  OnlineAllocator a({{8, 1 << 20}}, HostChoice::first_fit);
  const Decision late = a.decide(request(0, 100, 200, 1, 1), 50, 60);  // ready at 110 > 100
  EXPECT_FALSE(late.accepted);
  EXPECT_TRUE(late.too_late);
  EXPECT_TRUE(a.decide(request(1, 200, 300, 1, 1), 50, 60).accepted);
  EXPECT_THROW(a.decide(request(2, 300, 400, 1, 1), 10, 0), std::logic_error);  // back in time
}

// The auction serves the highest bid per vCPU-hour first: 1 vCPU at 3 beats
// 8 vCPUs at 10 on a host of 8.
TEST(OnlineAllocator, AnAuctionServesTheHighestBidDensityFirst) {
  OnlineAllocator a({{8, 1 << 20}}, HostChoice::first_fit);
  const auto d = a.clear_auction({request(0, 100, 200, 8, 10), request(1, 100, 200, 1, 3)}, 0, 0);
  EXPECT_FALSE(d[0].accepted);
  EXPECT_TRUE(d[1].accepted);
}

// CBC's optimum against every assignment of 7 random requests to the hosts
// or none (3^7 = 2,187 with two hosts, 4^7 = 16,384 with three), over 40
// random instances each; the LP bound is above it, and no online mechanism
// beats it. Identical hosts exercise the optimum's symmetry breaking.
void check_against_exhaustive_search(const std::vector<HostCapacity>& hosts, const char* stream) {
  Rng rng(11, stream);
  for (int instance = 0; instance < 40; ++instance) {
    std::vector<AllocationRequest> requests;
    for (std::uint32_t i = 0; i < 7; ++i) {
      const double start = std::floor(rng.uniform01() * 10) * 100;
      const std::uint32_t vcpus = 1u << rng.uniform_index(4);
      requests.push_back(request(i, start, start + 100 + std::floor(rng.uniform01() * 5) * 100, vcpus,
                                 std::round(rng.uniform01() * 100) + 1));
    }
    const OptimumResult o = solve_optimum(requests, hosts);
    ASSERT_TRUE(o.solved);
    const double exhaustive = exhaustive_optimum(requests, hosts);
    EXPECT_NEAR(o.welfare, exhaustive, 1e-9) << "instance " << instance;
    EXPECT_GE(o.lp_bound, o.welfare - 1e-9);
    // The solution is feasible and worth what it says.
    EXPECT_NEAR(assignment_welfare(requests, hosts, o.host_of), o.welfare, 1e-9);
    for (HostChoice choice : {HostChoice::first_fit, HostChoice::best_fit, HostChoice::worst_fit}) {
      OnlineAllocator a(hosts, choice);
      std::vector<AllocationRequest> by_arrival = requests;
      std::sort(by_arrival.begin(), by_arrival.end(),
                [](const auto& x, const auto& y) { return x.arrival_s < y.arrival_s; });
      double online = 0.0;
      for (const AllocationRequest& r : by_arrival)
        if (a.decide(r, r.arrival_s, 0).accepted) online += r.bid;
      EXPECT_LE(online, o.welfare + 1e-9);
    }
  }
}

TEST(AllocationOptimum, EqualsExhaustiveSearchOnSmallInstances) {
  check_against_exhaustive_search({{8, 32768}, {4, 16384}}, "optimum-test");
}

TEST(AllocationOptimum, EqualsExhaustiveSearchWithIdenticalHosts) {
  check_against_exhaustive_search({{4, 16384}, {4, 16384}, {4, 16384}}, "optimum-identical");
}

TEST(AllocationOptimum, BeyondTheSizeLimitOnlyTheBoundIsComputed) {
  const std::vector<HostCapacity> hosts = {{4, 1 << 20}};
  const std::vector<AllocationRequest> requests = {request(0, 0, 100, 4, 5), request(1, 0, 100, 4, 7)};
  const OptimumResult bound_only = solve_optimum(requests, hosts, 1);
  EXPECT_FALSE(bound_only.solved);
  EXPECT_NEAR(bound_only.bound, 7.0, 1e-9);
  EXPECT_NEAR(bound_only.lp_bound, 7.0, 1e-9);  // both conflict: the relaxation takes the better whole
  const OptimumResult exact = solve_optimum(requests, hosts);
  EXPECT_NEAR(exact.welfare, 7.0, 1e-9);
  EXPECT_EQ(exact.host_of, (std::vector<int>{-1, 0}));
}

// A node limit stops branch and bound early; what it returns still brackets
// the optimum: the best solution found <= the optimum <= the bound it reports.
TEST(AllocationOptimum, ANodeLimitBracketsTheOptimum) {
  WorkloadSpec spec;
  spec.requests_per_s = 60.0 / 3600.0;
  spec.horizon_s = 2 * 3600.0;
  Rng rng(4, "bracket");
  const auto requests = generate_requests(spec, rng);
  const std::vector<HostCapacity> hosts(3, HostCapacity{8, 65536});
  const OptimumResult exact = solve_optimum(requests, hosts);
  ASSERT_TRUE(exact.solved);
  const OptimumResult limited = solve_optimum(requests, hosts, 20000, 1);
  EXPECT_LE(limited.welfare, exact.welfare + 1e-9);
  EXPECT_GE(limited.bound, exact.welfare - 1e-9);
  EXPECT_LE(exact.welfare, exact.lp_bound + 1e-9);
  EXPECT_NEAR(assignment_welfare(requests, hosts, limited.host_of), limited.welfare, 1e-9);  // feasible
}

// Beyond max_nonzeros not even the LP is built; the capacity bound (a
// fractional knapsack into the hosts' total vCPU-seconds) still bounds every
// allocation from above, more loosely than the LP.
TEST(AllocationOptimum, TheCapacityBoundIsAboveTheLpBound) {
  // Closed form: 4 vCPUs over [0, 100) hold 400 vCPU-seconds; the densest
  // request (4 vCPUs x 100 s for 8) fills them, nothing is left for the other.
  const std::vector<HostCapacity> one = {{4, 1 << 20}};
  const std::vector<AllocationRequest> two = {request(0, 0, 100, 4, 5), request(1, 0, 100, 4, 8)};
  EXPECT_NEAR(capacity_bound(two, one), 8.0, 1e-12);
  const OptimumResult skipped = solve_optimum(two, one, 20000, 100000, /*max_nonzeros=*/1);
  EXPECT_EQ(skipped.bound_kind, BoundKind::capacity);
  EXPECT_FALSE(skipped.solved);
  EXPECT_NEAR(skipped.bound, 8.0, 1e-12);

  WorkloadSpec spec;
  spec.requests_per_s = 100.0 / 3600.0;
  spec.horizon_s = 3600.0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Rng rng(seed, "capacity-bound");
    const auto requests = generate_requests(spec, rng);
    const std::vector<HostCapacity> hosts(3, HostCapacity{8, 1 << 20});
    const OptimumResult lp = solve_optimum(requests, hosts, 0);
    EXPECT_EQ(lp.bound_kind, BoundKind::lp);
    EXPECT_GE(capacity_bound(requests, hosts), lp.lp_bound - 1e-9) << "seed " << seed;
  }
}

// The bids one clear can serve, from the clears a run saw: a quadratic gas
// curve is read exactly; a clear that ran out of gas caps the answer; with no
// clear through, only "fewer than the fewest that failed" is known.
TEST(ClearCapacity, ReadsAQuadraticGasCurveAndRespectsFailures) {
  const auto gas = [](double n) { return 50'000 + 100'000 * n + 1'000 * n * n; };
  std::vector<ClearSample> clears;
  for (double n : {5.0, 10.0, 20.0, 40.0}) clears.push_back({n, gas(n)});
  // gas(n) <= 30 M: n^2 + 100 n + 50 <= 30,000, n <= 130.1.
  const ClearCapacity c = clear_capacity(clears, {}, 30e6);
  EXPECT_TRUE(c.fitted);
  EXPECT_DOUBLE_EQ(c.bids, 130.0);
  // (The mean gas per bid of these clears, 131,000, would claim 229.) A failed clear of 120 caps it.
  EXPECT_EQ(clear_capacity(clears, {120.0}, 30e6).bids, 119.0);
  const ClearCapacity unknown = clear_capacity({}, {90.0, 70.0}, 30e6);
  EXPECT_TRUE(unknown.upper_bound);
  EXPECT_EQ(unknown.bids, 69.0);
  // Two sizes: a line (here through 0: 100,000 gas a bid); never beyond the contract's cap.
  EXPECT_NEAR(clear_capacity({{10, 1e6}, {20, 2e6}}, {}, 30e6).bids, 300.0, 1e-6);
  EXPECT_EQ(clear_capacity({{10, 1e6}, {20, 2e6}}, {}, 30e6, 200).bids, 200.0);
  // A concave fit (noise) falls back to a line: 1 M + 50,000 a bid.
  const ClearCapacity line = clear_capacity({{10, 1.5e6}, {20, 2.1e6}, {30, 2.4e6}}, {}, 30e6);
  EXPECT_TRUE(line.fitted);
  EXPECT_GT(line.bids, 300.0);
}

TEST(ClearCapacity, PoissonMeanWithinACapacity) {
  // P(Poisson(mu) > 0) = 1 - e^-mu <= 0.01: mu = -ln 0.99.
  EXPECT_NEAR(poisson_mean_within(0, 0.01), -std::log(0.99), 1e-9);
  // Far below the capacity for a rare overflow; near it for a frequent one.
  EXPECT_LT(poisson_mean_within(100, 0.01), 80.0);
  EXPECT_GT(poisson_mean_within(100, 0.01), 70.0);
  EXPECT_NEAR(poisson_mean_within(100, 0.5), 100.7, 0.5);
}
