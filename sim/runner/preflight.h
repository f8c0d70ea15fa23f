#pragma once
// Checks that depend on more than one field and need model code (for example
// that the configured topology is connected, or that the run's estimated
// memory fits limits.max_memory_mb), run before anything else so that
// `cbsim validate`, `cbsim run` and the Python bindings reject such scenarios
// the same way. Throws scenario::ScenarioError naming the field.

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

void preflight(const scenario::Scenario& scenario);

}  // namespace cbsim::sim
