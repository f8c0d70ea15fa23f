#include "sim/scenario/scenario_loader.h"

#include "sim/scenario/field_table.h"
#include "sim/scenario/unknown_fields.h"
#include "sim/scenario/value_checks.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

std::string error_text(const std::string& file, const std::string& path, const std::string& reason) {
  return path.empty() ? file + ": " + reason : file + ": " + path + ": " + reason;
}

json::json_pointer pointer_to(const std::string& path) {
  std::string pointer = "/" + path;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return json::json_pointer(pointer);
}

std::string read_text_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw ScenarioError(path, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ScenarioError(path, "", "cannot read the file");
  return text.str();
}

// nlohmann keeps the last of duplicate keys without a word; in a scenario a
// field given twice is almost always an edit gone wrong, so it is an error.
json parse_document(const std::string& text, const std::string& label) {
  struct Frame {
    std::set<std::string> keys;
    std::string current_key;
  };
  std::vector<Frame> open;
  std::optional<std::string> duplicate;
  const json::parser_callback_t track = [&](int, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (event == Event::object_start || event == Event::array_start) open.emplace_back();
    if (event == Event::object_end || event == Event::array_end) open.pop_back();
    if (event == Event::key && !open.empty()) {
      open.back().current_key = parsed.get<std::string>();
      if (!open.back().keys.insert(open.back().current_key).second && !duplicate) {
        std::string path;
        for (const auto& frame : open) {
          if (!frame.current_key.empty()) path += (path.empty() ? "" : ".") + frame.current_key;
        }
        duplicate = path;
      }
    }
    return true;
  };

  json doc;
  try {
    doc = json::parse(text, track);
  } catch (const json::parse_error& e) {
    // e.what() starts with "[json.exception.parse_error.101] parse error at line L, column C: ..."
    const std::string what = e.what();
    const auto start = what.find("] ");
    throw ScenarioError(label, "", "invalid JSON: " + (start == std::string::npos ? what : what.substr(start + 2)));
  }
  if (duplicate) throw ScenarioError(label, *duplicate, "duplicate field");
  return doc;
}

void require_object_document(const json& doc, const std::string& label) {
  if (!doc.is_object()) {
    throw ScenarioError(label, "", "expected a JSON object at the top level, got " + describe_value(doc));
  }
}

std::string override_note(const std::string& assignment) { return " (override \"" + assignment + "\")"; }

// The assignment that set `problem_path` last, if an override did.
const std::string* override_behind(const std::string& problem_path, const std::vector<std::string>& overrides) {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    const std::string path = it->substr(0, it->find('='));
    if (problem_path == path || problem_path.starts_with(path + "[")) return &*it;
  }
  return nullptr;
}

json parse_override_value(const FieldSpec& field, const std::string& text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || (field.type == FieldType::string && !value.is_string())) return text;
  return value;
}

std::optional<FieldProblem> fill_scenario(json doc, Scenario& scenario) {
  if (auto problem = find_unknown_field(doc)) return problem;
  for (const auto& field : field_table()) {
    const auto pointer = pointer_to(field.path);
    if (!doc.contains(pointer)) continue;  // the member keeps its default
    json& value = doc[pointer];
    if (auto problem = check_field_value(field, value)) return problem;
    field.write(scenario, value);
  }
  return find_cross_field_problem(scenario);
}

json resolved_json(const Scenario& scenario) {
  json resolved = json::object();
  for (const auto& field : field_table()) resolved[pointer_to(field.path)] = field.read(scenario);
  return resolved;
}

}  // namespace

ScenarioError::ScenarioError(std::string file_name, std::string field_path, std::string why)
    : std::runtime_error(error_text(file_name, field_path, why)),
      file(std::move(file_name)),
      path(std::move(field_path)),
      reason(std::move(why)) {}

void apply_override(json& doc, const std::string& assignment, const std::string& origin_label) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ScenarioError(origin_label, "",
                        "override \"" + assignment + "\" is not of the form path=value (e.g. nodes.count=1000)");
  }
  const std::string path = assignment.substr(0, equals);
  const FieldSpec* field = find_field(path);
  if (!field) {
    const std::string reason = is_section(path) ? "is a section; an override sets one of its fields"
                                                : unknown_field_reason(path);
    throw ScenarioError(origin_label, path, reason + override_note(assignment));
  }
  require_object_document(doc, origin_label);
  const std::string section(field->section());
  if (!section.empty() && doc.contains(section) && !doc[section].is_object()) {
    throw ScenarioError(origin_label, section, "expected object, got " + describe_value(doc[section]));
  }
  doc[pointer_to(path)] = parse_override_value(*field, assignment.substr(equals + 1));
}

// costs.profile: the profile's cycles fill the costs fields the scenario does
// not set; the path itself is dropped so that the resolved scenario needs no file.
static void apply_cost_profile(json& doc, const std::string& origin_label) {
  const json::json_pointer where("/costs/profile");
  if (!doc.contains(where) || !doc[where].is_string() || doc[where].get<std::string>().empty()) return;
  const std::string name = doc[where].get<std::string>();
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(origin_label).parent_path() / path;
  json profile;
  try {
    profile = json::parse(read_text_file(path.string()));
  } catch (const ScenarioError& e) {
    throw ScenarioError(origin_label, "costs.profile", e.reason + ": " + path.string());
  } catch (const json::parse_error&) {
    throw ScenarioError(origin_label, "costs.profile", path.string() + " is not valid JSON");
  }
  if (!profile.is_object() || !profile.contains("costs") || !profile["costs"].is_object())
    throw ScenarioError(origin_label, "costs.profile", path.string() + " has no \"costs\" object (cbsim calibrate writes one)");
  for (const auto& [key, value] : profile["costs"].items()) {
    if (key == "profile" || !find_field("costs." + key))
      throw ScenarioError(origin_label, "costs.profile", path.string() + ": unknown cost field \"" + key + "\"");
    if (!doc["costs"].contains(key)) doc["costs"][key] = value;
  }
  doc["costs"].erase("profile");
}


Scenario load_scenario_text(const std::string& json_text, const std::string& origin_label,
                            const std::vector<std::string>& overrides) {
  json doc = parse_document(json_text, origin_label);
  require_object_document(doc, origin_label);
  for (const auto& assignment : overrides) apply_override(doc, assignment, origin_label);
  apply_cost_profile(doc, origin_label);
  if (!doc.contains("name")) {
    const std::string stem = std::filesystem::path(origin_label).stem().string();
    doc["name"] = stem.empty() ? "scenario" : stem;
  }

  Scenario scenario;
  if (auto problem = fill_scenario(std::move(doc), scenario)) {
    const std::string* assignment = override_behind(problem->path, overrides);
    throw ScenarioError(origin_label, problem->path, problem->reason + (assignment ? override_note(*assignment) : ""));
  }
  scenario.resolved = resolved_json(scenario);
  return scenario;
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  Scenario scenario = load_scenario_text(read_text_file(path), path, overrides);
  scenario.source = path;
  return scenario;
}

}  // namespace cbsim::scenario
