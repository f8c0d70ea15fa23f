#pragma once
// The integrity experiment of a scenario's integrity section: a real store
// whose Merkle root a tenant anchors through DataAnchor.sol (executed in
// cbsim's EVM for its gas), a provider tampering with some objects, and
// audits of each listed sample size (models/integrity/audit_experiment.h).

#include <nlohmann/json.hpp>

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

bool integrity_enabled(const scenario::Scenario& s);
// metrics.json's "integrity": the store, the anchoring gas, and per sample
// size the detection at the first audit against 1 - (1 - t)^s (with its 95 %
// binomial interval) and the mean delay to detection against its model.
nlohmann::json run_integrity_experiment(const scenario::Scenario& s);

}  // namespace cbsim::sim
