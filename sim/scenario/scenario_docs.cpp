// json_schema() and fields_markdown() (declared in scenario_loader.h): the two
// documents generated from the field table, checked against scenarios/ by
// tests/scenario/test_docs_up_to_date.cpp.

#include "sim/scenario/field_table.h"
#include "sim/scenario/scenario_loader.h"

#include <string>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

std::string_view schema_type(FieldType type) {
  return type == FieldType::number_array ? "array" : type_name(type);
}

std::string schema_description(const FieldSpec& field) {
  std::string text = field.rules.description;
  if (!field.rules.unit.empty()) text += " Unit: " + field.rules.unit + ".";
  if (!field.rules.default_note.empty()) text += " Default: " + field.rules.default_note + ".";
  return text;
}

json field_schema(const FieldSpec& field) {
  json schema = {{"type", schema_type(field.type)}, {"description", schema_description(field)}};
  if (field.rules.default_note.empty()) schema["default"] = field.default_value();
  // Array bounds constrain each element.
  json& constrained = field.type == FieldType::number_array ? (schema["items"] = {{"type", "number"}}) : schema;
  if (const auto& lo = field.rules.min) constrained[lo->exclusive ? "exclusiveMinimum" : "minimum"] = lo->value;
  if (const auto& hi = field.rules.max) constrained[hi->exclusive ? "exclusiveMaximum" : "maximum"] = hi->value;
  if (!field.rules.allowed.empty()) constrained["enum"] = field.rules.allowed;
  if (!field.rules.pattern.empty()) constrained["pattern"] = field.rules.pattern;
  return schema;
}

json object_schema(const std::string& description) {
  return {{"type", "object"},
          {"description", description},
          {"additionalProperties", false},
          {"properties", json::object()}};
}

std::string cell(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string allowed_values(const FieldSpec& field) {
  const auto& rules = field.rules;
  std::string text;
  for (const auto& value : rules.allowed) text += (text.empty() ? "`" : ", `") + value + "`";
  if (!rules.pattern.empty()) text += rules.pattern_meaning;
  const std::string range = range_text(rules);
  if (!range.empty()) text += (field.type == FieldType::number_array ? "each " : "") + range;
  return text;
}

std::string markdown_row(const FieldSpec& field) {
  const std::string default_text =
      field.rules.default_note.empty() ? "`" + field.default_value().dump() + "`" : field.rules.default_note;
  return "| `" + field.path + "` | " + std::string(type_name(field.type)) + " | " + cell(default_text) + " | " +
         cell(allowed_values(field)) + " | " + cell(field.rules.unit) + " | " + cell(field.rules.description) +
         " |\n";
}

}  // namespace

json json_schema() {
  json schema = object_schema(
      "A cbsim scenario: one experiment. Generated from sim/scenario/field_table.cpp; rules across fields "
      "(region_shares length, miners <= count, degree < count) are checked by the loader only.");
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["title"] = "cbsim scenario";
  for (const auto& section : sections()) {
    if (!section.name.empty()) schema["properties"][section.name] = object_schema(section.description);
  }
  for (const auto& field : field_table()) {
    const std::string section(field.section());
    json& properties = section.empty() ? schema["properties"] : schema["properties"][section]["properties"];
    properties[std::string(field.leaf())] = field_schema(field);
  }
  return schema;
}

std::string fields_markdown() {
  std::string text;
  for (const auto& section : sections()) {
    text += (text.empty() ? "" : "\n") + std::string("### ") +
            (section.name.empty() ? "Top level" : "`" + section.name + "`") + "\n\n" + section.description +
            "\n\n| field | type | default | allowed values | unit | description |\n"
            "| --- | --- | --- | --- | --- | --- |\n";
    for (const auto& field : field_table()) {
      if (field.section() == section.name) text += markdown_row(field);
    }
  }
  return text;
}

}  // namespace cbsim::scenario
