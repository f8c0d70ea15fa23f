#pragma once
// What every fuzz harness shares: the libFuzzer entry point's signature, a
// reader that splits one input into the pieces a harness needs, and the one
// way a harness reports a finding (abort, which libFuzzer and the replay
// driver both treat as a crash and keep the input for).
//
// The harnesses build two ways: with clang's -fsanitize=fuzzer (the fuzzers of
// `make fuzz`) and with replay_main.cpp under any compiler (the ctest tests
// that replay tests/fuzz/regressions in `make test`). So nothing here may
// depend on clang or on libFuzzer's headers.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace cbsim::fuzz {

// Echoed input in a finding is cut to this many characters: a finding's
// message must stay readable whatever the fuzzer fed in.
inline constexpr std::size_t kEchoLimit = 200;

[[noreturn]] inline void finding(std::string_view what, std::string_view detail = {}) {
  if (detail.size() > kEchoLimit) detail = detail.substr(0, kEchoLimit);
  std::fprintf(stderr, "fuzz finding: %.*s%s%.*s\n", static_cast<int>(what.size()), what.data(),
               detail.empty() ? "" : ": ", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Consumes an input from the front: fixed-size numbers, then pieces. Reading
// past the end yields zeros and empty pieces, so every input is usable.
class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size) : rest_(data, size) {}

  std::uint8_t byte() {
    if (rest_.empty()) return 0;
    const std::uint8_t b = rest_[0];
    rest_ = rest_.subspan(1);
    return b;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | byte() << 8); }
  // Up to `max_size` bytes: a length byte scaled to [0, max_size], then the bytes.
  std::span<const std::uint8_t> piece(std::size_t max_size) {
    const std::size_t wanted = max_size * byte() / 255;
    return take(wanted);
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (n > rest_.size()) n = rest_.size();
    const auto head = rest_.first(n);
    rest_ = rest_.subspan(n);
    return head;
  }
  std::span<const std::uint8_t> rest() { return take(rest_.size()); }
  bool empty() const { return rest_.empty(); }

 private:
  std::span<const std::uint8_t> rest_;
};

inline std::string as_text(std::span<const std::uint8_t> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace cbsim::fuzz
