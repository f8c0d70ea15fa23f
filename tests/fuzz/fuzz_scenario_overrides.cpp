// Fuzz target: `--set` override strings -> the loader, applied to a shipped
// scenario as `cbsim validate scenarios/X.json --set ... --set ...` would.
// The input is text: its first line names the scenario (the stem of a file in
// scenarios/, else one is picked by the line's length), each further line is
// one override (at most kMaxOverrides). The same findings as for scenario text.
// Unlike fuzz_scenario_text it does not run sim::preflight: building the
// shipped scenarios' overlays (thousands of nodes) took most of the time and
// left 13 inputs a second; the overlay is fuzzed from scenario text.

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_loader.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr std::size_t kMaxOverrides = 8;

struct ShippedScenario {
  std::string stem;
  std::string path;
  std::string text;
};

// Read once: the fuzzer calls the target millions of times.
const std::vector<ShippedScenario>& shipped_scenarios() {
  static const std::vector<ShippedScenario> scenarios = [] {
    std::vector<ShippedScenario> found;
    for (const auto& entry : std::filesystem::directory_iterator(CBSIM_SOURCE_DIR "/scenarios")) {
      if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
      std::ifstream in(entry.path());
      std::ostringstream text;
      text << in.rdbuf();
      found.push_back({entry.path().stem().string(), entry.path().string(), text.str()});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.stem < b.stem; });
    if (found.empty()) cbsim::fuzz::finding("no scenarios in " CBSIM_SOURCE_DIR "/scenarios");
    return found;
  }();
  return scenarios;
}

const ShippedScenario& pick(const std::string& line) {
  const auto& all = shipped_scenarios();
  const auto named = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.stem == line; });
  return named != all.end() ? *named : all[line.size() % all.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream lines(cbsim::fuzz::as_text({data, size}));
  std::string first;
  std::getline(lines, first);
  std::vector<std::string> overrides;
  for (std::string line; overrides.size() < kMaxOverrides && std::getline(lines, line);) overrides.push_back(line);

  const ShippedScenario& base = pick(first);
  try {
    (void)cbsim::scenario::load_scenario_text(base.text, base.path, overrides);
  } catch (const cbsim::scenario::ScenarioError&) {
  } catch (const std::exception& e) {
    cbsim::fuzz::finding("an override made the loader throw something other than ScenarioError", e.what());
  }
  return 0;
}
