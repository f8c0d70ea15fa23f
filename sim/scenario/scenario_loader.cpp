#include "sim/scenario/scenario_loader.h"

#include "sim/scenario/field_table.h"
#include "sim/scenario/unknown_fields.h"
#include "sim/scenario/user_text.h"
#include "sim/scenario/value_checks.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

constexpr const char* kNumberTooLarge = "number too large: beyond the largest double, about 1.8e308";

std::string error_text(const std::string& file, const std::string& path, const std::string& reason) {
  return path.empty() ? file + ": " + reason : file + ": " + path + ": " + reason;
}

json::json_pointer pointer_to(const std::string& path) {
  std::string pointer = "/" + path;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  return json::json_pointer(pointer);
}

// The largest scenario text read: a million-node fault list is 7 MB, and the
// parsed JSON takes some ten times the text's size in memory.
constexpr std::size_t kMaxScenarioBytes = 64 << 20;

std::string too_large() {
  return "is larger than " + std::to_string(kMaxScenarioBytes >> 20) + " MB, the most a scenario may be";
}

// Stops one chunk beyond the limit, so that /dev/zero or a pipe that never
// ends is refused like a file too large, not read until memory runs out.
std::string read_text_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw ScenarioError(path, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  std::vector<char> chunk(1 << 16);
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes) throw ScenarioError(path, "", too_large());
  }
  if (in.bad()) throw ScenarioError(path, "", "cannot read the file");
  return text;
}

// A scenario nests four levels (faults[0].nodes[0]); anything much deeper is
// not a scenario, and each open level costs memory while parsing.
constexpr std::size_t kMaxNesting = 32;

// Where the parser is: the open objects and arrays, each with its current key
// or index, so that an error found while parsing names its field.
class ParsePosition {
 public:
  // Follows one event of nlohmann's parser callback; returns the path of a
  // key given twice in one object the first time it sees one.
  std::optional<std::string> follow(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        open_.push_back({.is_array = event == Event::array_start});
        break;
      case Event::object_end:
      case Event::array_end:
        open_.pop_back();
        next_element();
        break;
      case Event::key:
        if (open_.empty()) break;
        open_.back().key = parsed.get<std::string>();
        if (!open_.back().keys.insert(open_.back().key).second) return path();
        break;
      case Event::value:
        next_element();
        break;
    }
    return std::nullopt;
  }

  std::size_t depth() const { return open_.size(); }

  // "faults[2].nodes[0]": the value being parsed.
  std::string path() const {
    std::string text;
    for (const Level& level : open_) {
      if (level.is_array) {
        text += "[" + std::to_string(level.index) + "]";
      } else if (!level.key.empty()) {
        text += (text.empty() ? "" : ".") + level.key;
      }
    }
    return text;
  }

 private:
  struct Level {
    bool is_array = false;
    std::size_t index = 0;  // arrays: the element being parsed
    std::string key{};      // objects: the member being parsed
    std::set<std::string> keys{};
  };

  void next_element() {
    if (!open_.empty() && open_.back().is_array) ++open_.back().index;
  }

  std::vector<Level> open_;
};

// nlohmann's message after its "[json.exception.parse_error.101] " prefix,
// with the token it quotes ("last read: '...'") shortened: it may be a 10 MB string.
std::string parse_error_reason(const std::string& what) {
  const auto start = what.find("] ");
  std::string reason = start == std::string::npos ? what : what.substr(start + 2);
  const std::string quote_start = "last read: '";
  const auto token = reason.find(quote_start);
  if (token == std::string::npos) return reason;
  const auto token_start = token + quote_start.size();
  const auto token_end = reason.rfind('\'');
  const std::string quoted = token_end > token_start ? reason.substr(token_start, token_end - token_start) : "";
  return reason.substr(0, token_start) + echoed(quoted) + "'";
}

// nlohmann keeps the last of duplicate keys without a word; in a scenario a
// field given twice is almost always an edit gone wrong, so it is an error.
json parse_document(const std::string& text, const std::string& label) {
  ParsePosition position;
  std::optional<std::string> duplicate;
  const json::parser_callback_t track = [&](int, json::parse_event_t event, json& parsed) {
    const bool opens = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && position.depth() >= kMaxNesting)
      throw ScenarioError(label, position.path(), "nested deeper than " + std::to_string(kMaxNesting) + " levels");
    auto twice = position.follow(event, parsed);
    if (twice && !duplicate) duplicate = std::move(twice);
    return true;
  };

  json doc;
  try {
    doc = json::parse(text, track);
  } catch (const json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ..."
    throw ScenarioError(label, "", "invalid JSON: " + parse_error_reason(e.what()));
  } catch (const json::out_of_range&) {
    // 406: a number beyond a double's range (1e400, a million digits); the
    // parser stopped at it, so the position is its field.
    throw ScenarioError(label, position.path(), kNumberTooLarge);
  }
  if (duplicate) throw ScenarioError(label, *duplicate, "duplicate field");
  return doc;
}

void require_object_document(const json& doc, const std::string& label) {
  if (!doc.is_object()) {
    throw ScenarioError(label, "", "expected a JSON object at the top level, got " + describe_value(doc));
  }
}

std::string override_note(const std::string& assignment) { return " (override \"" + echoed(assignment) + "\")"; }

// The assignment that set `problem_path` last, if an override did.
const std::string* override_behind(const std::string& problem_path, const std::vector<std::string>& overrides) {
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    const std::string path = it->substr(0, it->find('='));
    if (problem_path == path || problem_path.starts_with(path + "[")) return &*it;
  }
  return nullptr;
}

// Throws json::out_of_range for a number beyond a double's range given to a
// field that is not a string.
json parse_override_value(const FieldSpec& field, const std::string& text) {
  try {
    json value = json::parse(text);
    if (field.type == FieldType::string && !value.is_string()) return text;
    return value;
  } catch (const json::parse_error&) {
    return text;
  } catch (const json::out_of_range&) {
    if (field.type == FieldType::string) return text;
    throw;
  }
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

// The path may hold a key the user wrote: shown as echoed() shows user text.
ScenarioError::ScenarioError(std::string file_name, std::string field_path, std::string why)
    : std::runtime_error(error_text(file_name, echoed(field_path), why)),
      file(std::move(file_name)),
      path(echoed(field_path)),
      reason(std::move(why)) {}

void apply_override(json& doc, const std::string& assignment, const std::string& origin_label) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw ScenarioError(origin_label, "",
                        "override \"" + echoed(assignment) + "\" is not of the form path=value (e.g. nodes.count=1000)");
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
  try {
    doc[pointer_to(path)] = parse_override_value(*field, assignment.substr(equals + 1));
  } catch (const json::out_of_range&) {
    throw ScenarioError(origin_label, path, kNumberTooLarge + override_note(assignment));
  }
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
    throw ScenarioError(origin_label, "costs.profile", e.reason + ": " + echoed(path.string()));
  } catch (const json::parse_error& e) {
    throw ScenarioError(origin_label, "costs.profile", echoed(path.string()) + " is not valid JSON: " +
                                                            parse_error_reason(e.what()));
  } catch (const json::out_of_range&) {
    throw ScenarioError(origin_label, "costs.profile", echoed(path.string()) + ": " + kNumberTooLarge);
  }
  if (!profile.is_object() || !profile.contains("costs") || !profile["costs"].is_object())
    throw ScenarioError(origin_label, "costs.profile", echoed(path.string()) + " has no \"costs\" object (cbsim calibrate writes one)");
  for (const auto& [key, value] : profile["costs"].items()) {
    if (key == "profile" || !find_field("costs." + key))
      throw ScenarioError(origin_label, "costs.profile",
                          echoed(path.string()) + ": unknown cost field \"" + echoed(key) + "\"");
    if (!doc["costs"].contains(key)) doc["costs"][key] = value;
  }
  doc["costs"].erase("profile");
}


Scenario load_scenario_text(const std::string& json_text, const std::string& origin_label,
                            const std::vector<std::string>& overrides) {
  if (json_text.size() > kMaxScenarioBytes) throw ScenarioError(origin_label, "", too_large());
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
