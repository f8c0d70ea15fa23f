// scenarios/schema.json and the field reference in scenarios/README.md are
// generated from the field table; this test fails when they are stale and
// leaves the expected content in a temporary file to copy over.

#include "sim/scenario/scenario_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cbsim::scenario {
namespace {

const std::filesystem::path kScenarios = std::filesystem::path(CBSIM_SOURCE_DIR) / "scenarios";
constexpr std::string_view kBegin = "<!-- fields:begin -->\n";
constexpr std::string_view kEnd = "<!-- fields:end -->";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string stale_message(const std::filesystem::path& stale, const std::string& expected_text) {
  const auto expected = std::filesystem::path(testing::TempDir()) / ("expected_" + stale.filename().string());
  std::ofstream(expected, std::ios::binary) << expected_text;
  return stale.string() + " is stale (it does not match sim/scenario/field_table.cpp); to update it: cp " +
         expected.string() + " " + stale.string();
}

TEST(DocsUpToDate, SchemaJsonMatchesJsonSchema) {
  const auto path = kScenarios / "schema.json";
  const std::string expected = json_schema().dump(2) + "\n";
  EXPECT_TRUE(read_file(path) == expected) << stale_message(path, expected);
}

TEST(DocsUpToDate, ReadmeFieldSectionMatchesFieldsMarkdown) {
  const auto path = kScenarios / "README.md";
  const std::string readme = read_file(path);
  const auto begin = readme.find(kBegin);
  const auto end = readme.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << path << " has no line " << kBegin;
  ASSERT_NE(end, std::string::npos) << path << " has no line " << kEnd;
  ASSERT_LT(begin, end);

  const std::string section = readme.substr(begin + kBegin.size(), end - begin - kBegin.size());
  const std::string expected_readme =
      readme.substr(0, begin + kBegin.size()) + fields_markdown() + readme.substr(end);
  EXPECT_TRUE(section == fields_markdown()) << stale_message(path, expected_readme);
}

}  // namespace
}  // namespace cbsim::scenario
