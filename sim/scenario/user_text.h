#pragma once
// Text that comes from the user (keys, string values, override assignments):
// checking it and showing it back in messages. An error line must stay one
// readable line and valid UTF-8 whatever the input held: a 10 MB key, a
// newline inside a name or a stray byte from a shell must not reach the
// terminal (or Python, which decodes messages as UTF-8) as they are.

#include <cstddef>
#include <string>
#include <string_view>

namespace cbsim::scenario {

// How many characters of user text a message shows before cutting it.
inline constexpr std::size_t kEchoedCharacters = 80;

// `text` as a message may show it: control characters and bytes that are not
// UTF-8 escaped (\n, \x01, \xff), and beyond kEchoedCharacters characters cut,
// followed by "... (N characters)".
std::string echoed(std::string_view text);

bool is_valid_utf8(std::string_view text);

// Usable as one folder name on every common file system: not empty, no / or \,
// no control character, not . or .. (the name of results/NAME/).
bool is_folder_name(std::string_view text);

}  // namespace cbsim::scenario
