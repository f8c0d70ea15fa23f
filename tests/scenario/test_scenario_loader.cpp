#include "sim/scenario/scenario_loader.h"

#include "sim/scenario/field_table.h"
#include "sim/scenario/user_text.h"
#include "sim/scenario/value_checks.h"
#include "tests/timing_budget.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

std::string write_temp_file(const std::string& file_name, const std::string& text) {
  const std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "cbsim_scenario_tests";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / file_name).string();
  std::ofstream(path) << text;
  return path;
}

json::json_pointer pointer_to(const std::string& path) {
  std::string pointer = "/" + path;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return json::json_pointer(pointer);
}

TEST(ScenarioDefaults, EmptyObjectGivesTheDefaultsOfScenarioH) {
  const Scenario s = load_scenario_text("{}", "empty");
  const Scenario defaults;
  EXPECT_EQ(s.name, "empty");
  EXPECT_EQ(s.seed, defaults.seed);
  EXPECT_EQ(s.network.model, "tcp");
  EXPECT_EQ(s.nodes.count, defaults.nodes.count);
  EXPECT_EQ(s.consensus.block_size_bytes, 535000);
  EXPECT_DOUBLE_EQ(s.consensus.block_interval_s, 600.0);
  EXPECT_TRUE(s.network.region_shares.empty());
  EXPECT_EQ(s.source, "");
}

TEST(ScenarioDefaults, ResolvedHoldsEveryFieldWithItsDefault) {
  const Scenario s = load_scenario_text("{}", "empty");
  for (const auto& field : field_table()) {
    SCOPED_TRACE(field.path);
    ASSERT_TRUE(s.resolved.contains(pointer_to(field.path)));
    if (field.rules.default_note.empty()) {
      EXPECT_EQ(s.resolved[pointer_to(field.path)], field.default_value());
    }
  }
  EXPECT_EQ(s.resolved["name"], "empty");
}

TEST(ScenarioDefaults, EveryDefaultPassesItsOwnChecks) {
  for (const auto& field : field_table()) {
    SCOPED_TRACE(field.path);
    json value = field.default_value();
    if (field.path == "name") value = "quickstart";  // computed at load time
    const auto problem = check_field_value(field, value);
    EXPECT_FALSE(problem.has_value()) << problem->reason;
  }
}

TEST(ScenarioFile, NameDefaultsToTheFileStemAndSourceToThePath) {
  const std::string path = write_temp_file("my-experiment.json", R"({"nodes": {"count": 10}})");
  const Scenario s = load_scenario_file(path);
  EXPECT_EQ(s.name, "my-experiment");
  EXPECT_EQ(s.source, path);
  EXPECT_EQ(s.nodes.count, 10);
}

TEST(ScenarioFile, ExplicitNameWins) {
  const Scenario s = load_scenario_text(R"({"name": "kvm-10k"})", "scenarios/other.json");
  EXPECT_EQ(s.name, "kvm-10k");
}

TEST(ScenarioOverrides, SetTypedValues) {
  const Scenario s = load_scenario_text("{}", "t",
                                        {"seed=7", "nodes.count=1000", "duration.blocks=5",
                                         "consensus.block_interval_s=2.5", "consensus.block_size_bytes=1000000",
                                         "network.model=latency"});
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.nodes.count, 1000);
  EXPECT_EQ(s.duration.blocks, 5);
  EXPECT_DOUBLE_EQ(s.consensus.block_interval_s, 2.5);
  EXPECT_EQ(s.consensus.block_size_bytes, 1000000);
  EXPECT_EQ(s.network.model, "latency");
  EXPECT_TRUE(s.resolved["seed"].is_number_integer());
  EXPECT_TRUE(s.resolved["consensus"]["block_interval_s"].is_number_float());
}

TEST(ScenarioOverrides, ReplaceValuesFromTheFileAndApplyInOrder) {
  const Scenario s = load_scenario_text(R"({"nodes": {"count": 10}})", "t", {"nodes.count=20", "nodes.count=30"});
  EXPECT_EQ(s.nodes.count, 30);
}

TEST(ScenarioOverrides, ParseArraysBooleansAndQuotedStrings) {
  const Scenario s = load_scenario_text(
      "{}", "t",
      {"network.region_shares=[1, 1, 0, 0, 0, 2]", "consensus.difficulty_retarget=true", R"(description="a b")"});
  EXPECT_EQ(s.network.region_shares, (std::vector<double>{1, 1, 0, 0, 0, 2}));
  EXPECT_TRUE(s.consensus.difficulty_retarget);
  EXPECT_EQ(s.description, "a b");
}

TEST(ScenarioOverrides, StringFieldsTakeUnquotedTextAsItIs) {
  const Scenario s = load_scenario_text("{}", "t", {"name=2024", "description=true"});
  EXPECT_EQ(s.name, "2024");
  EXPECT_EQ(s.description, "true");
}

TEST(ScenarioOverrides, ValueMayContainEqualsSigns) {
  const Scenario s = load_scenario_text("{}", "t", {"description=a=b"});
  EXPECT_EQ(s.description, "a=b");
}

TEST(ScenarioOverrides, ApplyOverrideEditsTheDocument) {
  json doc = json::object();
  apply_override(doc, "nodes.count=12", "t");
  EXPECT_EQ(doc, json::parse(R"({"nodes": {"count": 12}})"));
}

TEST(ScenarioIntegers, AcceptIntegralFloatsAndWriteThemAsIntegers) {
  const Scenario s = load_scenario_text(R"({"nodes": {"count": 30.0}, "seed": 1e3})", "t");
  EXPECT_EQ(s.nodes.count, 30);
  EXPECT_EQ(s.seed, 1000u);
  EXPECT_EQ(s.resolved["nodes"]["count"].dump(), "30");
}

TEST(ScenarioIntegers, SeedCoversTheWholeSignedRange) {
  const Scenario s = load_scenario_text(R"({"seed": 9223372036854775807})", "t");
  EXPECT_EQ(s.seed, 9223372036854775807u);
}

TEST(ScenarioResolved, LoadingItAgainGivesTheSameScenario) {
  const Scenario first = load_scenario_text(
      R"({"seed": 5, "network": {"topology": "random-regular", "degree": 4, "region_shares": [1, 2, 3, 4, 5, 6]},
          "nodes": {"count": 50, "miners": 10}, "consensus": {"block_interval_s": 60}})",
      "original", {"transactions.rate_per_s=7", "output.per_transaction_csv=false"});
  const Scenario second = load_scenario_text(first.resolved.dump(2), "copy");
  EXPECT_EQ(second.resolved, first.resolved);
  EXPECT_EQ(second.name, "original");
  EXPECT_EQ(second.nodes.miners, 10);
  EXPECT_FALSE(second.output.per_transaction_csv);
}

TEST(ScenarioResolved, BundledScenariosLoadAndRoundTrip) {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CBSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    SCOPED_TRACE(entry.path().string());
    const Scenario s = load_scenario_file(entry.path().string());
    EXPECT_EQ(load_scenario_text(s.resolved.dump(), "copy").resolved, s.resolved);
    ++loaded;
  }
  EXPECT_GT(loaded, 0);
}

TEST(ScenarioError, WhatNamesFilePathAndReasonOnOneLine) {
  EXPECT_STREQ(ScenarioError("a.json", "nodes.count", "must be in [2, 1000000], got 1").what(),
               "a.json: nodes.count: must be in [2, 1000000], got 1");
  EXPECT_STREQ(ScenarioError("a.json", "", "cannot open: No such file or directory").what(),
               "a.json: cannot open: No such file or directory");
}

// --- malformed input: each row names the field at fault and why ------------

struct BadInput {
  std::string what;
  std::string text;                    // ignored when `file` is set
  std::vector<std::string> overrides;
  std::string expected_path;
  std::string reason_fragment;
  std::string file = "";               // load this file instead of `text`
};

void PrintTo(const BadInput& row, std::ostream* os) { *os << row.what; }

class MalformedScenario : public testing::TestWithParam<BadInput> {};

TEST_P(MalformedScenario, IsRejectedWithPathAndReason) {
  const BadInput& row = GetParam();
  try {
    if (row.file.empty()) {
      load_scenario_text(row.text, "bad.json", row.overrides);
    } else {
      load_scenario_file(row.file, row.overrides);
    }
    FAIL() << "accepted: " << row.what;
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path, row.expected_path) << e.what();
    EXPECT_NE(e.reason.find(row.reason_fragment), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
}

const BadInput kBadInputs[] = {
    {"unknown top-level field", R"({"bogus": 1})", {}, "bogus", "unknown field"},
    {"unknown nested field", R"({"nodes": {"colour": 1}})", {}, "nodes.colour", "unknown field"},
    {"typo gets a suggestion", R"({"consensus": {"block_intervl_s": 5}})", {}, "consensus.block_intervl_s",
     R"(unknown field; did you mean "consensus.block_interval_s"?)"},
    {"swapped letters get a suggestion", R"({"network": {"modle": "tcp"}})", {}, "network.modle",
     R"(did you mean "network.model"?)"},
    {"field in the wrong section", R"({"count": 5})", {}, "count", R"(did you mean "nodes.count"?)"},
    {"misspelled section", R"({"netwrk": {}})", {}, "netwrk", R"(did you mean "network"?)"},
    {"dotted key instead of a section", R"({"nodes.count": 5})", {}, "nodes.count", "write it nested"},
    {"string for a number", R"({"nodes": {"count": "many"}})", {}, "nodes.count",
     R"(expected integer, got string "many")"},
    {"number for a string", R"({"network": {"model": 5}})", {}, "network.model", "expected string, got number 5"},
    {"array for an object", R"({"nodes": [1]})", {}, "nodes", "expected object, got array"},
    {"negative count", R"({"nodes": {"count": -3}})", {}, "nodes.count", "must be in [2, 1000000], got -3"},
    {"zero interval", R"({"consensus": {"block_interval_s": 0}})", {}, "consensus.block_interval_s",
     "must be in (0, 86400], got 0"},
    {"probability above 1", R"({"network": {"rewire_probability": 1.5}})", {}, "network.rewire_probability",
     "must be in [0, 1], got 1.5"},
    {"value not in the enum", R"({"network": {"model": "fast"}})", {}, "network.model",
     R"(must be one of tcp, latency, ideal; got "fast")"},
    {"float for an integer", R"({"nodes": {"count": 3.5}})", {}, "nodes.count", "expected integer, got number 3.5"},
    {"1 for a boolean", R"({"output": {"per_block_csv": 1}})", {}, "output.per_block_csv",
     "expected boolean, got number 1"},
    {"seed beyond int64", R"({"seed": 9223372036854775808})", {}, "seed", "got 9223372036854775808"},
    {"name that escapes the results folder", R"({"name": ".."})", {}, "name", "without /, \\ or control characters"},
    {"name too long for a folder", R"({"name": ")" + std::string(256, 'n') + R"("})", {}, "name",
     "must be at most 255 bytes long, got 256 bytes"},
    {"name with a newline", R"({"name": "a\nb"})", {}, "name", R"(got "a\nb")"},
    {"override name that is not UTF-8", "{}", {"name=caf\xe9"}, "name", R"(must be UTF-8 text, got "caf\xe9")"},
    {"override number that is not UTF-8", "{}", {"nodes.count=\xff"}, "nodes.count",
     R"(expected integer, got string "\xff")"},
    {"description too long", R"({"description": ")" + std::string(10001, 'd') + R"("})", {}, "description",
     "at most 10000 bytes"},
    {"datacenter name too long", R"({"cloud": {"hosts": 1, "datacenters": [")" + std::string(2000, 'x') + R"("]}})", {},
     "cloud.datacenters[0]", "at most 1024 bytes"},
    // numbers beyond a double's range stop the parser: the error names where it stopped
    {"number beyond double range", R"({"nodes": {"cpu_hz": 1e400}})", {}, "nodes.cpu_hz", "number too large"},
    {"negative number beyond double range", R"({"seed": -1e400})", {}, "seed", "number too large"},
    {"number beyond double range in an array", R"({"network": {"region_shares": [1, 1e400]}})", {},
     "network.region_shares[1]", "number too large"},
    {"number beyond double range in a fault",
     R"({"faults": [{"kind": "crash", "nodes": [1]}, {"kind": "crash", "nodes": [2], "at_s": 1e999}]})", {},
     "faults[1].at_s", "number too large"},
    {"override number beyond double range", "{}", {"nodes.cpu_hz=1e400"}, "nodes.cpu_hz",
     R"(number too large: beyond the largest double, about 1.8e308 (override "nodes.cpu_hz=1e400"))"},
    {"string override that looks like a huge number", "{}", {"description=1e400", "nodes.count=1"}, "nodes.count",
     "must be in [2, 1000000]"},
    {"JSON nested too deep", R"({"faults": )" + std::string(40, '['), {}, echoed("faults" + [] {
       std::string indices;
       for (int i = 0; i < 31; ++i) indices += "[0]";
       return indices;
     }()), "nested deeper than 32 levels"},
    {"duplicate field inside a fault", R"({"faults": [{"kind": "crash", "nodes": [1], "nodes": [2]}]})", {},
     "faults[0].nodes", "duplicate field"},
    // sums and products of fields must stay finite: each number has a bound
    {"region_shares whose sum overflows", R"({"network": {"region_shares": [1e308, 1e308, 1e308, 1e308, 1e308, 1e308]}})",
     {}, "network.region_shares[0]", "must be in [0, "},
    {"host bandwidth that makes a migration endless", R"({"cloud": {"host_bandwidth_mbps": 1e-300}})", {},
     "cloud.host_bandwidth_mbps", "must be in [1.0, "},
    {"host memory beyond any machine", R"({"cloud": {"host_ram_mb": 1e300}})", {}, "cloud.host_ram_mb", "must be in"},
    // rates whose run could not see one event
    {"committee requests slower than the time limit",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"}, "duration": {"max_sim_time_s": 100},
         "committee": {"request_rate_per_s": 0.001}})",
     {}, "committee.request_rate_per_s", "must be >= 1 / duration.max_sim_time_s (0.01)"},
    {"committee requests slower than any run",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"}, "committee": {"request_rate_per_s": 1e-300}})", {},
     "committee.request_rate_per_s", "longer than a run may last"},
    // the attack's model must be solvable, or the run fails after its trials
    {"double-spend model too large", R"({"attack": {"kind": "double-spend", "confirmations": 1000}})", {},
     "attack.confirmations", "1,000,000"},
    {"region_shares of the wrong length", R"({"network": {"region_shares": [1, 2]}})", {}, "network.region_shares",
     "one entry per region of simblock-2019 (6), got 2"},
    {"region_shares all zero", R"({"network": {"region_shares": [0, 0, 0, 0, 0, 0]}})", {}, "network.region_shares",
     "must not be all zero"},
    {"negative region share", R"({"network": {"region_shares": [1, 1, -1, 1, 1, 1]}})", {},
     "network.region_shares[2]", "must be in [0, 1000000000], got -1"},
    {"miners above count", R"({"nodes": {"count": 5, "miners": 6}})", {}, "nodes.miners",
     "must be <= nodes.count (5), got 6"},
    {"degree not below count", R"({"network": {"topology": "barabasi-albert", "degree": 5}, "nodes": {"count": 5}})",
     {}, "network.degree", "must be < nodes.count (5)"},
    {"odd random-regular graph", R"({"network": {"topology": "random-regular", "degree": 3}, "nodes": {"count": 5}})",
     {}, "network.degree", "to be even"},
    {"duplicate field", R"({"nodes": {"count": 5, "count": 6}})", {}, "nodes.count", "duplicate field"},
    {"invalid JSON", "{\n  \"seed\": 1,\n}", {}, "", "invalid JSON: parse error at line 3, column 1"},
    {"empty input", "", {}, "", "invalid JSON"},
    {"top level not an object", "[1, 2]", {}, "", "expected a JSON object at the top level, got array"},
    {"missing file", "", {}, "", "cannot open", "/nonexistent/cbsim/missing.json"},
    {"override of an unknown path", "{}", {"nodes.cout=5"}, "nodes.cout",
     R"(unknown field; did you mean "nodes.count"? (override "nodes.cout=5"))"},
    {"override without '='", "{}", {"nodes.count"}, "", "is not of the form path=value"},
    {"override of a section", "{}", {"nodes=5"}, "nodes", "is a section"},
    {"override of the wrong type", "{}", {"nodes.count=abc"}, "nodes.count",
     R"(expected integer, got string "abc" (override "nodes.count=abc"))"},
    {"override into a section that is not an object", R"({"nodes": 3})", {"nodes.count=5"}, "nodes",
     "expected object, got number 3"},
    // faults: a list of objects, each field checked by the fault table
    {"faults not a list", R"({"faults": {"kind": "crash"}})", {}, "faults", "expected array of objects, got object"},
    {"fault not an object", R"({"faults": [3]})", {}, "faults[0]", "expected object, got number 3"},
    {"fault without a kind", R"({"faults": [{"nodes": [1]}]})", {}, "faults[0].kind", "missing"},
    {"fault of an unknown kind", R"({"faults": [{"kind": "meteor", "nodes": [1]}]})", {}, "faults[0].kind",
     "must be one of crash, partition, degrade, byzantine"},
    {"misspelled fault field", R"({"faults": [{"kind": "crash", "nodes": [1], "untill_s": 3}]})", {},
     "faults[0].untill_s", R"(did you mean "until_s"?)"},
    {"fault field of another kind", R"({"faults": [{"kind": "crash", "nodes": [1], "loss": 0.5}]})", {},
     "faults[0].loss", "applies to kind degrade, not crash"},
    {"fault node not an integer", R"({"faults": [{"kind": "crash", "nodes": [1.5]}]})", {}, "faults[0].nodes[0]",
     "expected integer, got number 1.5"},
    {"fault node beyond the nodes", R"({"nodes": {"count": 4}, "faults": [{"kind": "crash", "nodes": [0, 4]}]})",
     {}, "faults[0].nodes[1]", "must be < nodes.count (4), got 4"},
    {"fault node listed twice", R"({"faults": [{"kind": "crash", "nodes": [2, 2]}]})", {}, "faults[0].nodes[1]",
     "listed twice"},
    {"fault without nodes", R"({"faults": [{"kind": "crash", "nodes": []}]})", {}, "faults[0].nodes",
     "at least one node"},
    {"host crash without hosts", R"({"faults": [{"kind": "host-crash"}]})", {}, "faults[0].hosts",
     "at least one host"},
    {"host crash without placement", R"({"faults": [{"kind": "host-crash", "hosts": [0]}]})", {}, "faults[0].kind",
     "cloud.hosts > 0"},
    {"host crash of an unknown host",
     R"({"nodes": {"count": 4}, "cloud": {"hosts": 2}, "faults": [{"kind": "host-crash", "hosts": [2]}]})",
     {}, "faults[0].hosts[0]", "must be < cloud.hosts (2)"},
    {"hosts too few for the nodes", R"({"nodes": {"count": 10}, "cloud": {"hosts": 2, "host_cores": 4, "vm_vcpus": 2}})",
     {}, "cloud.hosts", "hold at most 4 VMs"},
    {"fault ending before it starts", R"({"faults": [{"kind": "crash", "nodes": [1], "at_s": 5, "until_s": 2}]})",
     {}, "faults[0].until_s", "must be > at_s (5.0)"},
    {"partition sides overlap", R"({"faults": [{"kind": "partition", "nodes": [1, 2], "peers": [2]}]})", {},
     "faults[0].peers[0]", "must not overlap"},
    {"loss above 1", R"({"faults": [{"kind": "degrade", "nodes": [1], "loss": 2}]})", {}, "faults[0].loss",
     "must be in [0, 1], got 2"},
    {"degrade that changes nothing", R"({"faults": [{"kind": "degrade", "nodes": [1]}]})", {}, "faults[0]",
     "extra_latency_s > 0 or loss > 0"},
    {"lossy link in a Nakamoto run", R"({"faults": [{"kind": "degrade", "nodes": [1], "loss": 0.1}]})", {},
     "faults[0].loss", "TCP"},
    {"byzantine fault in a Nakamoto run", R"({"faults": [{"kind": "byzantine", "nodes": [1]}]})", {},
     "faults[0].kind", "committee protocols"},
    {"committee faults without a time limit",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"}, "faults": [{"kind": "crash", "nodes": [0]}]})", {},
     "duration.max_sim_time_s", "never end"},
    // allocation: the contract mechanisms and the central allocator's machine
    {"contract mechanism beside a contract workload",
     R"({"contracts": {"workload": "simple-storage"}, "allocation": {"mechanisms": ["contract_first_fit"]}})", {},
     "contracts.workload", "must be none with contract mechanisms in a Nakamoto chain"},
    {"negative confirmations", R"({"allocation": {"confirmations": -1}})", {}, "allocation.confirmations",
     "must be in [0, 1000000], got -1"},
    {"contract mechanism with a closed loop",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"}, "committee": {"load": "closed"},
         "allocation": {"mechanisms": ["contract_auction"]}})",
     {}, "committee.load", "must be open"},
    {"contract slot not whole seconds",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"},
         "allocation": {"mechanisms": ["contract_first_fit"], "contract_slot_s": 2.5}})",
     {}, "allocation.contract_slot_s", "whole number of seconds"},
    {"contract auction epoch not whole seconds",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"},
         "allocation": {"mechanisms": ["contract_auction"], "auction_epoch_s": 0.5}})",
     {}, "allocation.auction_epoch_s", "whole number of seconds"},
    {"contract first fit with a fractional epoch",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"},
         "allocation": {"mechanisms": ["contract_first_fit"], "auction_epoch_s": 0.5}})",
     {}, "allocation.auction_epoch_s", "whole number of seconds >= 1"},
    {"contract mechanisms with an attack",
     R"({"attack": {"kind": "selfish-mining"}, "allocation": {"mechanisms": ["contract_first_fit"]}})", {},
     "allocation.mechanisms", "attack"},
    {"committee run shorter than the requests",
     R"({"nodes": {"count": 4}, "consensus": {"protocol": "pbft"}, "duration": {"max_sim_time_s": 1000},
         "allocation": {"mechanisms": ["contract_first_fit"]}})",
     {}, "duration.max_sim_time_s", "horizon_s + lead_s (4200.0 s)"},
    {"chain shorter than the requests",
     R"({"duration": {"blocks": 10}, "allocation": {"mechanisms": ["contract_first_fit"]}})", {}, "duration.blocks",
     "(7800.0 s) with contract mechanisms, got 6000.0 s"},
    {"central allocator beyond the nodes", R"({"nodes": {"count": 4}, "allocation": {"central_node": 4}})", {},
     "allocation.central_node", "must be < nodes.count (4), got 4"},
};

INSTANTIATE_TEST_SUITE_P(Table, MalformedScenario, testing::ValuesIn(kBadInputs),
                         [](const testing::TestParamInfo<BadInput>& info) {
                           std::string name;
                           for (const char c : info.param.what) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

// --- input of absurd size: refused at once, with a message of one short line --

// The budgets are generous: these take a fraction of a second, the old code
// took from 15 s (a 300,000-character key) to hours (a million-node fault
// list). Processor time, not wall time: other builds may share the machine.
constexpr double kQuickSeconds = 2.0 * cbsim::test::kTimeBudgetFactor;
constexpr std::size_t kShortMessage = 300;

struct Rejection {
  std::string path;
  std::string reason;
  std::string what;
  double seconds = 0.0;
};

double cpu_seconds_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

Rejection rejection_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const std::clock_t start = std::clock();
  Rejection r;
  try {
    load_scenario_text(text, "huge.json", overrides);
    ADD_FAILURE() << "accepted";
  } catch (const ScenarioError& e) {
    r = {e.path, e.reason, e.what()};
  }
  r.seconds = cpu_seconds_since(start);
  return r;
}

void expect_quick_and_short(const Rejection& r) {
  EXPECT_LT(r.seconds, kQuickSeconds) << r.what.substr(0, kShortMessage);
  EXPECT_LT(r.what.size(), kShortMessage) << r.what.substr(0, kShortMessage);
  EXPECT_EQ(r.what.find('\n'), std::string::npos);
}

TEST(HugeInput, UnknownKeyOf300000CharactersIsRefusedQuicklyAndShortly) {
  const std::string key(300000, 'k');
  for (const auto& [text, overrides] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"{\"" + key + "\": 1}", {}},
           {R"({"nodes": {")" + key + "\": 1}}", {}},
           {R"({"faults": [{"kind": "crash", "nodes": [1], ")" + key + "\": 1}]}", {}},
           {"{}", {key + "=1"}},
           {"{}", {"nodes." + key + "=1"}}}) {
    const Rejection r = rejection_of(text, overrides);
    expect_quick_and_short(r);
    EXPECT_NE(r.reason.find("unknown field"), std::string::npos) << r.what;
    EXPECT_NE(r.path.find("kkkk"), std::string::npos) << r.what;
    EXPECT_NE(r.path.find(" characters)"), std::string::npos) << r.what;
  }
}

TEST(HugeInput, TenMegabyteStringIsRefusedQuicklyAndShortly) {
  const std::string huge(10'000'000, 's');
  for (const auto& [path, text] : std::vector<std::pair<std::string, std::string>>{
           {"name", R"({"name": ")" + huge + "\"}"},
           {"description", R"({"description": ")" + huge + "\"}"},
           {"network.model", R"({"network": {"model": ")" + huge + "\"}}"},
           {"cloud.datacenters[0]", R"({"cloud": {"hosts": 1, "datacenters": [")" + huge + "\"]}}"},
           {"faults[0].kind", R"({"faults": [{"kind": ")" + huge + "\", \"nodes\": [1]}]}"}}) {
    const Rejection r = rejection_of(text);
    expect_quick_and_short(r);
    EXPECT_EQ(r.path, path) << r.what;
    EXPECT_NE(r.reason.find("got 10000000 bytes"), std::string::npos) << r.what;
  }
}

// std::regex matched the name's pattern recursively, one frame per character:
// 30,000 characters overflowed the stack (SIGSEGV in validate and run).
TEST(HugeInput, LongNameIsRefusedWithoutCrashing) {
  const Rejection r = rejection_of(R"({"name": ")" + std::string(100000, 'n') + "\"}");
  expect_quick_and_short(r);
  EXPECT_EQ(r.path, "name");
}

TEST(HugeInput, TenMegabyteNumberIsRefusedWithItsField) {
  const std::string digits = "1" + std::string(10'000'000, '0');
  for (const auto& [path, text, overrides] : std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
           {"seed", R"({"seed": )" + digits + "}", {}},
           {"nodes.cpu_hz", R"({"nodes": {"cpu_hz": )" + digits + "}}", {}},
           {"network.region_shares[2]", R"({"network": {"region_shares": [1, 2, )" + digits + "]}}", {}},
           {"nodes.cpu_hz", "{}", {"nodes.cpu_hz=" + digits}}}) {
    const Rejection r = rejection_of(text, overrides);
    expect_quick_and_short(r);
    EXPECT_EQ(r.path, path) << r.what;
    EXPECT_NE(r.reason.find("number too large"), std::string::npos) << r.what;
  }
}

TEST(HugeInput, UnterminatedTenMegabyteStringIsRefusedShortly) {
  const Rejection r = rejection_of(R"({"description": ")" + std::string(10'000'000, 'u'));
  expect_quick_and_short(r);
  EXPECT_NE(r.reason.find("invalid JSON"), std::string::npos) << r.what;
}

TEST(HugeInput, TextBeyond64MegabytesIsRefusedBeforeParsing) {
  const Rejection r = rejection_of("{}" + std::string((64 << 20) + 1, ' '));
  expect_quick_and_short(r);
  EXPECT_NE(r.reason.find("larger than 64 MB"), std::string::npos) << r.what;
}

// Duplicates and overlaps were found by comparing every pair: a partition of a
// million nodes took hours.
TEST(HugeInput, FaultOfAMillionNodesIsCheckedInLinearTime) {
  std::string nodes, peers;
  for (int i = 0; i < 500000; ++i) {
    nodes += (i == 0 ? "" : ",") + std::to_string(i);
    peers += (i == 0 ? "" : ",") + std::to_string(500000 + i);
  }
  const std::string text = R"({"nodes": {"count": 1000000}, "faults": [{"kind": "partition", "nodes": [)" + nodes +
                           R"(], "peers": [)" + peers + "]}]}";
  const std::clock_t start = std::clock();
  const Scenario s = load_scenario_text(text, "partition.json");
  EXPECT_LT(cpu_seconds_since(start), kQuickSeconds);
  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].peers.size(), 500000u);

  const Rejection twice = rejection_of(R"({"nodes": {"count": 1000000}, "faults": [{"kind": "crash", "nodes": [)" +
                                       nodes + "," + peers + ",7]}]}");
  EXPECT_LT(twice.seconds, kQuickSeconds);
  EXPECT_EQ(twice.path, "faults[0].nodes[1000000]");
  EXPECT_NE(twice.reason.find("node 7 is listed twice"), std::string::npos) << twice.what;
}

// --- bounds: what keeps sums, products and lengths of input finite -----------

// Cross-field rules add and multiply fields (region shares, rate x duration,
// hosts x VMs); with every number bounded none of them can overflow to inf.
TEST(ScenarioBounds, EveryNumberHasAFiniteUpperBound) {
  for (const auto& field : field_table()) {
    SCOPED_TRACE(field.path);
    if (field.type == FieldType::number || field.type == FieldType::number_array ||
        field.type == FieldType::integer) {
      ASSERT_TRUE(field.rules.max.has_value());
      EXPECT_LE(field.rules.max->value.get<double>(), 1e19);
    }
  }
  for (const auto& item : fault_field_table()) {
    SCOPED_TRACE(item.name);
    if (item.type == FieldType::number || item.type == FieldType::integer_array) {
      ASSERT_TRUE(item.rules.max.has_value());
    }
  }
}

TEST(ScenarioBounds, EveryStringHasALengthLimitInTheSchema) {
  const json schema = json_schema();
  for (const auto& field : field_table()) {
    if (field.type != FieldType::string || !field.rules.allowed.empty()) continue;
    SCOPED_TRACE(field.path);
    const std::string section(field.section());
    const json& property = section.empty() ? schema["properties"][field.path]
                                           : schema["properties"][section]["properties"][std::string(field.leaf())];
    ASSERT_TRUE(property.contains("maxLength"));
    EXPECT_EQ(property["maxLength"], field.rules.max_length);
  }
  EXPECT_EQ(schema["properties"]["name"]["maxLength"], 255);
}

// --- the schema --------------------------------------------------------------

TEST(ScenarioSchema, ListsEveryFieldWithItsTypeAndDefault) {
  const json schema = json_schema();
  for (const auto& field : field_table()) {
    SCOPED_TRACE(field.path);
    const std::string section(field.section());
    const json& properties = section.empty() ? schema["properties"] : schema["properties"][section]["properties"];
    ASSERT_TRUE(properties.contains(std::string(field.leaf())));
    const json& entry = properties[std::string(field.leaf())];
    EXPECT_TRUE(entry.contains("type"));
    EXPECT_TRUE(entry.contains("description"));
    if (field.rules.default_note.empty()) {
      EXPECT_EQ(entry["default"], field.default_value());
    } else {
      EXPECT_NE(entry["description"].get<std::string>().find(field.rules.default_note), std::string::npos);
    }
  }
}

TEST(ScenarioSchema, ForbidsAdditionalPropertiesEverywhere) {
  const json schema = json_schema();
  EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema["additionalProperties"], false);
  for (const auto& section : sections()) {
    if (section.name.empty()) continue;
    SCOPED_TRACE(section.name);
    EXPECT_EQ(schema["properties"][section.name]["additionalProperties"], false);
  }
}

TEST(ScenarioSchema, CarriesBoundsAndEnums) {
  const json schema = json_schema();
  const json& interval = schema["properties"]["consensus"]["properties"]["block_interval_s"];
  EXPECT_EQ(interval["exclusiveMinimum"], 0);
  EXPECT_EQ(interval["maximum"], 86400);
  EXPECT_EQ(schema["properties"]["network"]["properties"]["model"]["enum"], json({"tcp", "latency", "ideal"}));
  EXPECT_EQ(schema["properties"]["network"]["properties"]["region_shares"]["items"]["minimum"], 0);
}

TEST(ScenarioFaults, LoadTypedAndResolveWithOnlyTheFieldsOfTheirKind) {
  const Scenario s = load_scenario_text(
      R"({"nodes": {"count": 7}, "consensus": {"protocol": "pbft"}, "duration": {"max_sim_time_s": 60},
          "faults": [{"kind": "crash", "nodes": [0], "at_s": 10, "until_s": 20},
                                           {"kind": "degrade", "nodes": [1, 2], "peers": [3], "loss": 0.25}]})",
      "faults.json");
  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].kind, "crash");
  EXPECT_EQ(s.faults[0].nodes, std::vector<int>{0});
  EXPECT_EQ(s.faults[0].at_s, 10.0);
  EXPECT_EQ(s.faults[0].until_s, 20.0);
  EXPECT_EQ(s.faults[1].peers, std::vector<int>{3});
  EXPECT_EQ(s.faults[1].loss, 0.25);
  EXPECT_EQ(s.faults[1].extra_latency_s, 0.0);
  const json& resolved = s.resolved["faults"];
  EXPECT_FALSE(resolved[0].contains("loss"));  // a crash has no loss rate
  EXPECT_EQ(resolved[1]["extra_latency_s"], 0.0);
  // The resolved scenario loads again to the same thing.
  const Scenario again = load_scenario_text(s.resolved.dump(), "again.json");
  EXPECT_EQ(again.resolved, s.resolved);
}

TEST(ScenarioFaults, OverrideReplacesTheWholeList) {
  const Scenario s = load_scenario_text(R"({"faults": [{"kind": "crash", "nodes": [0]}]})", "f.json",
                                        {R"(faults=[{"kind": "partition", "nodes": [1], "until_s": 5}])"});
  ASSERT_EQ(s.faults.size(), 1u);
  EXPECT_EQ(s.faults[0].kind, "partition");
}

TEST(ScenarioCostProfile, FillsTheCostsNotGivenAndTheResolvedScenarioNeedsNoFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("cbsim-profile-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "profile.json") << R"({"costs": {"gas_cycles": 0.25, "signature_verify_cycles": 80000}})";
  std::ofstream(dir / "s.json") << R"({"costs": {"profile": "profile.json", "signature_verify_cycles": 1000}})";
  const Scenario s = load_scenario_file((dir / "s.json").string());
  EXPECT_EQ(s.costs.gas_cycles, 0.25);                // from the profile
  EXPECT_EQ(s.costs.signature_verify_cycles, 1000.0);  // the scenario's own value wins
  EXPECT_EQ(s.costs.profile, "");
  EXPECT_EQ(s.resolved["costs"]["gas_cycles"], 0.25);
  std::ofstream(dir / "bad.json") << R"({"costs": {"gas_cycle": 1}})";
  std::ofstream(dir / "s2.json") << R"({"costs": {"profile": "bad.json"}})";
  try {
    load_scenario_file((dir / "s2.json").string());
    FAIL() << "accepted an unknown cost field";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path, "costs.profile");
    EXPECT_NE(e.reason.find("unknown cost field \"gas_cycle\""), std::string::npos) << e.what();
  }
  std::ofstream(dir / "s3.json") << R"({"costs": {"profile": "missing.json"}})";
  try {
    load_scenario_file((dir / "s3.json").string());
    FAIL() << "accepted a missing profile";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path, "costs.profile");
    EXPECT_NE(e.reason.find("missing.json"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(ScenarioSchema, DescribesEachFaultField) {
  const json items = json_schema()["properties"]["faults"]["items"];
  EXPECT_EQ(json_schema()["properties"]["faults"]["type"], "array");
  EXPECT_EQ(items["additionalProperties"], false);
  EXPECT_EQ(items["required"], json({"kind"}));  // nodes or hosts, depending on the kind (the loader checks)
  for (const auto& field : fault_field_table()) EXPECT_TRUE(items["properties"].contains(field.name)) << field.name;
  EXPECT_EQ(items["properties"]["nodes"]["items"]["type"], "integer");
  EXPECT_EQ(items["properties"]["loss"]["maximum"], 1);
  const std::string markdown = fields_markdown();
  for (const auto& field : fault_field_table())
    EXPECT_NE(markdown.find("| `" + field.name + "` |"), std::string::npos) << field.name;
}

TEST(ScenarioDocs, MarkdownHasARowPerField) {
  const std::string markdown = fields_markdown();
  for (const auto& field : field_table()) {
    EXPECT_NE(markdown.find("| `" + field.path + "` |"), std::string::npos) << field.path;
  }
}

}  // namespace
}  // namespace cbsim::scenario
