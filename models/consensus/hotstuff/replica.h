#pragma once
// A chained HotStuff replica (Yin et al., PODC 2019, Algorithm 3) as a state
// machine: it takes a message or a timer expiry and acts through its
// HotStuffEnvironment, which mirrors pbft::PbftEnvironment so the simulator
// can drive both protocols the same way. No engine is involved.
//
// Protocol as implemented (leader of view v = v mod n; replicas start in view 1
// with the genesis QC, view 0):
//   proposing: the leader of v proposes once, when it holds a QC for view v-1
//   (its own votes quorum) or n-f new-view messages for v; the block's parent is
//   the block of its highest QC and justify that QC; its batch is up to
//   batch_max_requests pending requests that are neither committed nor in an
//   uncommitted ancestor. With propose_empty_always = false an empty block is
//   proposed only while the chain still needs it: a non-empty block is
//   uncommitted, or the QC carried commits a non-empty block (so that the
//   others learn it); an idle committee therefore goes quiet.
//   voting: a replica accepts a proposal from the leader of its view (or a
//   later one) whose parent is known and is justify's block, whose justify is
//   a quorum of n-f, if it has not voted in that view or a later one and the
//   safeNode rule holds (extends the locked block, or justify.view > locked
//   view); it sends one vote to the leader of view+1 and enters view+1.
//   QC processing (on a proposal's justify, or at the leader forming a QC):
//   b'' = qc block, b' = b''.parent, b = b'.parent; high QC updated; locked =
//   b' if higher (the paper's two-chain lock); if b''.view = b'.view + 1 and
//   b'.view = b.view + 1, b and its uncommitted ancestors commit in order.
//   pacemaker: a replica that waits for something (pending requests or an
//   uncommitted non-empty block) arms view_timeout_s on entering a view; on
//   expiry it sends new-view(v+1, high QC) to the leader of v+1 and enters
//   v+1; the timeout doubles on consecutive expiries and resets when a
//   proposal is accepted.
//   replies: on committing a block a replica sends each client with requests
//   in it one reply (its request ids in block order), as PBFT's execute.
// Messages a replica sends to itself are recorded as received, not sent.
//
// Client replies and wire sizes (messages.h, wire_size) are modelled.
// Block synchronisation: a proposal whose parent is unknown (it arrived before
// its parent's proposal, or that one was lost) waits while the replica fetches
// the parent from the proposal's sender, recursively; once the parent is
// known the proposal is handled as if it had just arrived.
//
// Not modelled: signature computation (QCs are trusted signer lists; signatures
// count in wire sizes only), the paper's dummy blocks for skipped views (so
// the commit rule asks for consecutive views instead of direct parents).

#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "models/consensus/hotstuff/messages.h"

namespace cbsim::models::consensus::hotstuff {

struct HotStuffConfig {
  std::uint32_t n = 4;
  std::uint32_t f = 1;  // (n - 1) / 3 unless set otherwise; see make_config
  std::uint32_t batch_max_requests = 1;
  double view_timeout_s = 1.0;       // doubles on consecutive timeouts
  bool propose_empty_always = false;  // true: every leader proposes, requests or not
  double cpu_per_message_s = 0.0;
};

HotStuffConfig make_config(std::uint32_t n);

enum class Behaviour : std::uint8_t {
  honest,
  silent,               // sends nothing
  equivocating_leader,  // as leader: two different blocks for the same view to two halves of the other
                        // replicas (it votes for the first); honest otherwise
};

class HotStuffEnvironment {
public:
  virtual ~HotStuffEnvironment() = default;
  virtual double now() const = 0;
  // Point to point; a broadcast is one send per receiver.
  virtual void send(const Message& m) = 0;
  // Calls HotStuffReplica::on_timer(token, env) of `replica` after `delay_s`.
  // Timers are never cancelled: the replica ignores tokens it no longer expects.
  virtual void set_timer(std::uint32_t replica, double delay_s, std::uint64_t token) = 0;
  virtual void charge_cpu(std::uint32_t /*replica*/, double /*seconds*/) {}
  // `replica` committed the block at `height` (proposed in `view`).
  virtual void on_commit(std::uint32_t replica, std::uint64_t view, std::uint64_t height, const Hash256& block_digest,
                         const Batch& requests) = 0;
  // `replica` entered `new_view` through the pacemaker (a timeout), not by the
  // ordinary one-view-per-block progress.
  virtual void on_view_change(std::uint32_t replica, std::uint64_t new_view) = 0;
};

class HotStuffReplica {
public:
  HotStuffReplica(std::uint32_t id, const HotStuffConfig& config, Behaviour behaviour = Behaviour::honest);

  void on_message(const Message& m, HotStuffEnvironment& env);
  void on_timer(std::uint64_t token, HotStuffEnvironment& env);

  std::uint32_t id() const { return id_; }
  // A fault may turn a replica Byzantine for a while (the simulator's faults list).
  void set_behaviour(Behaviour b) { behaviour_ = b; }
  std::uint64_t view() const { return view_; }
  std::uint32_t leader(std::uint64_t view) const { return static_cast<std::uint32_t>(view % config_.n); }
  const QC& high_qc() const { return high_qc_; }
  const BlockRef& locked() const { return locked_; }
  const BlockRef& last_committed() const { return committed_; }
  std::size_t pending_requests() const { return pending_.size(); }
  std::uint64_t timeouts() const { return timeouts_; }
  // The block is known (a proposal or synced block carrying it is not verified again).
  bool knows_block(const Hash256& digest) const { return blocks_.count(digest) > 0; }
  double current_view_timeout() const { return timeout_; }

private:
  using Key = std::pair<std::uint32_t, std::uint64_t>;  // (client, request id)

  void send(Message m, HotStuffEnvironment& env);
  void on_request(const Message& m, HotStuffEnvironment& env);
  void on_proposal(const Message& m, HotStuffEnvironment& env);
  void on_vote(std::uint32_t from, std::uint64_t view, const Hash256& digest, HotStuffEnvironment& env);
  void try_form_qc(std::uint64_t view, const Hash256& digest, HotStuffEnvironment& env);
  void on_new_view(std::uint32_t from, std::uint64_t view, const QC& qc, HotStuffEnvironment& env);
  void on_fetch(const Message& m, HotStuffEnvironment& env);
  void on_block(const Message& m, HotStuffEnvironment& env);
  // A block whose digest and batch digest match its content and whose justify is a quorum.
  bool well_formed(const Block& b) const;
  // Keeps a block whose parent is unknown, asks `from` for the parent.
  void await_parent(const Message& m, HotStuffEnvironment& env);
  void adopt_children(const Hash256& parent, HotStuffEnvironment& env);

  bool valid_qc(const QC& qc) const;
  const Block* block(const Hash256& d) const;
  bool extends(const Block& b, const Hash256& ancestor) const;
  void process_qc(const QC& qc, HotStuffEnvironment& env);
  // Commits b and its uncommitted ancestors in order, replying to their clients;
  // true if one of them carried requests.
  bool commit_up_to(const BlockRef& b, HotStuffEnvironment& env);
  void try_propose(HotStuffEnvironment& env);
  void send_proposal(const BlockRef& b, HotStuffEnvironment& env);
  bool wants_progress() const;
  void enter_view(std::uint64_t v, HotStuffEnvironment& env);
  void arm_timer(HotStuffEnvironment& env);

  std::uint32_t id_;
  HotStuffConfig config_;
  Behaviour behaviour_;

  std::uint64_t view_ = 1;
  std::uint64_t voted_view_ = 0;     // last view voted in
  std::uint64_t proposed_view_ = 0;  // last view proposed in
  QC high_qc_;
  BlockRef locked_;
  BlockRef committed_;
  std::uint64_t last_nonempty_commit_qc_view_ = 0;  // view of the QC that last committed a non-empty block
  std::unordered_map<Hash256, BlockRef, crypto::Hash256Hasher> blocks_;

  // Proposals and synced blocks waiting for their parent, by the parent's digest.
  std::unordered_map<Hash256, std::vector<Message>, crypto::Hash256Hasher> orphans_;
  std::set<Hash256> fetching_;

  std::vector<Request> pending_;  // received, not committed, in arrival order
  std::set<Key> committed_keys_;

  std::map<std::pair<std::uint64_t, Hash256>, std::set<std::uint32_t>> votes_;  // (view, block) -> voters
  std::map<std::uint64_t, std::map<std::uint32_t, QC>> new_views_;           // view -> sender -> high QC

  double timeout_;
  std::uint64_t timeouts_ = 0;
  std::uint64_t timer_generation_ = 0;
  std::uint64_t view_timer_ = 0;  // token expected, 0: none
  std::uint64_t timer_view_ = 0;  // view the timer guards
};

}  // namespace cbsim::models::consensus::hotstuff
