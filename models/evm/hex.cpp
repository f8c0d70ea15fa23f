#include "models/evm/hex.h"

namespace cbsim::models::evm {

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw HexError(std::string("not a hex digit: '") + c + "'");
}
}  // namespace

Bytes bytes_from_hex(std::string_view s) {
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  if (s.size() % 2 != 0) throw HexError("odd number of hex digits");
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(hex_digit(s[2 * i]) * 16 + hex_digit(s[2 * i + 1]));
  return out;
}

std::string to_hex(BytesView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "0x";
  s.reserve(2 + 2 * bytes.size());
  for (const std::uint8_t b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

}  // namespace cbsim::models::evm
