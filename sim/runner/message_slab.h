#pragma once
// Messages in flight, stored in a recycled pool and referred to by index from
// events (keeps Event small and avoids one allocation per message).

#include <cstdint>
#include <utility>
#include <vector>

namespace cbsim::sim {

template <class Message>
class MessageSlab {
public:
  std::uint64_t put(const Message& m) {
    if (free_.empty()) {
      slots_.push_back(m);
      return slots_.size() - 1;
    }
    const std::uint64_t i = free_.back();
    free_.pop_back();
    slots_[i] = m;
    return i;
  }
  const Message& peek(std::uint64_t i) const { return slots_[i]; }
  // Moves the message out (its slot is free again): committee messages hold
  // shared batches and vectors, which a copy would reference-count and allocate.
  Message take(std::uint64_t i) {
    free_.push_back(static_cast<std::uint32_t>(i));
    return std::move(slots_[i]);
  }

private:
  std::vector<Message> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace cbsim::sim
