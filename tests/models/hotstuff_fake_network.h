#pragma once
// A deterministic fake network for HotStuff replicas, as pbft_fake_network.h:
// FIFO delivery one message at a time (an optional predicate drops some, an
// optional hook alters them as sent), timers ordered by expiry then by when
// they were set. Replies to clients are recorded, not delivered.

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "tests/models/fake_timers.h"
#include "models/consensus/hotstuff/replica.h"

namespace cbsim::test {

using namespace cbsim::models::consensus::hotstuff;

class HotStuffFakeNetwork final : public HotStuffEnvironment {
public:
  struct Commit {
    std::uint32_t replica;
    std::uint64_t view;
    std::uint64_t height;
    Hash256 digest;
    Batch batch;
    bool operator==(const Commit&) const = default;
  };

  explicit HotStuffFakeNetwork(const HotStuffConfig& config, const std::map<std::uint32_t, Behaviour>& faults = {}) {
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
    timers_.set(now_, delay_s, replica, token);
  }
  void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t height, const Hash256& digest,
                 const Batch& batch) override {
    commits.push_back({replica, view, height, digest, batch});
  }
  void on_view_change(std::uint32_t replica, std::uint64_t new_view) override {
    view_changes.emplace_back(replica, new_view);
  }

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

  // Delivers one queued message; returns it through `out` (false: queue empty).
  bool step(Message* out = nullptr) {
    if (queue_.empty()) return false;
    const Message m = std::move(queue_.front());
    queue_.pop_front();
    replicas[m.to].on_message(m, *this);
    if (out != nullptr) *out = m;
    return true;
  }
  void deliver_all() {
    while (step()) {
    }
  }
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

  std::vector<HotStuffReplica> replicas;
  std::vector<Message> trace;
  std::vector<Message> replies;
  std::vector<Commit> commits;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> view_changes;
  std::function<bool(const Message&)> drop;
  std::function<void(Message&)> tamper;  // alters a message as sent (the trace holds the altered one)

private:
  std::deque<Message> queue_;
  FakeTimers timers_;
  double now_ = 0.0;
};

}  // namespace cbsim::test
