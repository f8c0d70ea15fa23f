#pragma once
// Reading Ethereum's official test vectors (ethereum/tests), copied into
// tests/vectors/ethereum so that the tests never depend on anything outside
// the repository.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::test {

inline nlohmann::json load_ethereum_vectors(const std::string& relative_path) {
  const std::filesystem::path path = std::filesystem::path(CBSIM_SOURCE_DIR) / "tests/vectors/ethereum" / relative_path;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return nlohmann::json::parse(in);
}

inline bool has_hex_prefix(std::string_view s) { return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

// Hex digits, with or without "0x", either case (the files mix all of these).
inline std::vector<std::uint8_t> from_hex(std::string_view s) {
  if (has_hex_prefix(s)) s.remove_prefix(2);
  if (s.size() % 2 != 0) throw std::invalid_argument("odd number of hex digits");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument(std::string("not a hex digit: ") + c);
  };
  std::vector<std::uint8_t> out;
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i < s.size(); i += 2) out.push_back(static_cast<std::uint8_t>(digit(s[i]) << 4 | digit(s[i + 1])));
  return out;
}

inline std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace cbsim::test
