#pragma once
// A deterministic fake network for PBFT replicas: messages are delivered one
// at a time in FIFO order (an optional predicate drops some, an optional hook
// alters them as sent), timers sit in a list ordered by expiry (then by when
// they were set) and the test advances them. Replies to clients are recorded,
// not delivered.

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "tests/models/fake_timers.h"
#include "models/consensus/pbft/replica.h"

namespace cbsim::test {

using namespace cbsim::models::consensus::pbft;

// The tests' committee: n replicas, batches of `batch_max`, 10 ms batch and 1 s view-change timeouts.
inline PbftConfig config(std::uint32_t n, std::uint32_t batch_max = 1) {
  PbftConfig c = make_config(n);
  c.batch_max_requests = batch_max;
  c.batch_timeout_s = 0.01;
  c.view_change_timeout_s = 1.0;
  return c;
}

class PbftFakeNetwork final : public PbftEnvironment {
public:
  struct Commit {
    std::uint32_t replica;
    std::uint64_t view;
    std::uint64_t seq;
    Hash256 digest;
    Batch batch;
    bool operator==(const Commit&) const = default;
  };

  explicit PbftFakeNetwork(const PbftConfig& config, const std::map<std::uint32_t, Behaviour>& faults = {}) {
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
  void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t seq, const Hash256& digest,
                 const Batch& batch) override {
    commits.push_back({replica, view, seq, digest, batch});
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
      m.request = Request{client, id, payload};
      queue_.push_back(m);
    }
  }

  // Delivers every queued message (and those they cause).
  void deliver_all() {
    while (!queue_.empty()) {
      const Message m = std::move(queue_.front());
      queue_.pop_front();
      replicas[m.to].on_message(m, *this);
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

  std::vector<PbftReplica> replicas;
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
