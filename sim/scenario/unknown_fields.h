#pragma once
// Finding fields a scenario names that the field table does not know, and
// suggesting what was probably meant: most bad scenario files are typos.

#include "sim/scenario/value_checks.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::scenario {

// The first unknown field of `doc` (a JSON object) in key order, or a section
// that is not an object.
std::optional<FieldProblem> find_unknown_field(const nlohmann::json& doc);

// "unknown field", plus "; did you mean \"nodes.count\"?" when a known field or
// section is within edit distance 2 at the same level, or has the same name in
// another section.
std::string unknown_field_reason(std::string_view path);
// The same for a field of an item of a list of objects (a fault), among `items`.
std::string unknown_item_field_reason(std::string_view name, const std::vector<ItemFieldSpec>& items);

}  // namespace cbsim::scenario
