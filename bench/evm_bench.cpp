// The interpreter's speed in Mgas/s on fixed workloads (make bench), from
// sim/calibration/evm_workloads.h:
//   arithmetic  a loop of MUL, ADD, DIV, EXP, MULMOD on stack values
//   keccak      a loop hashing 64 bytes of memory, each result fed back
//   storage     a loop rewriting and reading sixteen storage slots
//   erc20       transfers of the compiled Token (scenarios/contracts/) as transactions
// Each workload runs for at least a second of wall time; the output is one
// JSON object per line and the geometric mean of the three compute workloads,
// compared by the README with evmone's published baseline interpreter (784
// Mgas/s, 4.4 GHz desktop). The ERC-20 transfers are reported apart: 41,000 of
// a first transfer's 51,120 gas are the intrinsic 21,000 and a 20,000-gas
// first storage write, priced for disk, which in memory cost next to nothing,
// so their Mgas/s says more about the gas schedule than about the interpreter
// (each run also deploys the token, inside the time measured).

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/calibration/evm_workloads.h"

namespace cal = cbsim::sim::calibration;

namespace {

// Runs `run_once` until at least `min_seconds` of wall time have passed; returns Mgas/s.
double measure(const std::string& name, const std::function<std::int64_t()>& run_once, double min_seconds = 1.0) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::int64_t gas = 0;
  int runs = 0;
  double elapsed = 0.0;
  while (elapsed < min_seconds) {
    gas += run_once();
    ++runs;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  const double mgas_per_s = static_cast<double>(gas) / elapsed / 1e6;
  std::printf("%s\n", nlohmann::json({{"workload", name}, {"runs", runs}, {"gas", gas}, {"seconds", elapsed},
                                      {"mgas_per_s", mgas_per_s}})
                          .dump()
                          .c_str());
  return mgas_per_s;
}

}  // namespace

int main() {
  std::vector<double> rates;
  rates.push_back(measure("arithmetic", cal::arithmetic_workload));
  rates.push_back(measure("keccak", cal::keccak_workload));
  rates.push_back(measure("storage", cal::storage_workload));
  constexpr int kTransfers = 1000;
  const double erc20 = measure("erc20", [] { return cal::token_transfers_workload(kTransfers); });
  // 51,120 gas per transfer to a new holder (tests/models/test_contracts.cpp).
  std::printf("%s\n", nlohmann::json({{"workload", "erc20"}, {"transfers_per_s", erc20 * 1e6 / 51120.0}}).dump().c_str());
  double log_sum = 0.0;
  for (const double r : rates) log_sum += std::log(r);
  std::printf("%s\n", nlohmann::json({{"workload", "geometric_mean_compute"},
                                      {"mgas_per_s", std::exp(log_sum / static_cast<double>(rates.size()))}})
                          .dump()
                          .c_str());
  return 0;
}
