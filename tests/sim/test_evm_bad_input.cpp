// `cbsim evm` on bad input (issue 15): every malformed state test ends with
// exit status 2 and one line naming the file, the JSON path and the reason
// (never "internal error", a raw nlohmann exception text or a hang); a run
// reports what it skipped, refuses to run no case at all, and goes on past a
// malformed file; `evm run` refuses gas its counter cannot hold and says why
// execution failed. A transaction beyond the runner's budget of work or
// memory (gas of 2^63 - 1 bounds neither) ends promptly as "not run", exit 2.

#include <gtest/gtest.h>

#include <functional>

#include "tests/sim/cbsim_process.h"

using namespace cbsim::test;
using nlohmann::json;

namespace {

json add11() {
  return read_json(std::string(CBSIM_SOURCE_DIR) + "/tests/vectors/ethereum/GeneralStateTests/stExample/add11.json");
}

// `test` written to a fresh folder as add11.json; the folder is removed with the object.
struct StateTestFolder {
  std::filesystem::path dir;
  explicit StateTestFolder(const std::string& name) : dir(scratch_dir(name)) {}
  ~StateTestFolder() { std::filesystem::remove_all(dir); }
  std::string write(const std::string& file, const std::string& text) const {
    std::ofstream(dir / file) << text;
    return (dir / file).string();
  }
};

struct Malformation {
  const char* what;
  std::function<void(json&)> change;
  const char* message;  // after "add11.json: "
};

TEST(EvmStateTestBadInput, EachMalformedFieldIsExitTwoWithItsPathAndReason) {
  const Malformation cases[] = {
      {"bad hex in the coinbase", [](json& t) { t["add11"]["env"]["currentCoinbase"] = "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9zz"; },
       "add11.env.currentCoinbase: not hex (not a hex digit: 'z')"},
      {"no env", [](json& t) { t["add11"].erase("env"); }, "add11: missing member \"env\""},
      {"a number for a hex quantity", [](json& t) { t["add11"]["env"]["currentNumber"] = 1; },
       "add11.env.currentNumber: expected a string, got a number (1)"},
      {"no indexes", [](json& t) { t["add11"]["post"]["Cancun"][0].erase("indexes"); },
       "add11.post.Cancun[0]: missing member \"indexes\""},
      {"a negative index", [](json& t) { t["add11"]["post"]["Cancun"][0]["indexes"]["data"] = -1; },
       "add11.post.Cancun[0].indexes.data: expected a whole number >= 0, got a number (-1)"},
      {"an index past the template", [](json& t) { t["add11"]["post"]["Cancun"][0]["indexes"]["gas"] = 7; },
       "add11.transaction.gasLimit: index 7 past the end of its 1 elements"},
      {"post not an object", [](json& t) { t["add11"]["post"] = json::array(); },
       "add11.post: expected an object, got an array"},
      {"a fork's cases not an array", [](json& t) { t["add11"]["post"]["Cancun"] = "none"; },
       "add11.post.Cancun: expected an array, got a string (\"none\")"},
      {"a short address", [](json& t) { t["add11"]["pre"]["0x1234"] = t["add11"]["pre"].begin().value(); },
       "add11.pre.0x1234: expected 20 bytes of hex, got 2: \"0x1234\""},
      {"a storage value that is no quantity",
       [](json& t) { t["add11"]["pre"].begin().value()["storage"]["0x01"] = "12"; },
       "storage.0x01: expected a 0x-prefixed hex quantity, got \"12\""},
      {"a balance beyond 256 bits",
       [](json& t) { t["add11"]["pre"].begin().value()["balance"] = "0x1" + std::string(64, '0'); },
       ".balance: beyond 256 bits"},
      {"a gas limit beyond 64 bits", [](json& t) { t["add11"]["env"]["currentGasLimit"] = "0x1" + std::string(16, '0'); },
       "add11.env.currentGasLimit: beyond 64 bits"},
      {"no transaction", [](json& t) { t["add11"].erase("transaction"); }, "add11: missing member \"transaction\""},
      {"a file of an array", [](json& t) { t = json::array({1}); }, "expected an object, got an array"},
      {"a test of a string", [](json& t) { t["add11"] = "x"; }, "add11: expected an object, got a string (\"x\")"},
  };
  const StateTestFolder folder("statetest-malformed");
  for (const Malformation& m : cases) {
    json test = add11();
    m.change(test);
    const std::string file = folder.write("add11.json", test.dump());
    const ProcessResult r = run_cbsim({"evm", "statetest", file});
    EXPECT_EQ(r.exit_code, 2) << m.what << "\n" << r.err;
    EXPECT_NE(r.err.find("add11.json: "), std::string::npos) << m.what << "\n" << r.err;
    EXPECT_NE(r.err.find(m.message), std::string::npos) << m.what << "\n" << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << m.what;
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << m.what;
    EXPECT_NE(r.out.find("0 passed, 1 failed (1 malformed file)"), std::string::npos) << m.what << "\n" << r.out;
  }
}

TEST(EvmStateTestBadInput, InvalidJsonIsReportedWithoutTheParsersTag) {
  const StateTestFolder folder("statetest-invalid-json");
  for (const std::string& text : {std::string("{"), std::string("{\"a\": 1e400}"), "[" + std::string(100'000, '9')}) {
    const ProcessResult r = run_cbsim({"evm", "statetest", folder.write("broken.json", text)});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("broken.json: invalid JSON: "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
    EXPECT_LT(r.err.size(), 400u) << "echoed input is abbreviated";
  }
}

TEST(EvmStateTestBadInput, EchoedInputIsAbbreviated) {
  json test = add11();
  test["add11"]["env"]["currentCoinbase"] = "0x" + std::string(100'000, 'z');
  const StateTestFolder folder("statetest-long");
  const ProcessResult r = run_cbsim({"evm", "statetest", folder.write("add11.json", test.dump())});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("(100002 characters)"), std::string::npos) << r.err.substr(0, 400);
  EXPECT_LT(r.err.size(), 400u);
}

TEST(EvmStateTestBadInput, AnExcessBlobGasOfTwoToTheSixtyFourEndsPromptly) {
  // The blob base fee's series wrapped around in 128 bits and never ended.
  json test = add11();
  test["add11"]["env"]["currentExcessBlobGas"] = "0xffffffffffffffff";
  const StateTestFolder folder("statetest-blob-fee");
  const ProcessResult r = run_cbsim({"evm", "statetest", folder.write("add11.json", test.dump())});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("add11.json: add11.env.currentExcessBlobGas: the blob base fee it implies (EIP-4844's "
                       "fake_exponential) exceeds 2^256 - 1"),
            std::string::npos)
      << r.err;
}

TEST(EvmStateTestBadInput, AFileWithOnlyUnsupportedForksRunsNothingAndSaysSo) {
  json test = add11();
  test["add11"]["post"]["Prague"] = test["add11"]["post"]["Cancun"];
  test["add11"]["post"].erase("Cancun");
  const StateTestFolder folder("statetest-prague");
  const ProcessResult r = run_cbsim({"evm", "statetest", folder.write("add11.json", test.dump())});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("skipped 1 case of unsupported fork Prague (this EVM implements Shanghai and Cancun)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 passed, 0 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("no case for a fork this EVM implements"), std::string::npos) << r.err;
}

TEST(EvmStateTestBadInput, UnsupportedForksNextToCancunAreSkippedAndReported) {
  json test = add11();
  test["add11"]["post"]["Prague"] = test["add11"]["post"]["Cancun"];
  const StateTestFolder folder("statetest-cancun-prague");
  const ProcessResult r = run_cbsim({"evm", "statetest", folder.write("add11.json", test.dump())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("skipped 1 case of unsupported fork Prague"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 0 failed\n"), std::string::npos) << r.out;
}

TEST(EvmStateTestBadInput, AnEmptyDirectoryOrAFileWithNoTestIsAnError) {
  const StateTestFolder folder("statetest-empty");
  const ProcessResult empty = run_cbsim({"evm", "statetest", folder.dir.string()});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no state test files (*.json) in "), std::string::npos) << empty.err;
  const ProcessResult no_test = run_cbsim({"evm", "statetest", folder.write("none.json", "{}")});
  EXPECT_EQ(no_test.exit_code, 2);
  EXPECT_NE(no_test.err.find("the files hold no state test case"), std::string::npos) << no_test.err;
}

TEST(EvmStateTestBadInput, AMalformedFileInADirectoryIsAFailureAndTheOthersStillRun) {
  const StateTestFolder folder("statetest-mixed");
  json broken = add11();
  broken["add11"].erase("env");
  folder.write("a_broken.json", broken.dump());
  folder.write("b_add11.json", add11().dump());
  const ProcessResult r = run_cbsim({"evm", "statetest", folder.dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("FAIL " + (folder.dir / "a_broken.json").string() + ": add11: missing member \"env\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("PASS " + (folder.dir / "b_add11.json").string()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 passed, 1 failed (1 malformed file)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("a_broken.json: add11: missing member \"env\""), std::string::npos) << r.err;
}

// add11 with `code` at the called account and the most gas a transaction may have.
json add11_with_most_gas(const std::string& code) {
  json test = add11();
  json& t = test["add11"];
  t["pre"]["0x095e7baea6a6c7c4c2dfeb977efac326af552d87"]["code"] = code;
  t["pre"]["0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"]["balance"] = "0x" + std::string(60, 'f');
  t["env"]["currentGasLimit"] = "0x7fffffffffffffff";
  t["transaction"]["gasLimit"] = json::array({"0x7fffffffffffffff"});
  return test;
}

TEST(EvmStateTestBudget, AnEndlessLoopWithTheMostGasIsNotRunAndExitsTwo) {
  // JUMPDEST, PUSH0, JUMP: ran for years.
  const StateTestFolder folder("statetest-endless");
  const std::string file = folder.write("add11.json", add11_with_most_gas("0x5b5f56").dump());
  const ProcessResult r = run_cbsim({"evm", "statetest", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.out.find("NOT RUN " + file + " add11 Cancun d0 g0 v0: not run: exceeds the runner's budget (more than "
                       "10000000000 gas of work)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 passed, 0 failed, 1 not run (beyond the runner's budget)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 case not run, the first: " + file + " add11 Cancun: exceeds the runner's budget"),
            std::string::npos)
      << r.err;
}

TEST(EvmStateTestBudget, NestedCallsEachExpandingMemoryStopAtTheMemoryBudget) {
  // PUSH3 2^22, MLOAD, POP (4 MiB), STATICCALL itself with all its gas, STOP:
  // 1,024 frames of 4 MiB with the most gas, 4 GiB.
  const StateTestFolder folder("statetest-nested-memory");
  const std::string file = folder.write("add11.json", add11_with_most_gas("0x6240000051505f5f5f5f305afa00").dump());
  const ProcessResult r = run_cbsim({"evm", "statetest", file});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.out.find("not run: exceeds the runner's budget (more than 512 MiB of memory)"), std::string::npos)
      << r.out;
}

TEST(EvmRunBudget, CodeBeyondTheBudgetIsAbortedInTheJsonAndExitsTwo) {
  // JUMPDEST, PUSH0, PUSH0, TSTORE, PUSH0, JUMP: a journal entry per 115 gas,
  // 5 * 10^9 gas of it took 20 GB.
  const ProcessResult r = run_cbsim({"evm", "run", "--code", "5b5f5f5d5f56"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["status"], "aborted");
  EXPECT_EQ(j["error"], "exceeds the runner's budget (more than 512 MiB of memory)");
  EXPECT_FALSE(j.contains("gas_used"));
  EXPECT_NE(r.err.find("--code: not run: exceeds the runner's budget"), std::string::npos) << r.err;
  // The simplest loop with the most gas --gas takes runs out of gas first.
  const json loop = json::parse(run_cbsim({"evm", "run", "--code", "5b5f56"}).out);
  EXPECT_EQ(loop["error"], "out of gas");
}

TEST(EvmRunBadInput, GasBeyondTheCapOrNegativeIsRefused) {
  for (const char* gas : {"9223372036854775808", "18446744073709551615", "18446744073709551616", "5000000001", "-1",
                          "1e9", "abc"}) {
    const ProcessResult r = run_cbsim({"evm", "run", "--code", "00", "--gas", gas});
    EXPECT_EQ(r.exit_code, 2) << gas << ": " << r.out;
    EXPECT_NE(r.err.find("--gas"), std::string::npos) << gas << ": " << r.err;
    EXPECT_NE(r.err.find("must be a whole number from 0 to 5000000000"), std::string::npos) << gas << ": " << r.err;
  }
  const json at_cap = json::parse(run_cbsim({"evm", "run", "--code", "00", "--gas", "5000000000"}).out);
  EXPECT_EQ(at_cap["status"], "success");
  EXPECT_EQ(at_cap["gas_used"], 0);
  const json none = json::parse(run_cbsim({"evm", "run", "--code", "00", "--gas", "0"}).out);
  EXPECT_EQ(none["status"], "success");
}

TEST(EvmRunBadInput, TheJsonSaysWhyExecutionFailed) {
  const auto error_of = [](const std::string& code, const std::string& gas) {
    const json j = json::parse(run_cbsim({"evm", "run", "--code", code, "--gas", gas}).out);
    return j.value("error", std::string("(none)"));
  };
  EXPECT_EQ(error_of("6001600055", "100"), "out of gas");  // SSTORE of a fresh slot
  EXPECT_EQ(error_of("fe", "100"), "invalid opcode");
  EXPECT_EQ(error_of("01", "100"), "stack underflow");
  EXPECT_EQ(error_of("600356", "100"), "invalid jump destination");
  EXPECT_EQ(error_of("60006000fd", "100"), "execution reverted");
  EXPECT_EQ(error_of("00", "100"), "(none)");
}

}  // namespace
