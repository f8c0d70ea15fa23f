#pragma once
// Reading JSON a user hands in (Ethereum state tests) through one accessor
// that knows where each value sits ("add11.env.currentCoinbase"): a field that
// is missing, of the wrong type or out of range is reported with its path and
// the reason, echoing at most a readable snippet of the input, and no
// nlohmann exception (type_error, out_of_range) escapes with its raw text.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cbsim::sim::evm {

// A field that is missing, of the wrong type or holds a wrong value:
// what() is "<path>: <reason>" (just the reason for the document itself).
struct JsonFieldError : std::runtime_error {
  JsonFieldError(const std::string& path, const std::string& reason);
};

// `text` as an error message may echo it: at most `limit` characters, a longer
// text cut short with "... (N characters)".
std::string abbreviate(std::string_view text, std::size_t limit = 80);

// The reason of a nlohmann parse error without its "[json.exception...]" tag,
// abbreviated (its "last read" part may quote megabytes of input).
std::string json_error_reason(const nlohmann::json::exception& e);

class JsonField {
public:
  JsonField(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }

  // The member `key` of this object; throws if this is not an object or has no such member.
  JsonField at(std::string_view key) const;
  // The member `key`, or nullopt when it is absent; throws if this is not an object.
  std::optional<JsonField> find(std::string_view key) const;
  // Element `index` of this array; throws if this is not an array or the index is past its end.
  JsonField at(std::size_t index) const;
  // The members of this object (by key) or the elements of this array; throws for any other type.
  std::vector<std::pair<std::string, JsonField>> members() const;
  std::vector<JsonField> elements() const;
  // This value as a string, or as a whole number >= 0; throws for any other type.
  const std::string& string() const;
  std::uint64_t whole_number() const;

  // Throws JsonFieldError for this field.
  [[noreturn]] void fail(const std::string& reason) const;

private:
  void require(nlohmann::json::value_t type, const char* expected) const;

  const nlohmann::json* value_;
  std::string path_;
};

}  // namespace cbsim::sim::evm
