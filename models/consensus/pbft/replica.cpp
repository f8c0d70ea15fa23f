#include "models/consensus/pbft/replica.h"

#include <algorithm>
#include <utility>

namespace cbsim::models::consensus::pbft {

namespace {
const BatchRef& null_batch() {
  static const BatchRef empty = std::make_shared<const Batch>();
  return empty;
}

Hash256 chain_digest(const Hash256& state, const Hash256& batch) {
  std::array<std::uint8_t, 64> buf;
  std::copy(state.begin(), state.end(), buf.begin());
  std::copy(batch.begin(), batch.end(), buf.begin() + 32);
  return crypto::sha256(buf);
}

std::uint64_t min_s_of(const std::vector<ViewChange>& v) {
  std::uint64_t min_s = 0;
  for (const ViewChange& vc : v) min_s = std::max(min_s, vc.stable_seq);
  return min_s;
}
}  // namespace

PbftConfig make_config(std::uint32_t n) {
  PbftConfig c;
  c.n = n;
  c.f = (n - 1) / 3;
  return c;
}

std::vector<ReissuedPrePrepare> compute_new_view_pre_prepares(const std::vector<ViewChange>& v) {
  const std::uint64_t min_s = min_s_of(v);
  std::uint64_t max_s = min_s;
  for (const ViewChange& vc : v)
    for (const PreparedCert& c : vc.prepared) max_s = std::max(max_s, c.seq);
  std::vector<ReissuedPrePrepare> o;
  for (std::uint64_t s = min_s + 1; s <= max_s; ++s) {
    const PreparedCert* best = nullptr;
    for (const ViewChange& vc : v)
      for (const PreparedCert& c : vc.prepared)
        if (c.seq == s && (best == nullptr || c.view > best->view)) best = &c;
    if (best != nullptr)
      o.push_back({s, best->digest, best->batch});
    else
      o.push_back({s, batch_digest(*null_batch()), null_batch()});
  }
  return o;
}

PbftReplica::PbftReplica(std::uint32_t id, const PbftConfig& config, Behaviour behaviour)
    : id_(id), config_(config), behaviour_(behaviour), vc_timeout_(config.view_change_timeout_s) {}

// --- sending and timers -------------------------------------------------------

void PbftReplica::send(Message m, PbftEnvironment& env) {
  if (behaviour_ == Behaviour::silent) return;
  m.from = id_;
  env.send(m);
}

void PbftReplica::multicast(const Message& m, PbftEnvironment& env) {
  for (std::uint32_t r = 0; r < config_.n; ++r) {
    if (r == id_) continue;  // the caller records its own copy as received
    Message copy = m;
    copy.to = r;
    send(std::move(copy), env);
  }
}

std::uint64_t PbftReplica::arm(TimerKind kind, double delay, PbftEnvironment& env) {
  const std::uint64_t token = (++timer_generation_ << 2) | static_cast<std::uint64_t>(kind);
  env.set_timer(id_, delay, token);
  return token;
}

void PbftReplica::on_timer(std::uint64_t token, PbftEnvironment& env) {
  if (token == 0) return;
  if (token == batch_timer_) {
    batch_timer_ = 0;
    try_cut_batches(env, true);
  } else if (token == vc_timer_) {
    vc_timer_ = 0;
    start_view_change(view_ + 1, env);
  } else if (token == retransmit_timer_) {
    retransmit_timer_ = 0;
    if (status_ != Status::view_change) return;
    multicast(own_view_change_, env);
    retransmit_timer_ = arm(TimerKind::retransmit, config_.view_change_timeout_s, env);
  }
}

// --- dispatch -----------------------------------------------------------------

void PbftReplica::on_message(const Message& m, PbftEnvironment& env) {
  if (config_.cpu_per_message_s > 0) env.charge_cpu(id_, config_.cpu_per_message_s);
  switch (m.kind) {
    case MsgKind::request:
      on_request(m, env);
      break;
    case MsgKind::pre_prepare:
      on_pre_prepare(m, env);
      break;
    case MsgKind::prepare:
      on_prepare(m, env);
      break;
    case MsgKind::commit:
      on_commit_msg(m, env);
      break;
    case MsgKind::checkpoint:
      on_checkpoint(m, env);
      break;
    case MsgKind::view_change:
      on_view_change_msg(m, env);
      break;
    case MsgKind::new_view:
      on_new_view(m, env);
      break;
    case MsgKind::reply:
    case MsgKind::count:
      break;
  }
}

// --- normal case --------------------------------------------------------------

void PbftReplica::on_request(const Message& m, PbftEnvironment& env) {
  const Request& r = m.request;
  if (executed_.count({r.client, r.id}) > 0) return;  // (the paper re-sends the last reply; not modelled)
  if (std::find(pending_.begin(), pending_.end(), r) != pending_.end()) return;
  pending_.push_back(r);
  if (status_ != Status::normal) return;
  if (is_primary())
    try_cut_batches(env, false);
  else
    update_request_timer(env);
}

void PbftReplica::try_cut_batches(PbftEnvironment& env, bool timer_fired) {
  if (status_ != Status::normal || !is_primary()) return;
  std::vector<Request> unassigned;
  for (const Request& r : pending_)
    if (proposed_.count({r.client, r.id}) == 0) unassigned.push_back(r);
  const std::size_t max = std::max<std::uint32_t>(1, config_.batch_max_requests);
  std::size_t taken = 0;
  while (taken < unassigned.size() && next_seq_ <= high_watermark()) {
    const std::size_t left = unassigned.size() - taken;
    if (left < max && !timer_fired) break;
    const std::size_t k = std::min(left, max);
    propose(std::make_shared<const Batch>(unassigned.begin() + taken, unassigned.begin() + taken + k), env);
    taken += k;
    timer_fired = false;  // the timer releases one partial batch
  }
  if (taken == unassigned.size())
    batch_timer_ = 0;
  else if (batch_timer_ == 0)
    batch_timer_ = arm(TimerKind::batch, config_.batch_timeout_s, env);
}

void PbftReplica::propose(BatchRef batch, PbftEnvironment& env) {
  const std::uint64_t seq = next_seq_++;
  const Hash256 digest = batch_digest(*batch);
  Message pp;
  pp.kind = MsgKind::pre_prepare;
  pp.view = view_;
  pp.seq = seq;
  pp.digest = digest;
  pp.batch = batch;
  if (behaviour_ == Behaviour::equivocating_primary) {
    // The first half of the backups gets the batch, the second half a batch
    // with a different digest (the requests reversed, or the null request).
    Batch other(batch->rbegin(), batch->rend());
    if (other == *batch) other.clear();
    Message alt = pp;
    alt.batch = std::make_shared<const Batch>(std::move(other));
    alt.digest = batch_digest(*alt.batch);
    std::vector<std::uint32_t> backups;
    for (std::uint32_t r = 0; r < config_.n; ++r)
      if (r != id_) backups.push_back(r);
    for (std::size_t i = 0; i < backups.size(); ++i) {
      Message copy = (i < backups.size() / 2) ? pp : alt;
      copy.to = backups[i];
      send(std::move(copy), env);
    }
  } else {
    multicast(pp, env);
  }
  accept_pre_prepare(seq, digest, std::move(batch), env);
}

void PbftReplica::accept_pre_prepare(std::uint64_t seq, const Hash256& digest, BatchRef batch, PbftEnvironment& env) {
  Entry& e = log_[seq];
  e.has_pre_prepare = true;
  e.view = view_;
  e.digest = digest;
  e.batch = std::move(batch);
  e.prepared = false;
  e.committed = false;
  for (const Request& r : *e.batch) proposed_.insert({r.client, r.id});
  if (!is_primary()) {
    e.prepares[{view_, digest}].insert(id_);
    Message p;
    p.kind = MsgKind::prepare;
    p.view = view_;
    p.seq = seq;
    p.digest = digest;
    multicast(p, env);
  }
  check_prepared(seq, env);
}

void PbftReplica::on_pre_prepare(const Message& m, PbftEnvironment& env) {
  if (m.view > view_ || (m.view == view_ && status_ != Status::normal)) {
    future_.push_back(m);
    return;
  }
  if (m.view < view_ || m.from != primary(view_) || is_primary()) return;
  if (above_window(m)) return;
  if (!in_window(m.seq) || m.seq <= last_executed_ || !m.batch) return;
  if (batch_digest(*m.batch) != m.digest) return;
  const auto it = log_.find(m.seq);
  if (it != log_.end() && it->second.has_pre_prepare && it->second.view == view_) return;  // one digest per (v, n)
  accept_pre_prepare(m.seq, m.digest, m.batch, env);
}

void PbftReplica::on_prepare(const Message& m, PbftEnvironment& env) {
  if (m.view > view_ || (m.view == view_ && status_ != Status::normal)) {
    future_.push_back(m);
    return;
  }
  if (m.view < view_ || m.from == primary(view_) || above_window(m) || !in_window(m.seq)) return;
  log_[m.seq].prepares[{m.view, m.digest}].insert(m.from);
  check_prepared(m.seq, env);
}

void PbftReplica::check_prepared(std::uint64_t seq, PbftEnvironment& env) {
  if (!participates()) return;
  const auto it = log_.find(seq);
  if (it == log_.end()) return;
  Entry& e = it->second;
  if (!e.has_pre_prepare || e.view != view_ || e.prepared) return;
  const auto votes = e.prepares.find({view_, e.digest});
  if (votes == e.prepares.end() || votes->second.size() < 2u * config_.f) return;
  e.prepared = true;
  e.has_cert = true;
  e.cert = PreparedCert{view_, seq, e.digest, e.batch};
  e.commits[{view_, e.digest}].insert(id_);
  Message c;
  c.kind = MsgKind::commit;
  c.view = view_;
  c.seq = seq;
  c.digest = e.digest;
  multicast(c, env);
  check_committed(seq, env);
}

void PbftReplica::on_commit_msg(const Message& m, PbftEnvironment& env) {
  if (m.view > view_ || (m.view == view_ && status_ != Status::normal)) {
    future_.push_back(m);
    return;
  }
  if (m.view < view_ || above_window(m) || !in_window(m.seq)) return;
  log_[m.seq].commits[{m.view, m.digest}].insert(m.from);
  check_committed(m.seq, env);
}

void PbftReplica::check_committed(std::uint64_t seq, PbftEnvironment& env) {
  const auto it = log_.find(seq);
  if (it == log_.end()) return;
  Entry& e = it->second;
  if (!e.prepared || e.committed) return;
  const auto votes = e.commits.find({view_, e.digest});
  if (votes == e.commits.end() || votes->second.size() < 2u * config_.f + 1) return;
  e.committed = true;
  execute_ready(env);
}

void PbftReplica::execute_ready(PbftEnvironment& env) {
  bool executed_requests = false;
  for (;;) {
    const auto it = log_.find(last_executed_ + 1);
    if (it == log_.end() || !it->second.committed) break;
    const std::uint64_t seq = it->first;
    const Entry& e = it->second;
    state_ = chain_digest(state_, e.digest);
    last_executed_ = seq;
    std::map<std::uint32_t, std::vector<std::uint64_t>> by_client;
    for (const Request& r : *e.batch) {
      if (!executed_.insert({r.client, r.id}).second) continue;  // executed under an earlier seq
      proposed_.erase({r.client, r.id});
      std::erase(pending_, r);
      by_client[r.client].push_back(r.id);
      executed_requests = true;
    }
    env.on_commit(id_, e.view, seq, e.digest, *e.batch);
    for (auto& [client, ids] : by_client) {
      Message reply;
      reply.kind = MsgKind::reply;
      reply.to = client;
      reply.view = view_;
      reply.seq = seq;
      reply.digest = e.digest;
      reply.request_ids = std::move(ids);
      send(std::move(reply), env);
    }
    if (config_.checkpoint_interval > 0 && seq % config_.checkpoint_interval == 0) {
      own_checkpoints_[seq] = state_;
      Message cp;
      cp.kind = MsgKind::checkpoint;
      cp.view = view_;
      cp.seq = seq;
      cp.digest = state_;
      multicast(cp, env);
      record_checkpoint(seq, state_, id_, env);
    }
  }
  if (executed_requests) {
    vc_timeout_ = config_.view_change_timeout_s;  // progress: back to the base timeout
    vc_timer_ = 0;                                // restarted below if still waiting
    update_request_timer(env);
  }
}

void PbftReplica::update_request_timer(PbftEnvironment& env) {
  if (status_ != Status::normal || is_primary()) return;
  if (pending_.empty())
    vc_timer_ = 0;
  else if (vc_timer_ == 0)
    vc_timer_ = arm(TimerKind::view_change, vc_timeout_, env);
}

// --- checkpoints --------------------------------------------------------------

void PbftReplica::on_checkpoint(const Message& m, PbftEnvironment& env) { record_checkpoint(m.seq, m.digest, m.from, env); }

void PbftReplica::record_checkpoint(std::uint64_t seq, const Hash256& digest, std::uint32_t from, PbftEnvironment& env) {
  if (seq <= low_) return;
  auto& votes = checkpoint_votes_[seq][digest];
  votes.insert(from);
  // Stable once 2f+1 replicas agree and this replica has reached the same
  // state (without state transfer, a replica cannot skip ahead).
  const auto own = own_checkpoints_.find(seq);
  if (votes.size() < 2u * config_.f + 1 || own == own_checkpoints_.end() || own->second != digest) return;
  low_ = seq;
  stable_digest_ = digest;
  log_.erase(log_.begin(), log_.upper_bound(seq));
  checkpoint_votes_.erase(checkpoint_votes_.begin(), checkpoint_votes_.upper_bound(seq));
  own_checkpoints_.erase(own_checkpoints_.begin(), own_checkpoints_.upper_bound(seq));
  replay_above_window(env);
  try_cut_batches(env, false);  // the window moved
}

// The primary's window moves when it sees 2f+1 checkpoints; a backup's moves
// when it does, which may be a little later: ordering messages beyond its
// high watermark wait for it instead of being lost (PBFT's retransmission
// would otherwise resend them).
bool PbftReplica::above_window(const Message& m) {
  if (m.seq <= high_watermark()) return false;
  above_window_.push_back(m);
  return true;
}

void PbftReplica::replay_above_window(PbftEnvironment& env) {
  std::vector<Message> now_in;
  std::vector<Message> still_above;
  for (Message& m : above_window_) (m.seq <= high_watermark() ? now_in : still_above).push_back(std::move(m));
  above_window_ = std::move(still_above);
  for (const Message& m : now_in) on_message(m, env);
}

// --- view change --------------------------------------------------------------

void PbftReplica::start_view_change(std::uint64_t new_view, PbftEnvironment& env) {
  if (new_view <= view_) return;
  if (status_ == Status::view_change) vc_timeout_ *= 2;  // consecutive view changes
  view_ = new_view;
  status_ = Status::view_change;
  ++view_changes_started_;
  batch_timer_ = 0;
  vc_timer_ = 0;
  vc_quorum_timer_set_ = false;
  proposed_.clear();

  ViewChange vc;
  vc.replica = id_;
  vc.new_view = new_view;
  vc.stable_seq = low_;
  vc.stable_digest = stable_digest_;
  for (const auto& [seq, e] : log_)
    if (seq > low_ && e.has_cert) vc.prepared.push_back(e.cert);
  Message m;
  m.kind = MsgKind::view_change;
  m.view = new_view;
  m.view_change = std::make_shared<const ViewChange>(vc);
  view_changes_.erase(view_changes_.begin(), view_changes_.lower_bound(new_view));
  view_changes_[new_view][id_] = std::move(vc);
  multicast(m, env);
  own_view_change_ = std::move(m);
  retransmit_timer_ = arm(TimerKind::retransmit, config_.view_change_timeout_s, env);
  check_view_change_quorum(env);
}

void PbftReplica::on_view_change_msg(const Message& m, PbftEnvironment& env) {
  if (!m.view_change || m.view_change->replica != m.from) return;
  // A prepared certificate whose batch does not match its digest would put a
  // batch in O that the backups reject (or, at this replica as primary, one
  // nobody prepared): drop the whole message.
  for (const PreparedCert& c : m.view_change->prepared)
    if (!c.batch || batch_digest(*c.batch) != c.digest) return;
  const std::uint64_t v = m.view_change->new_view;
  if (v == view_ && status_ == Status::normal && primary(v) == id_ && own_new_view_.new_view && own_new_view_.view == v) {
    // The sender missed this view's new-view.
    Message again = own_new_view_;
    again.to = m.from;
    send(std::move(again), env);
    return;
  }
  if (v < view_ || (v == view_ && status_ == Status::normal)) return;
  view_changes_[v][m.from] = *m.view_change;
  if (v > view_) {
    // Liveness: f+1 replicas want a higher view, so at least one honest one.
    std::set<std::uint32_t> senders;
    std::uint64_t smallest = 0;
    for (const auto& [view, by_sender] : view_changes_) {
      if (view <= view_) continue;
      if (smallest == 0) smallest = view;
      for (const auto& [sender, unused] : by_sender)
        if (sender != id_) senders.insert(sender);
    }
    if (senders.size() >= config_.f + 1u) start_view_change(smallest, env);
  }
  check_view_change_quorum(env);
}

void PbftReplica::check_view_change_quorum(PbftEnvironment& env) {
  if (status_ != Status::view_change) return;
  const auto it = view_changes_.find(view_);
  if (it == view_changes_.end() || it->second.size() < 2u * config_.f + 1) return;
  if (!vc_quorum_timer_set_) {
    vc_quorum_timer_set_ = true;
    vc_timer_ = arm(TimerKind::view_change, vc_timeout_, env);
  }
  if (primary(view_) != id_ || it->second.count(id_) == 0) return;
  NewView nv;
  nv.view = view_;
  nv.view_changes.push_back(it->second.at(id_));
  for (const auto& [sender, vc] : it->second) {
    if (nv.view_changes.size() == 2u * config_.f + 1) break;
    if (sender != id_) nv.view_changes.push_back(vc);
  }
  nv.pre_prepares = compute_new_view_pre_prepares(nv.view_changes);
  Message m;
  m.kind = MsgKind::new_view;
  m.view = view_;
  m.new_view = std::make_shared<const NewView>(nv);
  multicast(m, env);
  own_new_view_ = std::move(m);
  install_view(nv, env);
}

void PbftReplica::on_new_view(const Message& m, PbftEnvironment& env) {
  if (!m.new_view) return;
  const NewView& nv = *m.new_view;
  if (nv.view < view_ || (nv.view == view_ && status_ == Status::normal)) return;
  if (m.from != primary(nv.view) || nv.view_changes.size() < 2u * config_.f + 1) return;
  std::set<std::uint32_t> senders;
  for (const ViewChange& vc : nv.view_changes) {
    if (vc.new_view != nv.view) return;
    senders.insert(vc.replica);
  }
  if (senders.size() != nv.view_changes.size()) return;
  // O must be exactly what V implies, and each batch must match its digest.
  if (compute_new_view_pre_prepares(nv.view_changes) != nv.pre_prepares) return;
  for (const ReissuedPrePrepare& pp : nv.pre_prepares)
    if (!pp.batch || batch_digest(*pp.batch) != pp.digest) return;
  install_view(nv, env);
}

void PbftReplica::install_view(const NewView& nv, PbftEnvironment& env) {
  if (nv.view != view_) ++view_changes_started_;  // joined straight from an earlier view
  view_ = nv.view;
  status_ = Status::normal;
  vc_timer_ = 0;
  retransmit_timer_ = 0;
  batch_timer_ = 0;
  vc_quorum_timer_set_ = false;
  view_changes_.erase(view_changes_.begin(), view_changes_.upper_bound(view_));

  // The checkpoint V agrees on becomes stable here if this replica reached it.
  const std::uint64_t min_s = min_s_of(nv.view_changes);
  if (min_s > low_) {
    const auto own = own_checkpoints_.find(min_s);
    if (own != own_checkpoints_.end()) {
      low_ = min_s;
      stable_digest_ = own->second;
      log_.erase(log_.begin(), log_.upper_bound(min_s));
      checkpoint_votes_.erase(checkpoint_votes_.begin(), checkpoint_votes_.upper_bound(min_s));
      own_checkpoints_.erase(own_checkpoints_.begin(), own_checkpoints_.upper_bound(min_s));
    }
  }
  // Pre-prepares of earlier views are void; prepared certificates are kept.
  for (auto& [seq, e] : log_) {
    if (seq <= last_executed_) continue;
    e.has_pre_prepare = false;
    e.prepared = false;
    e.committed = false;
  }
  proposed_.clear();
  std::uint64_t max_s = std::max(min_s, last_executed_);
  for (const ReissuedPrePrepare& pp : nv.pre_prepares) {
    max_s = std::max(max_s, pp.seq);
    // Seqs this replica already executed are ordered again too, without
    // re-executing them: replicas that missed their commits need its prepare
    // and commit (Castro & Liskov 2002, 4.4: "replicas redo the protocol for
    // messages between min-s and max-s but avoid re-executing requests").
    if (!in_window(pp.seq)) continue;
    accept_pre_prepare(pp.seq, pp.digest, pp.batch, env);
  }
  next_seq_ = max_s + 1;
  env.on_view_change(id_, view_);

  // Ordering messages of this view that arrived before the new-view.
  std::vector<Message> replay;
  std::vector<Message> later;
  for (Message& m : future_) (m.view == view_ ? replay : later).push_back(std::move(m));
  std::erase_if(later, [this](const Message& m) { return m.view < view_; });
  future_ = std::move(later);
  for (const Message& m : replay) on_message(m, env);
  replay_above_window(env);

  if (is_primary())
    try_cut_batches(env, false);
  else
    update_request_timer(env);
}

}  // namespace cbsim::models::consensus::pbft
