#pragma once
// The faults list of a scenario in JSON and back, field by field through
// fault_field_table() (declared in field_table.h with the other tables).

#include <nlohmann/json.hpp>
#include <vector>

#include "sim/scenario/scenario.h"

namespace cbsim::scenario {

// Each fault with the fields that apply to its kind (defaults filled in), so
// that a resolved scenario loads again unchanged.
nlohmann::json faults_to_json(const std::vector<FaultConfig>& faults);
// `value` has been validated (check_field_value) and normalised.
std::vector<FaultConfig> faults_from_json(const nlohmann::json& value);

}  // namespace cbsim::scenario
