#pragma once
// Hex text as the Ethereum tools write it ("0x"-prefixed, either case) to
// bytes and back (lowercase, "0x"-prefixed).

#include <stdexcept>
#include <string>
#include <string_view>

#include "models/evm/bytes.h"

namespace cbsim::models::evm {

struct HexError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Throws HexError naming the problem (odd length, a character that is not a hex digit).
Bytes bytes_from_hex(std::string_view text);
std::string to_hex(BytesView bytes);

}  // namespace cbsim::models::evm
