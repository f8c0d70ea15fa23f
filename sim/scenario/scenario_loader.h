#pragma once
// Scenario files in, a validated Scenario out, or one error naming the file,
// the JSON path of the wrong field and the reason. Everything a field may be is
// read from the field table (field_table.h).

#include "sim/scenario/scenario.h"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace cbsim::scenario {

// what() is "<file>: <json.path>: <reason>" on one line, or "<file>: <reason>"
// when the problem is not in one field (unreadable file, invalid JSON, bad
// override syntax).
struct ScenarioError : std::runtime_error {
  ScenarioError(std::string file, std::string path, std::string reason);
  std::string file;
  std::string path;
  std::string reason;
};

// Loads, applies overrides, validates, fills defaults. Throws ScenarioError for
// a missing or unreadable file, invalid JSON (with line and column), a
// duplicate or unknown field (suggesting the closest known one), a wrong type,
// a value out of range or not among the allowed ones, a bad override, or a
// rule across fields. Nothing is returned on error.
// `name` defaults to the file's stem; Scenario::source is `path`.
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});
// As above for text; `origin_label` stands for the file in errors, and its
// stem is the default name.
Scenario load_scenario_text(const std::string& json_text, const std::string& origin_label,
                            const std::vector<std::string>& overrides = {});

// Sets one field from "a.b.c=value" (split at the first '='). The value is
// parsed as JSON if it parses (numbers, true/false, arrays, quoted strings),
// else taken as a plain string; for string fields unquoted text is always
// taken as it is, so name=2024 sets the string "2024". The path must be a
// known field. The value is checked later, with the rest of the scenario.
void apply_override(nlohmann::json& doc, const std::string& assignment, const std::string& origin_label);

// JSON Schema (draft 2020-12) of scenario files, generated from the field
// table; additionalProperties is false everywhere. Rules across fields (array
// lengths, miners <= count, ...) are only in the loader.
nlohmann::json json_schema();
// The field reference of scenarios/README.md: one Markdown table per section
// with field, type, default, allowed values, unit and description.
std::string fields_markdown();

}  // namespace cbsim::scenario
