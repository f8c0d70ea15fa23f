#include "models/evm/code.h"

#include "models/evm/opcodes.h"

namespace cbsim::models::evm {

Code::Code(std::span<const std::uint8_t> bytes) : size_(bytes.size()), padded_(bytes.size() + 33, 0), jumpdests_(bytes.size(), false) {
  std::copy(bytes.begin(), bytes.end(), padded_.begin());
  for (std::size_t pc = 0; pc < size_; ++pc) {
    const std::uint8_t c = bytes[pc];
    if (c == op::JUMPDEST) jumpdests_[pc] = true;
    if (c >= op::PUSH1 && c <= op::PUSH32) pc += c - op::PUSH1 + 1;  // skip the pushed data
  }
}

}  // namespace cbsim::models::evm
