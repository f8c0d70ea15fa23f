#pragma once
// A PBFT replica (Castro & Liskov, OSDI 1999; TOCS 2002) as a state machine:
// it takes a message or a timer expiry and acts through its PbftEnvironment
// (send, set a timer, report commits and view changes). No engine is involved,
// so it is unit-tested directly and can be driven by the simulator in sim/.
//
// Protocol as implemented:
//   normal case: clients multicast requests to every replica; the primary
//   (view mod n) cuts batches (batch_max_requests, or batch_timeout_s after
//   the first waiting request) and multicasts pre-prepare; backups accept it
//   (same view, low < seq <= low + L, digest matches, no other digest for
//   (view, seq)) and multicast prepare; prepared = pre-prepare + 2f matching
//   prepares from distinct backups; then commit; committed-local = prepared +
//   2f+1 matching commits; batches execute in seq order and each replica
//   replies to each client with the request ids it executed.
//   checkpoints: every K executed seqs, checkpoint(seq, state digest), the
//   state digest being a SHA-256 chain over the executed batch digests;
//   stable at 2f+1 matching ones -> log entries <= seq discarded, low = seq.
//   view change: a backup waiting for a request it received starts a timer;
//   on expiry it moves to view v+1 and multicasts view-change(v+1, stable
//   checkpoint, P); at 2f+1 view-changes for v+1 the replicas start a timer
//   for the new view (doubling the timeout at each consecutive view change);
//   the new primary multicasts new-view(V, O) with O computed from V (the
//   highest-view certificate for each seq, null requests in the gaps); the
//   backups recompute O from V, accept its pre-prepares and send prepares.
//   f+1 view-changes for higher views make a replica join the smallest.
// Messages a replica sends to itself are recorded as received, not sent.
//
// Not modelled: state transfer (a replica that falls behind a stable
// checkpoint it has not executed does not catch up), signatures/MACs
// (only sizes; see messages.h), read-only and tentative execution, client
// retransmission (clients are assumed to multicast their requests).

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "models/consensus/pbft/messages.h"

namespace cbsim::models::consensus::pbft {

struct PbftConfig {
  std::uint32_t n = 4;
  std::uint32_t f = 1;  // (n - 1) / 3 unless set otherwise; see make_config
  std::uint32_t batch_max_requests = 1;
  double batch_timeout_s = 0.0;
  std::uint64_t checkpoint_interval = 128;  // K
  std::uint64_t log_window = 256;           // L: high watermark = low + L
  double view_change_timeout_s = 1.0;       // doubles on consecutive view changes
  double cpu_per_message_s = 0.0;           // charged per message handled (0: not charged)
};

// A configuration for n replicas with f = (n - 1) / 3.
PbftConfig make_config(std::uint32_t n);

enum class Behaviour : std::uint8_t {
  honest,
  silent,                // sends nothing
  equivocating_primary,  // as primary: different pre-prepares for the same seq to two halves of the backups, and
                         // nothing else while it is primary (no prepare/commit); honest as a backup
};

class PbftEnvironment {
public:
  virtual ~PbftEnvironment() = default;
  virtual double now() const = 0;
  // Point to point; a multicast is one send per receiver. A reply is addressed
  // to a client (m.to is the client id).
  virtual void send(const Message& m) = 0;
  // Calls PbftReplica::on_timer(token, env) of `replica` after `delay_s`.
  // Timers are never cancelled: the replica ignores tokens it no longer expects.
  virtual void set_timer(std::uint32_t replica, double delay_s, std::uint64_t token) = 0;
  // CPU time spent by `replica` (authentication, hashing); optional.
  virtual void charge_cpu(std::uint32_t /*replica*/, double /*seconds*/) {}
  // `replica` executed batch `seq` (committed in `view`).
  virtual void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t seq, const Hash256& batch_digest,
                         const Batch& requests) = 0;
  // `replica` entered `new_view` (with a valid new-view message, or as its primary).
  virtual void on_view_change(std::uint32_t replica, std::uint64_t new_view) = 0;
};

// O for view `view` computed from the view-change messages V: for every seq
// from min-s + 1 to max-s, the certificate of the highest view in V, or the
// null request. Used by the new primary and by every replica to check it.
std::vector<ReissuedPrePrepare> compute_new_view_pre_prepares(const std::vector<ViewChange>& v);

class PbftReplica {
public:
  PbftReplica(std::uint32_t id, const PbftConfig& config, Behaviour behaviour = Behaviour::honest);

  void on_message(const Message& m, PbftEnvironment& env);
  void on_timer(std::uint64_t token, PbftEnvironment& env);

  std::uint32_t id() const { return id_; }
  // A fault may turn a replica Byzantine for a while (the simulator's faults list).
  void set_behaviour(Behaviour b) { behaviour_ = b; }
  std::uint64_t view() const { return view_; }
  bool in_view_change() const { return status_ == Status::view_change; }
  std::uint32_t primary(std::uint64_t view) const { return static_cast<std::uint32_t>(view % config_.n); }
  bool is_primary() const { return primary(view_) == id_; }
  std::uint64_t low_watermark() const { return low_; }
  std::uint64_t high_watermark() const { return low_ + config_.log_window; }
  std::uint64_t last_executed() const { return last_executed_; }
  std::size_t log_size() const { return log_.size(); }
  std::size_t pending_requests() const { return pending_.size(); }
  const Hash256& state_digest() const { return state_; }
  std::uint64_t view_changes_started() const { return view_changes_started_; }
  // This replica already checked `from`'s view-change for `view` (a
  // retransmission is recognised by its digest and not verified again).
  bool holds_view_change(std::uint32_t from, std::uint64_t view) const {
    const auto it = view_changes_.find(view);
    return (it != view_changes_.end() && it->second.count(from) > 0) || (view == view_ && status_ == Status::normal);
  }
  double current_view_change_timeout() const { return vc_timeout_; }

private:
  enum class Status : std::uint8_t { normal, view_change };
  enum class TimerKind : std::uint64_t { batch = 0, view_change = 1, retransmit = 2 };
  using Key = std::pair<std::uint32_t, std::uint64_t>;  // (client, request id)
  // Distinct senders as a bitmap: a batch collects up to n votes of each kind,
  // and a tree node per vote was a third of a 64-replica run's time.
  class SenderSet {
  public:
    void insert(std::uint32_t id) {
      if (id / 64 >= words_.size()) words_.resize(id / 64 + 1);
      const std::uint64_t bit = std::uint64_t{1} << (id % 64);
      if ((words_[id / 64] & bit) == 0) ++count_;
      words_[id / 64] |= bit;
    }
    std::size_t size() const { return count_; }

  private:
    std::vector<std::uint64_t> words_;
    std::uint32_t count_ = 0;
  };
  using Votes = std::map<std::pair<std::uint64_t, Hash256>, SenderSet>;  // (view, digest) -> senders

  struct Entry {
    bool has_pre_prepare = false;
    std::uint64_t view = 0;  // view of the accepted pre-prepare
    Hash256 digest{};
    BatchRef batch;
    Votes prepares;
    Votes commits;
    bool prepared = false;
    bool committed = false;
    // The highest-view prepared certificate, kept across views for view changes.
    bool has_cert = false;
    PreparedCert cert;
  };

  void send(Message m, PbftEnvironment& env);
  void multicast(const Message& m, PbftEnvironment& env);
  std::uint64_t arm(TimerKind kind, double delay, PbftEnvironment& env);

  void on_request(const Message& m, PbftEnvironment& env);
  void on_pre_prepare(const Message& m, PbftEnvironment& env);
  void on_prepare(const Message& m, PbftEnvironment& env);
  void on_commit_msg(const Message& m, PbftEnvironment& env);
  void on_checkpoint(const Message& m, PbftEnvironment& env);
  void on_view_change_msg(const Message& m, PbftEnvironment& env);
  void on_new_view(const Message& m, PbftEnvironment& env);

  void try_cut_batches(PbftEnvironment& env, bool timer_fired);
  void propose(BatchRef batch, PbftEnvironment& env);
  void accept_pre_prepare(std::uint64_t seq, const Hash256& digest, BatchRef batch, PbftEnvironment& env);
  void check_prepared(std::uint64_t seq, PbftEnvironment& env);
  void check_committed(std::uint64_t seq, PbftEnvironment& env);
  void execute_ready(PbftEnvironment& env);
  void record_checkpoint(std::uint64_t seq, const Hash256& digest, std::uint32_t from, PbftEnvironment& env);
  void update_request_timer(PbftEnvironment& env);
  void start_view_change(std::uint64_t new_view, PbftEnvironment& env);
  void check_view_change_quorum(PbftEnvironment& env);
  void install_view(const NewView& nv, PbftEnvironment& env);
  bool in_window(std::uint64_t seq) const { return seq > low_ && seq <= high_watermark(); }
  bool above_window(const Message& m);  // true: kept for when the window moves
  void replay_above_window(PbftEnvironment& env);
  bool participates() const { return !(behaviour_ == Behaviour::equivocating_primary && is_primary()); }

  std::uint32_t id_;
  PbftConfig config_;
  Behaviour behaviour_;

  std::uint64_t view_ = 0;
  Status status_ = Status::normal;
  std::map<std::uint64_t, Entry> log_;  // by seq, low < seq <= high
  std::uint64_t next_seq_ = 1;          // primary: next seq to assign
  std::uint64_t last_executed_ = 0;
  Hash256 state_{};                     // SHA-256 chain over executed batch digests

  std::uint64_t low_ = 0;  // last stable checkpoint
  Hash256 stable_digest_{};
  std::map<std::uint64_t, Hash256> own_checkpoints_;  // seq -> state digest, above the stable one
  std::map<std::uint64_t, std::map<Hash256, std::set<std::uint32_t>>> checkpoint_votes_;

  std::vector<Request> pending_;  // received, not executed, in arrival order
  std::set<Key> proposed_;        // in a pre-prepare of the current view, not executed
  std::set<Key> executed_;

  std::map<std::uint64_t, std::map<std::uint32_t, ViewChange>> view_changes_;  // view -> sender -> message
  std::vector<Message> future_;  // ordering messages for a view not yet installed
  std::vector<Message> above_window_;  // ordering messages beyond the high watermark, for when it moves
  double vc_timeout_;
  bool vc_quorum_timer_set_ = false;
  std::uint64_t view_changes_started_ = 0;

  std::uint64_t timer_generation_ = 0;
  std::uint64_t batch_timer_ = 0;  // token expected, 0: none
  std::uint64_t vc_timer_ = 0;
  // Messages can be lost (partitions, lossy links): a replica in a view change
  // sends its view-change again every base timeout until a new view is
  // installed, and a primary answers a view-change for its installed view
  // with its new-view (the BFT library's retransmission, Castro & Liskov 2002).
  std::uint64_t retransmit_timer_ = 0;
  Message own_view_change_;
  Message own_new_view_;
};

}  // namespace cbsim::models::consensus::pbft
