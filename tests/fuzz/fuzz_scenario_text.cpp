// Fuzz target: scenario text -> the loader and the checks `cbsim validate`
// runs (scenario::load_scenario_text, then sim::preflight).
// A finding: a crash, a hang, a leak, undefined behaviour, or any exception
// other than ScenarioError (which the command line would print as
// "internal error" with exit 1 instead of a clear error with exit 2).

#include <exception>
#include <string>

#include "sim/runner/preflight.h"
#include "sim/scenario/scenario_loader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = cbsim::fuzz::as_text({data, size});
  try {
    const cbsim::scenario::Scenario scenario = cbsim::scenario::load_scenario_text(text, "fuzz-input.json");
    cbsim::sim::preflight(scenario);
  } catch (const cbsim::scenario::ScenarioError&) {
    // Bad input reported as the command line reports it: exit 2.
  } catch (const std::exception& e) {
    cbsim::fuzz::finding("the loader threw something other than ScenarioError", e.what());
  }
  return 0;
}
