#pragma once
// How many bids the contract auction's clear(epoch) can serve in one
// transaction, and the request rate that keeps epochs within it.
//
// A clear's gas grows faster than its bids (the contract sorts them by
// insertion, comparing bids held in storage: O(n^2) reads; fuller hosts
// take longer to scan), so the gas per bid of light clears extrapolates too
// far. The capacity is read from a quadratic gas(n) = a + b n + c n^2 fitted
// to the clears a run observed, and kept below the fewest bids of a clear
// that ran out of gas.

#include <vector>

namespace cbsim::models::allocation {

struct ClearSample {
  double bids = 0.0;  // bids the clear served
  double gas = 0.0;
};

struct ClearCapacity {
  double bids = 0.0;        // the most bids a clear serves within the gas limit
  bool upper_bound = false;  // no clear went through: only "fewer than the fewest that failed" is known
  bool fitted = false;       // from a fitted gas curve (else from the mean gas per bid)
};

// `served`: the clears that went through; `failed_bids`: bids of the clears
// that ran out of gas; never more than `max_bids` (the contract's own cap).
// Nothing known (both empty): bids = 0, upper_bound. Fitted: quadratic from
// three clear sizes up (linear if its curvature comes out negative), linear
// from two; else the mean gas per bid.
ClearCapacity clear_capacity(const std::vector<ClearSample>& served, const std::vector<double>& failed_bids,
                             double gas_limit, double max_bids = 1e9);

// The largest mean of a Poisson count (an epoch's bids at a steady request
// rate) that exceeds `capacity` with probability at most `overflow`.
double poisson_mean_within(double capacity, double overflow);

}  // namespace cbsim::models::allocation
