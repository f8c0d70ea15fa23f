#pragma once
// The one table of scenario fields. Validation, default filling, the typed
// Scenario, the resolved JSON, the JSON Schema and scenarios/README.md are all
// derived from it, so a field is added or changed in exactly one place.

#include "sim/scenario/scenario.h"

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::scenario {

// object_array: a list of objects whose fields are described by an item table
// (ItemFieldSpec); the faults list is the one such field.
enum class FieldType { integer, number, string, boolean, number_array, integer_array, string_array, object_array };

// As written in messages, the schema and the docs: "integer", "array of numbers", ...
std::string_view type_name(FieldType type);

struct Bound {
  nlohmann::json value;  // an integer for integer fields, so messages show "2", not "2.0"
  bool exclusive = false;
};
Bound at_least(nlohmann::json value);
Bound above(nlohmann::json value);
Bound at_most(nlohmann::json value);
Bound below(nlohmann::json value);

// The length limit of a string field that does not set its own.
inline constexpr std::size_t kMaxTextBytes = 1024;

// What a value may be and what it means. For number arrays the bounds apply to
// each element. Every member has an initializer so that a table entry names
// only the rules it uses without tripping -Wmissing-field-initializers.
struct FieldRules {
  std::optional<Bound> min{};
  std::optional<Bound> max{};
  std::vector<std::string> allowed{};  // non-empty: the value must be one of these
  // Strings, and each string of a string array, are at most this many bytes:
  // no field needs more, and a 10 MB value is a mistake, not a description.
  std::size_t max_length = kMaxTextBytes;
  // A rule on a string's characters, checked by hand (never by std::regex,
  // whose matching recurses per character and overflows the stack on long text).
  bool (*accepts)(std::string_view) = nullptr;
  std::string pattern{};          // `accepts` as an ECMAScript regex, exported for JSON Schema users only
  std::string pattern_meaning{};  // `accepts` in words, for messages and docs
  std::string unit{};
  std::string description{};
  std::string default_note{};  // replaces the default in the docs when it is computed at load time
};

// A field of each object of the faults list. `kinds` names the values of the
// item's "kind" for which the field means something; giving it for another
// kind is an error (a loss rate on a crash is a mistake, not a no-op).
struct ItemFieldSpec {
  std::string name;
  FieldType type;
  FieldRules rules;
  bool required = false;
  std::vector<std::string> kinds{};  // empty = every kind
  std::function<nlohmann::json(const FaultConfig&)> read;
  std::function<void(FaultConfig&, const nlohmann::json&)> write;

  nlohmann::json default_value() const { return read(FaultConfig{}); }
  bool applies_to(const std::string& kind) const;
};

// The fields of a fault (the items of the top-level "faults" list).
const std::vector<ItemFieldSpec>& fault_field_table();

struct FieldSpec {
  std::string path;  // "consensus.block_interval_s"; top-level fields have no dot
  FieldType type;
  FieldRules rules;
  // Bind the field to its member of Scenario. Values passed to write() have
  // been validated and normalised (integers as JSON integers, numbers as doubles).
  std::function<nlohmann::json(const Scenario&)> read;
  std::function<void(Scenario&, const nlohmann::json&)> write;
  const std::vector<ItemFieldSpec>* items = nullptr;  // object_array: the fields of each object

  // The default is whatever a default-constructed Scenario holds, so
  // scenario.h stays the single source of default values.
  nlohmann::json default_value() const { return read(Scenario{}); }
  std::string_view section() const;  // "" for top-level fields
  std::string_view leaf() const;
};

struct SectionSpec {
  std::string name;  // "" is the top level
  std::string description;
};

const std::vector<SectionSpec>& sections();
const std::vector<FieldSpec>& field_table();
const FieldSpec* find_field(std::string_view path);
bool is_section(std::string_view name);

// The region tables a scenario may name, with how many regions each has.
std::vector<std::string> region_set_names();
std::size_t region_count(std::string_view region_set);

// "(0, 86400]", ">= 0", "[2, 1000000]"; "" when the field has no bounds.
std::string range_text(const FieldRules& rules);

}  // namespace cbsim::scenario
