#pragma once
// Checks of one field's value against its entry in the field table, and of the
// rules that tie several fields together. Problems are returned, not thrown,
// so the loader alone decides how to report them (it knows the file).

#include "sim/scenario/field_table.h"
#include "sim/scenario/scenario.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cbsim::scenario {

struct FieldProblem {
  std::string path;    // may index into an array: "network.region_shares[2]"
  std::string reason;
};

// "string \"fast\"", "number 3.5", "array": the value as a reader would name it.
std::string describe_value(const nlohmann::json& value);

// Validates `value` for `field` and normalises it in place: integral floats
// become integers for integer fields, integers become doubles for number fields.
std::optional<FieldProblem> check_field_value(const FieldSpec& field, nlohmann::json& value);
// The same for a value of `type` under `rules` found at `path` (an item's field).
std::optional<FieldProblem> check_value(const std::string& path, FieldType type, const FieldRules& rules,
                                        nlohmann::json& value);
// A list of objects: each an object, no unknown or missing required fields,
// each field valid and meant for the entry's kind. Paths like "faults[2].at_s".
std::optional<FieldProblem> check_object_array(const std::string& path, const std::vector<ItemFieldSpec>& items,
                                               nlohmann::json& value);

// pbft or hotstuff: replicas, clients and the committee section apply.
inline bool is_committee_protocol(const std::string& protocol) { return protocol == "pbft" || protocol == "hotstuff"; }

// Rules across fields, checked on the typed scenario once every field is valid.
std::optional<FieldProblem> find_cross_field_problem(const Scenario& scenario);

}  // namespace cbsim::scenario
