#include "sim/runner/preflight.h"

#include "sim/runner/overlay.h"

namespace cbsim::sim {

void preflight(const scenario::Scenario& s) {
  // consensus.protocol and attack.kind are enums of the field table, checked on load.
  // A committee is a full mesh: there is no overlay to build.
  if (s.consensus.protocol == "nakamoto") (void)build_overlay(s);
}

}  // namespace cbsim::sim
