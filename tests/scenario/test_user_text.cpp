#include "sim/scenario/user_text.h"

#include "sim/scenario/field_table.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace cbsim::scenario {
namespace {

TEST(Echoed, ShortTextIsShownAsItIs) {
  EXPECT_EQ(echoed("nodes.count"), "nodes.count");
  EXPECT_EQ(echoed(""), "");
  EXPECT_EQ(echoed("région"), "région");
}

TEST(Echoed, LongTextIsCutAndItsLengthSaid) {
  const std::string shown = echoed(std::string(300000, 'k'));
  EXPECT_EQ(shown, std::string(kEchoedCharacters, 'k') + "... (300000 characters)");
}

TEST(Echoed, TextOfExactlyTheLimitIsNotCut) {
  const std::string text(kEchoedCharacters, 'k');
  EXPECT_EQ(echoed(text), text);
}

TEST(Echoed, ControlCharactersAreEscapedSoTheMessageStaysOneLine) {
  EXPECT_EQ(echoed("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(echoed(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(echoed("\x7f"), "\\x7f");
}

TEST(Echoed, BytesThatAreNotUtf8AreEscapedSoTheMessageIsValidUtf8) {
  EXPECT_EQ(echoed("a\xff" "b"), "a\\xffb");
  EXPECT_EQ(echoed("\xc3"), "\\xc3");              // a lead byte cut short
  EXPECT_EQ(echoed("\xc0\xaf"), "\\xc0\\xaf");     // an overlong '/'
  EXPECT_EQ(echoed("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_TRUE(is_valid_utf8(echoed("\xff\xfe\xc3")));
}

TEST(Echoed, CutsBetweenCharactersNotInsideOne) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "é";  // two bytes each
  const std::string shown = echoed(text);
  EXPECT_TRUE(is_valid_utf8(shown));
  EXPECT_EQ(shown.substr(0, 2 * kEchoedCharacters), text.substr(0, 2 * kEchoedCharacters));
  EXPECT_NE(shown.find("... (100 characters)"), std::string::npos);
}

TEST(Utf8, AcceptsWellFormedTextOnly) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("日本 \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xe6\x97"));          // cut short
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(FolderName, RefusesWhatCannotBeOneFolderName) {
  EXPECT_TRUE(is_folder_name("quickstart"));
  EXPECT_TRUE(is_folder_name("kvm 10k (run 2)"));
  EXPECT_TRUE(is_folder_name("..."));
  for (const char* bad : {"", ".", "..", "a/b", "a\\b", "a\nb", "\x1b[31m"}) {
    EXPECT_FALSE(is_folder_name(bad)) << bad;
  }
  EXPECT_FALSE(is_folder_name(std::string("a\0b", 3)));
}

// The loader checks names by hand; the schema exports the same rule as a
// pattern. Both must say the same of every kind of name.
TEST(FolderName, AgreesWithThePatternTheSchemaExports) {
  const FieldSpec* name = find_field("name");
  ASSERT_NE(name, nullptr);
  ASSERT_EQ(name->rules.accepts, &is_folder_name);
  const std::regex pattern(name->rules.pattern, std::regex::ECMAScript);
  for (const std::string& text : std::vector<std::string>{"quickstart", "a.b", "...", ".a", "a.", ".", "..", "a/b", "/", "a\\b", "\\", "a\nb",
                                 "tab\there", "\x7f", " ", "é", "a..b", std::string("a\0b", 3)}) {
    EXPECT_EQ(std::regex_search(text, pattern), is_folder_name(text)) << echoed(text);
  }
}

}  // namespace
}  // namespace cbsim::scenario
