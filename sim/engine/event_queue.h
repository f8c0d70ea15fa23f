#pragma once
// The simulator's own event list. Most simulated events (small protocol
// messages, timers, CPU completions) never touch SimGrid: SimGrid's per-event
// cost is tens of microseconds (see ../shared/SIMGRID-NOTES.md), ours is a heap
// operation. Ties are broken by insertion order, which keeps runs deterministic.

#include <cstdint>
#include <boost/heap/d_ary_heap.hpp>
#include <vector>

namespace cbsim::sim {

struct Event {
  double time = 0.0;
  std::uint64_t seq = 0;
  std::uint32_t type = 0;    // meaning defined by the runner
  std::uint32_t target = 0;  // usually a node
  std::uint64_t data = 0;    // usually an index into a runner-owned table

  bool operator>(const Event& o) const { return time > o.time || (time == o.time && seq > o.seq); }
};

class EventQueue {
public:
  void push(double time, std::uint32_t type, std::uint32_t target, std::uint64_t data) {
    heap_.push(Event{time, next_seq_++, type, target, data});
  }
  bool empty() const { return heap_.empty(); }
  const Event& top() const { return heap_.top(); }
  Event pop() {
    Event e = heap_.top();
    heap_.pop();
    return e;
  }
  std::size_t size() const { return heap_.size(); }
  void clear() { heap_.clear(); }

private:
  // A 4-ary heap: half the depth of a binary heap, and the four children of a
  // node share cache lines, which matters when popping is most of the loop.
  boost::heap::d_ary_heap<Event, boost::heap::arity<4>, boost::heap::compare<std::greater<Event>>> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace cbsim::sim
