// json_schema() and fields_markdown() (declared in scenario_loader.h): the two
// documents generated from the field table, checked against scenarios/ by
// tests/scenario/test_docs_up_to_date.cpp.

#include "sim/scenario/field_table.h"
#include "sim/scenario/scenario_loader.h"

#include <string>

namespace cbsim::scenario {
namespace {

using nlohmann::json;

bool is_array(FieldType type) {
  return type == FieldType::number_array || type == FieldType::integer_array || type == FieldType::string_array ||
         type == FieldType::object_array;
}

// A string (or strings) not limited to a list of values: its length limit is
// worth stating. JSON Schema's maxLength counts characters, the loader bytes:
// they agree on ASCII, and otherwise the loader is the stricter of the two.
bool is_free_text(FieldType type, const FieldRules& rules) {
  return (type == FieldType::string || type == FieldType::string_array) && rules.allowed.empty();
}

std::string_view schema_type(FieldType type) {
  return is_array(type) ? "array" : type_name(type);
}

std::string schema_description(const FieldRules& rules) {
  std::string text = rules.description;
  if (!rules.unit.empty()) text += " Unit: " + rules.unit + ".";
  if (!rules.default_note.empty()) text += " Default: " + rules.default_note + ".";
  return text;
}

// Type, description, bounds, allowed values and pattern; array bounds constrain each element.
json value_schema(FieldType type, const FieldRules& rules) {
  json schema = {{"type", schema_type(type)}, {"description", schema_description(rules)}};
  json* constrained = &schema;
  if (type == FieldType::number_array) constrained = &(schema["items"] = {{"type", "number"}});
  if (type == FieldType::integer_array) constrained = &(schema["items"] = {{"type", "integer"}});
  if (type == FieldType::string_array) constrained = &(schema["items"] = {{"type", "string"}});
  if (const auto& lo = rules.min) (*constrained)[lo->exclusive ? "exclusiveMinimum" : "minimum"] = lo->value;
  if (const auto& hi = rules.max) (*constrained)[hi->exclusive ? "exclusiveMaximum" : "maximum"] = hi->value;
  if (!rules.allowed.empty()) (*constrained)["enum"] = rules.allowed;
  if (is_free_text(type, rules)) (*constrained)["maxLength"] = rules.max_length;
  if (!rules.pattern.empty()) (*constrained)["pattern"] = rules.pattern;
  return schema;
}

json items_schema(const std::vector<ItemFieldSpec>& items) {
  json schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
  json required = json::array();
  for (const ItemFieldSpec& item : items) {
    json property = value_schema(item.type, item.rules);
    if (!item.required) property["default"] = item.default_value();
    schema["properties"][item.name] = std::move(property);
    if (item.required) required.push_back(item.name);
  }
  schema["required"] = required;
  return schema;
}

json field_schema(const FieldSpec& field) {
  json schema = value_schema(field.type, field.rules);
  if (field.rules.default_note.empty()) schema["default"] = field.default_value();
  if (field.type == FieldType::object_array) schema["items"] = items_schema(*field.items);
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

std::string allowed_values(FieldType type, const FieldRules& rules) {
  std::string text;
  for (const auto& value : rules.allowed) text += (text.empty() ? "`" : ", `") + value + "`";
  if (!rules.pattern.empty()) text += rules.pattern_meaning + ", ";
  if (is_free_text(type, rules)) text += (type == FieldType::string_array ? "each " : "") + std::string("at most ") +
                                         std::to_string(rules.max_length) + " bytes";
  const std::string range = range_text(rules);
  if (!range.empty()) text += (is_array(type) ? "each " : "") + range;
  return text;
}

std::string table_row(const std::string& name, FieldType type, const std::string& default_text,
                      const FieldRules& rules, const std::string& description) {
  return "| `" + name + "` | " + std::string(type_name(type)) + " | " + cell(default_text) + " | " +
         cell(allowed_values(type, rules)) + " | " + cell(rules.unit) + " | " + cell(description) + " |\n";
}

std::string markdown_row(const FieldSpec& field) {
  const std::string default_text =
      field.rules.default_note.empty() ? "`" + field.default_value().dump() + "`" : field.rules.default_note;
  return table_row(field.path, field.type, default_text, field.rules, field.rules.description);
}

std::string item_row(const ItemFieldSpec& item) {
  const std::string default_text = item.required ? "required" : "`" + item.default_value().dump() + "`";
  std::string description = item.rules.description;
  if (!item.kinds.empty()) {
    std::string kinds;
    for (const auto& k : item.kinds) kinds += (kinds.empty() ? "" : ", ") + k;
    description += " (kinds: " + kinds + ")";
  }
  return table_row(item.name, item.type, default_text, item.rules, description);
}

constexpr const char* kTableHeader =
    "\n\n| field | type | default | allowed values | unit | description |\n| --- | --- | --- | --- | --- | --- |\n";

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
            kTableHeader;
    for (const auto& field : field_table()) {
      if (field.section() == section.name) text += markdown_row(field);
    }
  }
  text += "\n### Each entry of `faults`\n\nFields of one fault; a field marked with kinds applies to those kinds "
          "only." + std::string(kTableHeader);
  for (const auto& item : fault_field_table()) text += item_row(item);
  return text;
}

}  // namespace cbsim::scenario
