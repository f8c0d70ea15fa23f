#pragma once
// Runs a committee scenario with overrides and returns its metrics.json, with
// the rows of requests.csv as "requests" ([submitted_s, accepted_s or null]).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/sim/cbsim_process.h"

namespace cbsim::test {

inline nlohmann::json run_committee_scenario(const std::string& scenario, const std::string& label,
                                             const std::vector<std::string>& overrides, int expected_exit = 0) {
  const auto dir = scratch_dir("committee-" + label);
  std::vector<std::string> args = {"run", scenario_path(scenario), "--out", dir.string(), "--quiet"};
  for (const auto& o : overrides) args.insert(args.end(), {"--set", o});
  const ProcessResult r = run_cbsim(args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  nlohmann::json m = read_json(dir / "metrics.json");
  m["requests"] = nlohmann::json::array();
  // request,client,submitted_s,accepted_s,latency_s,replies
  for (const auto& cells : read_csv_rows(dir / "requests.csv")) {
    const bool accepted = !cells.at(3).empty();
    m["requests"].push_back({std::stod(cells.at(2)), accepted ? nlohmann::json(std::stod(cells[3])) : nlohmann::json()});
  }
  std::filesystem::remove_all(dir);
  return m;
}

}  // namespace cbsim::test
