// Contract calls inside a Nakamoto chain: the compiled SimpleStorage and Token
// run in the EVM for every block, within the block gas limit, and their gas
// costs the validating nodes CPU time.

#include <gtest/gtest.h>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

json run_contracts(const std::string& scenario, const std::string& label, const std::vector<std::string>& overrides) {
  const auto dir = scratch_dir("contracts-" + label);
  std::vector<std::string> args = {"run", scenario_path(scenario), "--out", dir.string(), "--quiet"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const ProcessResult r = run_cbsim(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json m = read_json(dir / "metrics.json");
  std::filesystem::remove_all(dir);
  return m;
}

}  // namespace

TEST(ContractsInTheChain, SimpleStorageCallsRunInEveryBlockAndTheStateIsReproducible) {
  // The deployment is a transaction of the first block; then the calls.
  const json m = run_contracts("simple-storage.json", "ss", {});
  const json& c = m["contracts"];
  EXPECT_EQ(c["deployed_at_height"].get<int>(), 1);
  EXPECT_GT(c["calls"].get<int>(), 1000);
  EXPECT_EQ(c["failed"].get<int>(), 0);
  EXPECT_LE(c["calls"].get<int>(), c["submitted"].get<int>());
  EXPECT_EQ(c["state_root"].get<std::string>().size(), 66u);
  // set(uint256) costs 21,000 + call data + a storage write: between 26,000 and 50,000 gas.
  const double per_call = c["gas_used"].get<double>() / c["calls"].get<double>();
  EXPECT_GT(per_call, 26000);
  EXPECT_LT(per_call, 50000);
  const json again = run_contracts("simple-storage.json", "ss-again", {});
  EXPECT_EQ(again["contracts"]["state_root"], c["state_root"]);
  const json other = run_contracts("simple-storage.json", "ss-seed", {"seed=99"});
  EXPECT_NE(other["contracts"]["state_root"], c["state_root"]);
}

TEST(ContractsInTheChain, TheBlockGasLimitBoundsTheTransfersPerBlock) {
  // 100 transfers/s offered, 15 M gas per 12 s block: at least 34,020 gas a
  // transfer, so at most 440 per block, about 37 per second.
  const json m = run_contracts("token-transfers.json", "tt", {"contracts.calls_per_s=100", "duration.blocks=30"});
  const json& c = m["contracts"];
  const double blocks = m["blocks"]["main_chain"].get<double>();
  EXPECT_LE(c["calls"].get<double>() / blocks, 15'000'000.0 / 34'020.0);
  EXPECT_GT(c["block_gas_utilization"].get<double>(), 0.95);
  EXPECT_LT(c["calls"].get<double>(), c["submitted"].get<double>());  // the rest wait
  EXPECT_EQ(c["failed"].get<int>(), 0);
}

TEST(ContractsInTheChain, GasCostsTheValidatingNodesCpuTime) {
  const json free = run_contracts("token-transfers.json", "gas0", {"costs.gas_cycles=0", "duration.blocks=20"});
  EXPECT_EQ(free["contracts"]["execution_share"].get<double>(), 0.0);
  const json slow = run_contracts("token-transfers.json", "gas1000", {"costs.gas_cycles=1000", "duration.blocks=20"});
  // At 1,000 cycles per gas a block of ~10 M gas takes ~5 s to validate at
  // 2 GHz: execution dominates validation, and blocks reach nodes later.
  EXPECT_GT(slow["contracts"]["execution_share"].get<double>(), 0.99);
  EXPECT_GT(slow["propagation_s"]["p50"].get<double>(), free["propagation_s"]["p50"].get<double>() + 1.0);
}

TEST(Calibrate, WritesACostProfileThatAScenarioCanUse) {
  const auto dir = scratch_dir("calibrate");
  const ProcessResult r = run_cbsim({"calibrate", "--seconds", "0.05", "--out", (dir / "profile.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json p = read_json(dir / "profile.json");
  for (const char* key : {"gas_cycles", "signature_verify_cycles", "hash_cycles_per_byte", "mac_cycles",
                          "tx_validation_cycles"})
    EXPECT_GT(p["costs"][key].get<double>(), 0.0) << key;
  EXPECT_GT(p["machine"]["clock_hz"].get<double>(), 1e8);
  // A signature check takes longer than hashing a byte, on any machine.
  EXPECT_GT(p["measured_ns"]["signature_check"].get<double>(), 100 * p["measured_ns"]["hashed_byte"].get<double>());
  // A scenario naming the profile runs with its costs.
  std::ofstream(dir / "s.json") << R"({"costs": {"profile": "profile.json"}, "nodes": {"count": 20},
                                       "duration": {"blocks": 3}, "network": {"model": "latency"}})";
  const ProcessResult run = run_cbsim({"run", (dir / "s.json").string(), "--out", (dir / "out").string(), "--quiet"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const json resolved = read_json(dir / "out" / "scenario.resolved.json");
  EXPECT_EQ(resolved["costs"]["signature_verify_cycles"], p["costs"]["signature_verify_cycles"]);
  std::filesystem::remove_all(dir);
}
