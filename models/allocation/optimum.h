#pragma once
// The offline optimum of an allocation: knowing every request in advance,
// which to accept and where, to maximise welfare (the sum of the accepted
// bids) within every host's vCPUs and memory at every moment. An integer
// program solved with CBC's branch and cut (COIN-OR):
//   max  sum_r sum_h bid_r x_rh
//   s.t. sum_h x_rh <= 1                                          for each request r
//        sum_{r active at t} vcpus_r x_rh <= vcpus_h  (and ram)   for each host h, each window start t
//        x_rh in {0, 1}
// (a host's load over time only rises where a window starts, so those
// moments suffice). Its LP relaxation bounds the optimum from above; beyond
// max_binaries variables only that bound is computed. One thread and no time
// limit: a limit on the wall clock would make the result depend on the machine.

#include <cstddef>
#include <vector>

#include "models/allocation/reservation_calendar.h"
#include "models/allocation/request.h"

namespace cbsim::models::allocation {

// What OptimumResult::bound is.
enum class BoundKind {
  optimum,   // the integer program's optimum
  search,    // branch and bound's best bound when its node limit was reached
  lp,        // the LP relaxation (the integer program was too large to search)
  capacity,  // even the LP was too large: the fractional knapsack of capacity_bound()
};

struct OptimumResult {
  bool solved = false;         // the integer program was solved to optimality
  BoundKind bound_kind = BoundKind::optimum;
  double welfare = 0.0;        // the optimum when solved; else the best solution found (0: none searched)
  double bound = 0.0;          // >= the optimum: the optimum when solved, else branch and bound's best bound
  double lp_bound = 0.0;       // the LP relaxation's value (or capacity_bound()): >= any feasible welfare
  std::vector<int> host_of;    // per request: its host, or -1 (for `welfare`'s solution)
};

// max_nodes bounds the branch-and-bound tree (a count, so the answer is the
// same on every machine); when it is reached, `welfare` and `bound` bracket
// the optimum. Beyond max_nonzeros in the constraint matrix not even the LP
// is built (a day of 1,000 requests an hour on 40 hosts would need about
// 10^9), and the bound is capacity_bound().
OptimumResult solve_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                            std::size_t max_binaries = 20000, int max_nodes = 100000, double max_nonzeros = 2e7);

// An upper bound of any allocation's welfare that ignores when and where
// capacity is: the bids as a fractional knapsack into the hosts' total
// vCPU-seconds from the first window's start to the last one's end, densest
// (bid per vCPU-second) first.
double capacity_bound(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts);

}  // namespace cbsim::models::allocation
