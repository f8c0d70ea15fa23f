#pragma once
// Checks that depend on more than one field and need model code (for example
// that the configured topology is connected), run before anything else so
// that `cbsim validate` and `cbsim run` reject such scenarios the same way.
// Throws scenario::ScenarioError naming the field.

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

void preflight(const scenario::Scenario& scenario);

}  // namespace cbsim::sim
