#include "sim/evm/json_field.h"

namespace cbsim::sim::evm {

using nlohmann::json;

namespace {

// Keys are echoed in every path below them (a storage key is 66 characters).
constexpr std::size_t kKeyEchoLimit = 80;

std::string join(const std::string& path, std::string_view key) {
  const std::string k = abbreviate(key, kKeyEchoLimit);
  return path.empty() ? k : path + "." + k;
}

// "a number (5)", "a string (\"0x\")", "an object": what a value is, for
// "expected ..., got ...". Containers are not printed: they may be huge or
// nested deeper than a recursive printer can go.
std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string (\"" + abbreviate(v.get_ref<const std::string&>()) + "\")";
    case json::value_t::null: return "null";
    case json::value_t::boolean: return std::string("a boolean (") + (v.get<bool>() ? "true" : "false") + ")";
    default: return "a number (" + abbreviate(v.dump()) + ")";
  }
}

}  // namespace

JsonFieldError::JsonFieldError(const std::string& path, const std::string& reason)
    : std::runtime_error(path.empty() ? reason : path + ": " + reason) {}

std::string abbreviate(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "... (" + std::to_string(text.size()) + " characters)";
}

std::string json_error_reason(const json::exception& e) {
  std::string_view what = e.what();
  // "[json.exception.parse_error.101] parse error at line 1, ...": drop the tag.
  if (what.starts_with("[json.exception.")) {
    const auto end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return abbreviate(what, 160);
}

void JsonField::fail(const std::string& reason) const { throw JsonFieldError(path_, reason); }

void JsonField::require(json::value_t type, const char* expected) const {
  if (value_->type() != type) fail(std::string("expected ") + expected + ", got " + describe(*value_));
}

JsonField JsonField::at(std::string_view key) const {
  std::optional<JsonField> member = find(key);
  if (!member) fail("missing member \"" + std::string(key) + "\"");
  return *member;
}

std::optional<JsonField> JsonField::find(std::string_view key) const {
  require(json::value_t::object, "an object");
  const auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return JsonField(*it, join(path_, key));
}

JsonField JsonField::at(std::size_t index) const {
  require(json::value_t::array, "an array");
  if (index >= value_->size())
    fail("index " + std::to_string(index) + " past the end of its " + std::to_string(value_->size()) + " elements");
  return JsonField((*value_)[index], path_ + "[" + std::to_string(index) + "]");
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
  require(json::value_t::object, "an object");
  std::vector<std::pair<std::string, JsonField>> out;
  out.reserve(value_->size());
  for (const auto& [key, v] : value_->items()) out.emplace_back(key, JsonField(v, join(path_, key)));
  return out;
}

std::vector<JsonField> JsonField::elements() const {
  require(json::value_t::array, "an array");
  std::vector<JsonField> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) out.emplace_back((*value_)[i], path_ + "[" + std::to_string(i) + "]");
  return out;
}

const std::string& JsonField::string() const {
  require(json::value_t::string, "a string");
  return value_->get_ref<const std::string&>();
}

std::uint64_t JsonField::whole_number() const {
  // Non-negative integers parse as number_unsigned; -1 is number_integer, 2.5 and 1e30 number_float.
  if (!value_->is_number_unsigned()) fail("expected a whole number >= 0, got " + describe(*value_));
  return value_->get<std::uint64_t>();
}

}  // namespace cbsim::sim::evm
