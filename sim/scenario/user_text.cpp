#include "sim/scenario/user_text.h"

#include <algorithm>

namespace cbsim::scenario {
namespace {

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The length of the well-formed UTF-8 sequence at `at` (Unicode's table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  }
  return length;
}

std::string escaped_byte(unsigned char c) {
  if (c == '\n') return "\\n";
  if (c == '\r') return "\\r";
  if (c == '\t') return "\\t";
  constexpr const char* kHex = "0123456789abcdef";
  return std::string("\\x") + kHex[c >> 4] + kHex[c & 0xf];
}

}  // namespace

std::string echoed(std::string_view text) {
  std::string shown;
  std::size_t characters = 0;
  for (std::size_t at = 0; at < text.size(); ++characters) {
    const std::size_t length = sequence_length(text, at);
    if (characters < kEchoedCharacters) {
      const auto first = static_cast<unsigned char>(text[at]);
      if (length == 0 || is_control(first)) {
        shown += escaped_byte(first);
      } else {
        shown.append(text.substr(at, length));
      }
    }
    at += std::max<std::size_t>(length, 1);
  }
  if (characters > kEchoedCharacters) shown += "... (" + std::to_string(characters) + " characters)";
  return shown;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = sequence_length(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

bool is_folder_name(std::string_view text) {
  if (text.empty() || text == "." || text == "..") return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    return c == '/' || c == '\\' || is_control(static_cast<unsigned char>(c));
  });
}

}  // namespace cbsim::scenario
