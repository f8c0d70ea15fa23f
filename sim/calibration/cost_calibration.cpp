#include "sim/calibration/cost_calibration.h"

#include <chrono>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/crypto/hash.h"
#include "models/evm/hex.h"
#include "models/evm/precompiles.h"
#include "sim/calibration/evm_workloads.h"

namespace cbsim::sim::calibration {

namespace {

// Wall time per unit of `run_once`'s work (it returns the units it did).
double ns_per_unit(const std::function<double()>& run_once, double min_seconds) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  double units = 0.0, elapsed = 0.0;
  while (elapsed < min_seconds) {
    units += run_once();
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  return elapsed * 1e9 / units;
}

// The CPU's model name and clock from /proc/cpuinfo (the clock the kernel
// reports now; with frequency scaling it is an estimate).
std::pair<std::string, double> cpu_and_clock() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown";
  double mhz = 0.0;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    const std::string value = line.substr(line.find_first_not_of(" \t", colon + 1) == std::string::npos
                                              ? line.size()
                                              : line.find_first_not_of(" \t", colon + 1));
    if (key == "model name" && model == "unknown") model = value;
    if (key == "cpu MHz" && mhz == 0.0) mhz = std::stod(value);
  }
  return {model, mhz > 0.0 ? mhz * 1e6 : 2.0e9};
}

}  // namespace

nlohmann::json calibrate_costs(double seconds) {
  nlohmann::json ns;
  ns["gas_arithmetic"] = ns_per_unit([] { return static_cast<double>(arithmetic_workload()); }, seconds);
  ns["gas_keccak"] = ns_per_unit([] { return static_cast<double>(keccak_workload()); }, seconds);
  ns["gas_storage"] = ns_per_unit([] { return static_cast<double>(storage_workload()); }, seconds);
  ns["gas_token_transfers"] = ns_per_unit([] { return static_cast<double>(token_transfers_workload(200)); }, seconds);

  // A signature check: ecrecover of a valid signature (go-ethereum's ecRecover
  // "ValidKey" vector, tests/models/test_precompiles.cpp).
  const models::evm::Bytes ecrecover_input = models::evm::bytes_from_hex(
      "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
      "000000000000000000000000000000000000000000000000000000000000001c"
      "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
      "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
  std::array<std::uint8_t, 20> ecrecover_address{};
  ecrecover_address[19] = 1;
  if (models::evm::run_precompile(ecrecover_address, ecrecover_input, 3000).output.size() != 32)
    throw std::logic_error("calibration: the ecrecover vector did not recover");
  ns["signature_check"] = ns_per_unit(
      [&] {
        for (int i = 0; i < 100; ++i) models::evm::run_precompile(ecrecover_address, ecrecover_input, 3000);
        return 100.0;
      },
      seconds);
  const std::vector<std::uint8_t> megabyte(1 << 20, 0xab);
  ns["hashed_byte"] = ns_per_unit(
      [&] {
        (void)models::crypto::sha256(megabyte);
        return static_cast<double>(megabyte.size());
      },
      seconds);

  const auto [cpu, clock_hz] = cpu_and_clock();
  const auto cycles = [clock_hz = clock_hz](double nanoseconds) { return nanoseconds * clock_hz / 1e9; };
  nlohmann::json costs;
  // The contracts the scenarios run are token transfers and storage writes:
  // their gas, not compute-bound loops', sets the cycles per gas.
  costs["gas_cycles"] = cycles(ns["gas_token_transfers"].get<double>());
  costs["signature_verify_cycles"] = cycles(ns["signature_check"].get<double>());
  costs["hash_cycles_per_byte"] = cycles(ns["hashed_byte"].get<double>());
  // An HMAC over a short message hashes about four 64-byte blocks.
  costs["mac_cycles"] = cycles(256 * ns["hashed_byte"].get<double>());
  // Validating a transaction is dominated by its signature check.
  costs["tx_validation_cycles"] = cycles(ns["signature_check"].get<double>());
  return {{"machine", {{"cpu", cpu}, {"clock_hz", clock_hz}}}, {"measured_ns", ns}, {"costs", costs}};
}

}  // namespace cbsim::sim::calibration
