#include "sim/runner/preflight.h"

#include "sim/runner/overlay.h"

namespace cbsim::sim {

void preflight(const scenario::Scenario& s) {
  // consensus.protocol and attack.kind are enums of the field table, checked on load.
  (void)build_overlay(s);
}

}  // namespace cbsim::sim
