#pragma once
// What the committee fake networks (pbft_fake_network.h,
// hotstuff_fake_network.h) share: timers kept in a list and fired in order of
// expiry, then of when they were set, and the commits of one replica.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace cbsim::test {

struct FakeTimer {
  double at;
  std::uint64_t order;
  std::uint32_t replica;
  std::uint64_t token;
  double delay;
};

class FakeTimers {
public:
  const FakeTimer& set(double now, double delay_s, std::uint32_t replica, std::uint64_t token) {
    return timers_.emplace_back(FakeTimer{now + delay_s, order_++, replica, token, delay_s});
  }
  // Removes and returns the earliest timer, unless there is none or it expires after `until`.
  std::optional<FakeTimer> pop_earliest(double until) {
    if (timers_.empty()) return std::nullopt;
    const auto next = std::min_element(timers_.begin(), timers_.end(), [](const FakeTimer& a, const FakeTimer& b) {
      return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    if (next->at > until) return std::nullopt;
    const FakeTimer t = *next;
    timers_.erase(next);
    return t;
  }

private:
  std::vector<FakeTimer> timers_;
  std::uint64_t order_ = 0;
};

// The entries of `commits` (anything with a `replica` member) made by `replica`.
template <class Commit>
std::vector<Commit> commits_of(const std::vector<Commit>& commits, std::uint32_t replica) {
  std::vector<Commit> out;
  for (const Commit& c : commits)
    if (c.replica == replica) out.push_back(c);
  return out;
}

}  // namespace cbsim::test
