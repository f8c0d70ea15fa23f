// `cbsim evm statetest` passes every case of Ethereum's VMTests and stExample
// state tests (copied under tests/vectors/ethereum), prints one line per case
// and a summary, and fails on a wrong expectation; `cbsim evm run` executes
// bytecode and prints JSON; bad input exits with status 2.

#include <gtest/gtest.h>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;

namespace {

std::string vectors(const std::string& sub) {
  return std::string(CBSIM_SOURCE_DIR) + "/tests/vectors/ethereum/GeneralStateTests/" + sub;
}

}  // namespace

TEST(EvmStateTests, EveryVmTestAndExamplePassesForCancun) {
  const ProcessResult r = run_cbsim({"evm", "statetest", vectors("")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto summary = r.out.rfind(" passed, ");
  ASSERT_NE(summary, std::string::npos);
  const std::string tail = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_NE(tail.find(" passed, 0 failed"), std::string::npos) << tail;
  const int passed = std::stoi(tail);
  // One line per case before the summary.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), passed + 1);
  EXPECT_GT(passed, 600);
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos);
}

TEST(EvmStateTests, AWrongExpectationFailsWithTheRootsNamed) {
  const auto dir = scratch_dir("statetest-wrong");
  std::string text = read_text(vectors("stExample/add11.json"));
  const std::string right = "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530";
  const auto at = text.find(right);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, right.size(), "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa531");
  std::ofstream(dir / "add11.json") << text;
  const ProcessResult r = run_cbsim({"evm", "statetest", (dir / "add11.json").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
  EXPECT_NE(r.out.find("state root " + right), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0 passed, 1 failed"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(EvmRun, ExecutesBytecodeAndPrintsStatusOutputAndGas) {
  const ProcessResult r = run_cbsim({"evm", "run", "--code", "0x600160020160005260206000f3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "success");
  EXPECT_EQ(j["output"], "0x0000000000000000000000000000000000000000000000000000000000000003");
  EXPECT_EQ(j["gas_used"], 24);
  const nlohmann::json reverted = nlohmann::json::parse(run_cbsim({"evm", "run", "--code", "60006000fd"}).out);
  EXPECT_EQ(reverted["status"], "revert");
}

TEST(EvmRun, BadHexAndMissingFilesAreBadInput) {
  const ProcessResult bad = run_cbsim({"evm", "run", "--code", "0x60zz"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--code"), std::string::npos);
  EXPECT_EQ(run_cbsim({"evm", "statetest", "/nonexistent/cbsim/test.json"}).exit_code, 2);
}
