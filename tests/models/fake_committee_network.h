#pragma once
// A deterministic fake network for a committee protocol's replicas (PBFT,
// HotStuff), shared by pbft_fake_network.h and hotstuff_fake_network.h:
// messages are delivered one at a time in FIFO order (an optional predicate
// drops some, an optional hook alters them as sent), timers sit in a list
// ordered by expiry (then by when they were set) and the test advances them.
// Replies to clients are recorded, not delivered.
//
// Protocol names the replica and message types: Environment, Replica,
// Message, MsgKind, Request, Batch, Behaviour, Config, and Commit (replica,
// view, position, digest, batch in that order; the position is PBFT's seq or
// HotStuff's height).

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "models/crypto/hash.h"
#include "tests/models/fake_timers.h"

namespace cbsim::test {

template <class Protocol>
class FakeCommitteeNetwork final : public Protocol::Environment {
public:
  using Message = typename Protocol::Message;
  using MsgKind = typename Protocol::MsgKind;
  using Behaviour = typename Protocol::Behaviour;
  using Commit = typename Protocol::Commit;

  explicit FakeCommitteeNetwork(const typename Protocol::Config& config,
                                const std::map<std::uint32_t, Behaviour>& faults = {}) {
    for (std::uint32_t i = 0; i < config.n; ++i) {
      const auto it = faults.find(i);
      replicas.emplace_back(i, config, it == faults.end() ? Behaviour::honest : it->second);
    }
  }

  double now() const override { return now_; }
  void send(const Message& sent) override {
    Message m = sent;
    if (tamper) tamper(m);
    trace.push_back(m);
    if (m.kind == MsgKind::reply) {
      replies.push_back(m);
      return;
    }
    if (drop && drop(m)) return;
    queue_.push_back(m);
  }
  void set_timer(std::uint32_t replica, double delay_s, std::uint64_t token) override {
    timers_set.push_back(timers_.set(now_, delay_s, replica, token));
  }
  void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t position,
                 const models::crypto::Hash256& digest, const typename Protocol::Batch& batch) override {
    commits.push_back({replica, view, position, digest, batch});
  }
  void on_view_change(std::uint32_t replica, std::uint64_t new_view) override {
    view_changes.emplace_back(replica, new_view);
  }

  // A client multicasts its request to every replica.
  void submit(std::uint32_t client, std::uint64_t id, std::uint32_t payload = 100) {
    for (std::uint32_t r = 0; r < replicas.size(); ++r) {
      Message m;
      m.kind = MsgKind::request;
      m.from = client;
      m.to = r;
      m.request = typename Protocol::Request{client, id, payload};
      queue_.push_back(m);
    }
  }

  // Delivers one queued message; returns it through `out` (false: queue empty).
  bool step(Message* out = nullptr) {
    if (queue_.empty()) return false;
    const Message m = std::move(queue_.front());
    queue_.pop_front();
    replicas[m.to].on_message(m, *this);
    if (out != nullptr) *out = m;
    return true;
  }
  // Delivers every queued message (and those they cause).
  void deliver_all() {
    while (step()) {
    }
  }

  // Delivers messages and fires timers in time order until nothing is left
  // or the next timer is after `until`.
  void run(double until = 1000.0) {
    for (;;) {
      deliver_all();
      const std::optional<FakeTimer> t = timers_.pop_earliest(until);
      if (!t) return;
      now_ = t->at;
      replicas[t->replica].on_timer(t->token, *this);
    }
  }

  int count(MsgKind k) const {
    return static_cast<int>(std::count_if(trace.begin(), trace.end(), [k](const Message& m) { return m.kind == k; }));
  }
  std::vector<Commit> commits_of(std::uint32_t replica) const { return test::commits_of(commits, replica); }

  std::vector<typename Protocol::Replica> replicas;
  std::vector<Message> trace;
  std::vector<Message> replies;
  std::vector<Commit> commits;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> view_changes;
  std::vector<FakeTimer> timers_set;
  std::function<bool(const Message&)> drop;
  std::function<void(Message&)> tamper;  // alters a message as sent (the trace holds the altered one)

private:
  std::deque<Message> queue_;
  FakeTimers timers_;
  double now_ = 0.0;
};

}  // namespace cbsim::test
