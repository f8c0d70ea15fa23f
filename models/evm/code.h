#pragma once
// Contract code as the interpreter runs it: the bytes, padded so that a PUSH
// at the very end reads zeros instead of past the buffer, and the map of valid
// jump destinations (JUMPDEST bytes that are not inside PUSH data), computed
// once per code.

#include <cstdint>
#include <span>
#include <vector>

namespace cbsim::models::evm {

class Code {
public:
  Code() = default;
  explicit Code(std::span<const std::uint8_t> bytes);

  std::size_t size() const { return size_; }
  const std::uint8_t* data() const { return padded_.data(); }
  std::span<const std::uint8_t> bytes() const { return {padded_.data(), size_}; }
  bool is_jumpdest(std::uint64_t pc) const { return pc < size_ && jumpdests_[pc]; }

private:
  std::size_t size_ = 0;
  std::vector<std::uint8_t> padded_;  // size_ + 33 zero bytes
  std::vector<bool> jumpdests_;
};

}  // namespace cbsim::models::evm
