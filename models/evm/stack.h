#pragma once
// A frame's operand stack: at most 1024 words, allocated once, so pushes and
// pops are a store or load and an index update (std::vector's capacity checks
// were a sixth of the interpreter's time). The interpreter checks the bounds
// from the opcode table before an instruction runs.

#include <cstddef>
#include <memory>
#include <new>

#include "models/evm/fork.h"
#include "models/evm/uint256.h"

namespace cbsim::models::evm {

class Stack {
public:
  // The items are not zeroed: no instruction reads an item it has not pushed,
  // and clearing 32 KiB was most of the cost of entering a call.
  Stack() : items_(static_cast<uint256*>(::operator new[](kStackLimit * sizeof(uint256)))) {}

  std::size_t size() const { return size_; }
  uint256& top() { return items_[size_ - 1]; }
  // The item `depth` below the top (0: the top).
  uint256& peek(std::size_t depth) { return items_[size_ - 1 - depth]; }
  uint256 pop() { return items_[--size_]; }
  void push(const uint256& v) { items_[size_++] = v; }

private:
  struct FreeItems {
    void operator()(uint256* items) const { ::operator delete[](items); }
  };
  std::unique_ptr<uint256[], FreeItems> items_;
  std::size_t size_ = 0;
};

}  // namespace cbsim::models::evm
