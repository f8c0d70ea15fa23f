#include "sim/runner/preflight.h"

#include "sim/runner/overlay.h"
#include "sim/scenario/scenario_loader.h"

namespace cbsim::sim {

void preflight(const scenario::Scenario& s) {
  if (s.consensus.protocol != "nakamoto")
    throw scenario::ScenarioError(s.source, "consensus.protocol",
                                  "protocol " + s.consensus.protocol + " is not simulated yet");
  (void)build_overlay(s);
}

}  // namespace cbsim::sim
