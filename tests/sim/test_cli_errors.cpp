// Every malformed scenario is rejected before anything runs: exit status 2,
// one line on stderr naming the file, the field's JSON path and the reason,
// and no results written.

#include <gtest/gtest.h>

#include <chrono>

#include "tests/sim/cbsim_process.h"
#include "tests/timing_budget.h"

using namespace cbsim::test;

namespace {

struct BadScenario {
  const char* label;
  const char* json;                  // file content (nullptr: the file does not exist)
  std::vector<std::string> overrides;
  const char* expected_path;         // must appear in the message ("" if none)
  const char* expected_reason;       // a fragment of the reason
};

const BadScenario kBadScenarios[] = {
    {"invalid_json", "{\"nodes\": {\"count\": 10,}}", {}, "", "JSON"},
    {"missing_file", nullptr, {}, "", "No such file"},
    {"unknown_top_level", "{\"nodez\": {}}", {}, "nodez", "unknown field"},
    {"unknown_nested", "{\"consensus\": {\"block_intervall_s\": 10}}", {}, "consensus.block_intervall_s", "block_interval_s"},
    {"string_for_number", "{\"consensus\": {\"block_interval_s\": \"ten\"}}", {}, "consensus.block_interval_s", "expected"},
    {"zero_interval", "{\"consensus\": {\"block_interval_s\": 0}}", {}, "consensus.block_interval_s", "must be"},
    {"negative_count", "{\"nodes\": {\"count\": -5}}", {}, "nodes.count", "must be"},
    {"float_for_integer", "{\"nodes\": {\"count\": 10.5}}", {}, "nodes.count", "integer"},
    {"bad_enum", "{\"network\": {\"model\": \"fast\"}}", {}, "network.model", "tcp"},
    {"array_for_object", "{\"network\": []}", {}, "network", "object"},
    {"wrong_region_shares", "{\"network\": {\"region_shares\": [1, 2]}}", {}, "network.region_shares", "6"},
    {"disconnected_topology",
     "{\"nodes\": {\"count\": 200}, \"network\": {\"topology\": \"erdos-renyi\", \"edge_probability\": 0.001}}",
     {}, "network.topology", "disconnected"},
    {"override_unknown_path", "{}", {"--set", "consensus.nope=3"}, "consensus.nope", "unknown field"},
    {"override_bad_value", "{}", {"--set", "nodes.count=many"}, "nodes.count", "expected"},
    {"override_without_equals", "{}", {"--set", "nodes.count"}, "", "="},
    {"override_seed_negative", "{}", {"--set", "seed=-1"}, "seed", "must be"},
    {"bad_attack_kind", "{\"attack\": {\"kind\": \"51%\"}}", {}, "attack.kind", "double-spend"},
    {"endless_double_spend", "{\"attack\": {\"kind\": \"double-spend\", \"give_up_deficit\": 0}}", {},
     "attack.give_up_deficit", "never end"},
    {"victim_out_of_range", "{\"nodes\": {\"count\": 10}, \"attack\": {\"kind\": \"eclipse\", \"victim\": 10}}", {},
     "attack.victim", "nodes.count"},
    {"withholding_with_delay",
     "{\"attack\": {\"kind\": \"eclipse\", \"eclipse_mode\": \"withhold\", \"eclipse_delay_s\": 60}}", {},
     "attack.eclipse_delay_s", "withhold"},
    {"pbft_too_small", "{\"nodes\": {\"count\": 3}, \"consensus\": {\"protocol\": \"pbft\"}}", {},
     "nodes.count", "3f + 1"},
    {"pbft_window_below_checkpoints",
     "{\"nodes\": {\"count\": 4}, \"consensus\": {\"protocol\": \"pbft\"}, "
     "\"committee\": {\"checkpoint_interval\": 300}}", {}, "committee.checkpoint_interval", "log_window"},
    {"fault_node_out_of_range",
     "{\"nodes\": {\"count\": 4}, \"consensus\": {\"protocol\": \"pbft\"}, \"duration\": {\"max_sim_time_s\": 9}, "
     "\"faults\": [{\"kind\": \"crash\", \"nodes\": [4]}]}", {}, "faults[0].nodes[0]", "nodes.count"},
    {"fault_field_of_other_kind", "{\"faults\": [{\"kind\": \"partition\", \"nodes\": [1], \"loss\": 0.1}]}", {},
     "faults[0].loss", "degrade"},
    {"contracts_in_a_committee",
     "{\"nodes\": {\"count\": 4}, \"consensus\": {\"protocol\": \"pbft\"}, \"contracts\": {\"workload\": \"simple-storage\"}}",
     {}, "contracts.workload", "Nakamoto"},
    {"unknown_datacenter",
     "{\"cloud\": {\"hosts\": 4, \"datacenters\": [\"europe\", \"mars\"]}}", {},
     "cloud.datacenters[1]", "not a region"},
    {"paas_on_kvm", "{\"cloud\": {\"service\": \"paas\", \"vm_profile\": \"kvm-tuned\"}}", {}, "cloud.vm_profile",
     "containers"},
    {"co_tenants_leave_no_room",
     "{\"nodes\": {\"count\": 10}, \"cloud\": {\"hosts\": 2, \"host_cores\": 8, \"co_tenants\": 3}}", {},
     "cloud.hosts", "co-tenants"},
    {"memory_leaves_no_room",
     "{\"nodes\": {\"count\": 4}, \"cloud\": {\"vm_profile\": \"kvm-tuned\", \"hosts\": 2, \"host_ram_mb\": 8192}}",
     {}, "cloud.hosts", "4246 MB"},
    {"co_tenants_without_hosts", "{\"cloud\": {\"co_tenants\": 2}}", {}, "cloud.co_tenants", "cloud.hosts > 0"},
    {"consolidation_off_the_step",
     "{\"cloud\": {\"hosts\": 200, \"consolidation_interval_s\": 450}}", {}, "cloud.consolidation_interval_s",
     "whole number"},
    {"fractional_vcpus",
     "{\"allocation\": {\"mechanisms\": [\"first_fit\"], \"vcpu_choices\": [1, 2.5]}}", {},
     "allocation.vcpu_choices[1]", "whole number"},
    {"unknown_mechanism", "{\"allocation\": {\"mechanisms\": [\"first_fit\", \"lottery\"]}}", {},
     "allocation.mechanisms", "auction"},
    {"fractional_sample_size", "{\"integrity\": {\"trials\": 10, \"sample_sizes\": [1, 2.5]}}", {},
     "integrity.sample_sizes[1]", "whole number"},
    {"allocation_too_large",
     "{\"allocation\": {\"mechanisms\": [\"first_fit\"], \"requests_per_hour\": 100000, \"horizon_s\": 86400, \"hosts\": 100}}",
     {}, "allocation.horizon_s", "at most 1,000,000"},
    {"allocation_lp_too_large",
     "{\"allocation\": {\"mechanisms\": [\"first_fit\"], \"requests_per_hour\": 10000, \"horizon_s\": 86400, "
     "\"hosts\": 100, \"optimum_max_nonzeros\": 1e9}}",
     {}, "allocation.horizon_s", "5,000,000"},
    {"bad_eclipse_mode", "{\"attack\": {\"kind\": \"eclipse\", \"eclipse_mode\": \"block\"}}", {},
     "attack.eclipse_mode", "withhold"},
    // issue 15: each of these once ended in exit 1, a signal or a failed run
    {"number_overflow", "{\"nodes\": {\"cpu_hz\": 1e400}}", {}, "nodes.cpu_hz", "number too large"},
    {"override_number_overflow", "{}", {"--set", "nodes.cpu_hz=1e400"}, "nodes.cpu_hz", "number too large"},
    {"region_shares_sum_overflow",
     "{\"network\": {\"region_shares\": [1e308, 1e308, 1e308, 1e308, 1e308, 1e308]}}", {},
     "network.region_shares[0]", "must be in"},
    {"committee_rate_never_requests",
     "{\"nodes\": {\"count\": 4}, \"consensus\": {\"protocol\": \"pbft\"}, "
     "\"committee\": {\"request_rate_per_s\": 1e-300}}", {}, "committee.request_rate_per_s", "longer than a run"},
    {"double_spend_model_too_large", "{\"attack\": {\"kind\": \"double-spend\", \"confirmations\": 1000}}", {},
     "attack.confirmations", "1,000,000"},
    {"name_with_newline", "{\"name\": \"two\\nlines\"}", {}, "name", "control characters"},
    {"override_not_utf8", "{}", {"--set", "description=\xff\xfe"}, "description", "UTF-8"},
};

void PrintTo(const BadScenario& c, std::ostream* os) { *os << c.label; }

class MalformedScenario : public ::testing::TestWithParam<BadScenario> {};

}  // namespace

TEST_P(MalformedScenario, IsRejectedWithStatusTwoAndTheFieldPath) {
  const BadScenario& c = GetParam();
  const auto dir = scratch_dir(std::string("bad-") + c.label);
  const auto file = dir / (std::string(c.label) + ".json");
  if (c.json != nullptr) std::ofstream(file) << c.json;
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, file.string()};
    args.insert(args.end(), c.overrides.begin(), c.overrides.end());
    if (std::string(command) == "run") args.insert(args.end(), {"--out", (dir / "out").string()});
    const ProcessResult r = run_cbsim(args);
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find(file.filename().string()), std::string::npos) << "file not named: " << r.err;
    EXPECT_NE(r.err.find(c.expected_path), std::string::npos) << "path not named: " << r.err;
    EXPECT_NE(r.err.find(c.expected_reason), std::string::npos) << "reason missing: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "not one line: " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "out")) << "results written for a bad scenario";
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Table, MalformedScenario, ::testing::ValuesIn(kBadScenarios),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(CommandLine, HelpAndUsageErrors) {
  EXPECT_EQ(run_cbsim({"--help"}).exit_code, 0);
  const ProcessResult run_help = run_cbsim({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_NE(run_help.out.find("--set"), std::string::npos);
  EXPECT_EQ(run_cbsim({"validate", "--help"}).exit_code, 0);
  EXPECT_EQ(run_cbsim({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_cbsim({"run"}).exit_code, 2);
}

TEST(CommandLine, ShippedScenariosValidate) {
  for (const char* name :
       {"quickstart.json", "bitcoin-2019.json", "double-spend.json", "selfish-mining.json", "eclipse.json",
        "eclipse-withholding.json", "pbft-4.json", "pbft-primary-crash.json", "pbft-partition.json",
        "pbft-equivocating-primary.json", "committee-scaling.json", "nakamoto-partition.json", "simple-storage.json",
        "token-transfers.json"}) {
    const ProcessResult r = run_cbsim({"validate", scenario_path(name)});
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
  }
}

// --- input of absurd size (issue 15): exit 2, one short line, at once --------

namespace {

struct HugeInput {
  const char* label;
  std::string json;
  std::vector<std::string> overrides;
  const char* expected_path;
};

// Writes `json` to a file, runs validate and run on it, and checks exit 2 and
// a single short line that names the field, quickly.
void expect_short_refusal(const HugeInput& c) {
  const auto dir = scratch_dir(std::string("huge-") + c.label);
  const auto file = dir / (std::string(c.label) + ".json");
  std::ofstream(file) << c.json;
  for (const char* command : {"validate", "run"}) {
    std::vector<std::string> args = {command, file.string()};
    args.insert(args.end(), c.overrides.begin(), c.overrides.end());
    if (std::string(command) == "run") args.insert(args.end(), {"--out", (dir / "out").string()});
    const auto start = std::chrono::steady_clock::now();
    const ProcessResult r = run_cbsim(args);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string shown = r.err.substr(0, 400);
    EXPECT_EQ(r.exit_code, 2) << c.label << " " << command << ": " << shown;
    EXPECT_LT(seconds, 10.0 * cbsim::test::kTimeBudgetFactor) << c.label << " " << command;
    EXPECT_LT(r.err.size(), 400u) << c.label << " " << command << ": " << shown;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << shown;
    EXPECT_NE(r.err.find(c.expected_path), std::string::npos) << shown;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << shown;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace

TEST(HugeInput, LongNameIsRefusedNotACrash) {
  expect_short_refusal({"long_name", "{\"name\": \"" + std::string(100000, 'n') + "\"}", {}, "name"});
}

TEST(HugeInput, UnknownKeyOf300000CharactersIsRefusedShortly) {
  expect_short_refusal({"long_key", "{\"nodes\": {\"" + std::string(300000, 'k') + "\": 1}}", {}, "nodes.kkkk"});
}

TEST(HugeInput, TenMegabyteValuesAreRefusedShortly) {
  expect_short_refusal(
      {"long_value", "{\"description\": \"" + std::string(10'000'000, 'd') + "\"}", {}, "description"});
  expect_short_refusal(
      {"long_number", "{\"seed\": 1" + std::string(10'000'000, '0') + "}", {}, "seed"});
}

// Read until memory ran out: a scenario is read up to a bound.
TEST(HugeInput, EndlessFileIsRefused) {
  const ProcessResult r = run_cbsim({"validate", "/dev/zero"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/dev/zero: is larger than 64 MB"), std::string::npos) << r.err;
}
