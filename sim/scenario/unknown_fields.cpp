#include "sim/scenario/unknown_fields.h"

#include "sim/scenario/field_table.h"

#include <algorithm>
#include <vector>

namespace cbsim::scenario {
namespace {

constexpr std::size_t kMaxSuggestionDistance = 2;

// Optimal string alignment distance: like Levenshtein, but swapping two
// neighbouring letters, the commonest typo, costs 1. It takes |a| x |b| steps,
// so it is only asked of names that may be close (see may_be_close).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// The distance is at least the difference of the lengths: a key of 300,000
// characters is compared with no field name at all.
bool may_be_close(std::string_view a, std::string_view b) {
  const std::size_t difference = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  return difference <= kMaxSuggestionDistance;
}

// Splits "a.b" into {"a", "b"} and "a" into {"", "a"}.
std::pair<std::string_view, std::string_view> split_path(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return {{}, path};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

std::optional<std::string> closest_known_path(std::string_view unknown) {
  std::vector<std::string> candidates;
  for (const auto& field : field_table()) candidates.push_back(field.path);
  for (const auto& section : sections()) {
    if (!section.name.empty()) candidates.push_back(section.name);
  }

  const auto [parent, leaf] = split_path(unknown);
  std::optional<std::string> best;
  std::size_t best_score = kMaxSuggestionDistance + 1;
  for (const auto& candidate : candidates) {
    const auto [candidate_parent, candidate_leaf] = split_path(candidate);
    std::size_t score = best_score;
    if (candidate_parent == parent && may_be_close(leaf, candidate_leaf)) {
      const std::size_t d = edit_distance(leaf, candidate_leaf);
      // Short names are close to many others: allow one edit per three letters.
      if (d > 0 && 3 * d <= leaf.size()) score = d;
    } else if (candidate_leaf == leaf) {
      score = 1;  // the right name in the wrong section
    }
    if (score < best_score) {
      best_score = score;
      best = candidate;
    }
  }
  return best;
}

}  // namespace

std::string unknown_item_field_reason(std::string_view name, const std::vector<ItemFieldSpec>& items) {
  const ItemFieldSpec* best = nullptr;
  std::size_t best_score = kMaxSuggestionDistance + 1;
  for (const ItemFieldSpec& field : items) {
    if (!may_be_close(name, field.name)) continue;
    const std::size_t d = edit_distance(name, field.name);
    if (d > 0 && 3 * d <= name.size() && d < best_score) {
      best_score = d;
      best = &field;
    }
  }
  return best ? "unknown field; did you mean \"" + best->name + "\"?" : "unknown field";
}

std::string unknown_field_reason(std::string_view path) {
  const auto suggestion = closest_known_path(path);
  return suggestion ? "unknown field; did you mean \"" + *suggestion + "\"?" : "unknown field";
}

std::optional<FieldProblem> find_unknown_field(const nlohmann::json& doc) {
  for (const auto& [key, value] : doc.items()) {
    if (const FieldSpec* field = find_field(key)) {
      if (field->section().empty()) continue;
      // "nodes.count" as a key is not a path into the nodes section.
      return FieldProblem{key, "unknown field; write it nested: \"" + std::string(field->section()) + "\": {\"" +
                                   std::string(field->leaf()) + "\": ...}"};
    }
    if (!is_section(key)) return FieldProblem{key, unknown_field_reason(key)};
    if (!value.is_object()) return FieldProblem{key, "expected object, got " + describe_value(value)};
    for (const auto& [name, ignored] : value.items()) {
      const std::string path = key + "." + name;
      if (!find_field(path)) return FieldProblem{path, unknown_field_reason(path)};
    }
  }
  return std::nullopt;
}

}  // namespace cbsim::scenario
