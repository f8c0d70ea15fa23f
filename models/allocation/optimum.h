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

struct OptimumResult {
  bool solved = false;         // the integer program was solved to optimality
  double welfare = 0.0;        // the optimum when solved; else the best solution found (0: none searched)
  double bound = 0.0;          // >= the optimum: the optimum when solved, else branch and bound's best bound
  double lp_bound = 0.0;       // the LP relaxation's value: >= any feasible welfare
  std::vector<int> host_of;    // per request: its host, or -1 (for `welfare`'s solution)
};

// max_nodes bounds the branch-and-bound tree (a count, so the answer is the
// same on every machine); when it is reached, `welfare` and `bound` bracket
// the optimum.
OptimumResult solve_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                            std::size_t max_binaries = 20000, int max_nodes = 100000);

}  // namespace cbsim::models::allocation
