#include "models/consensus/hotstuff/replica.h"

#include <algorithm>
#include <utility>

namespace cbsim::models::consensus::hotstuff {

HotStuffConfig make_config(std::uint32_t n) {
  HotStuffConfig c;
  c.n = n;
  c.f = (n - 1) / 3;
  return c;
}

HotStuffReplica::HotStuffReplica(std::uint32_t id, const HotStuffConfig& config, Behaviour behaviour)
    : id_(id),
      config_(config),
      behaviour_(behaviour),
      high_qc_(genesis_qc()),
      locked_(genesis()),
      committed_(genesis()),
      timeout_(config.view_timeout_s) {
  blocks_.emplace(genesis()->digest, genesis());
}

// --- sending and timers -------------------------------------------------------

void HotStuffReplica::send(Message m, HotStuffEnvironment& env) {
  if (behaviour_ == Behaviour::silent) return;
  m.from = id_;
  env.send(m);
}

void HotStuffReplica::arm_timer(HotStuffEnvironment& env) {
  if (!wants_progress()) return;
  if (view_timer_ != 0 && timer_view_ == view_) return;
  view_timer_ = ++timer_generation_;
  timer_view_ = view_;
  env.set_timer(id_, timeout_, view_timer_);
}

bool HotStuffReplica::wants_progress() const { return !pending_.empty(); }

void HotStuffReplica::on_timer(std::uint64_t token, HotStuffEnvironment& env) {
  if (token == 0 || token != view_timer_) return;
  view_timer_ = 0;
  if (timer_view_ != view_) return;
  // No proposal for view_ in time: hand our highest QC to the next leader.
  ++timeouts_;
  timeout_ *= 2;
  const std::uint64_t next = view_ + 1;
  if (leader(next) == id_) {
    enter_view(next, env);
    on_new_view(id_, next, high_qc_, env);
  } else {
    Message nv;
    nv.kind = MsgKind::new_view;
    nv.to = leader(next);
    nv.view = next;
    nv.qc = high_qc_;
    send(std::move(nv), env);
    enter_view(next, env);
  }
  env.on_view_change(id_, next);
}

void HotStuffReplica::enter_view(std::uint64_t v, HotStuffEnvironment& env) {
  if (v <= view_) return;
  view_ = v;
  arm_timer(env);
  try_propose(env);
}

// --- dispatch -----------------------------------------------------------------

void HotStuffReplica::on_message(const Message& m, HotStuffEnvironment& env) {
  if (config_.cpu_per_message_s > 0) env.charge_cpu(id_, config_.cpu_per_message_s);
  switch (m.kind) {
    case MsgKind::request:
      on_request(m, env);
      break;
    case MsgKind::proposal:
      on_proposal(m, env);
      break;
    case MsgKind::vote:
      on_vote(m.from, m.view, m.digest, env);
      break;
    case MsgKind::new_view:
      on_new_view(m.from, m.view, m.qc, env);
      break;
    case MsgKind::fetch:
      on_fetch(m, env);
      break;
    case MsgKind::block:
      on_block(m, env);
      break;
    case MsgKind::reply:  // for clients
    case MsgKind::count:
      break;
  }
}

void HotStuffReplica::on_request(const Message& m, HotStuffEnvironment& env) {
  const Request& r = m.request;
  if (committed_keys_.count({r.client, r.id}) > 0) return;
  if (std::find(pending_.begin(), pending_.end(), r) != pending_.end()) return;
  pending_.push_back(r);
  arm_timer(env);
  try_propose(env);
}

// --- blocks and QCs -------------------------------------------------------------

const Block* HotStuffReplica::block(const Hash256& d) const {
  const auto it = blocks_.find(d);
  return it == blocks_.end() ? nullptr : it->second.get();
}

bool HotStuffReplica::valid_qc(const QC& qc) const {
  if (qc.view == 0) return qc.block == genesis()->digest;
  std::set<std::uint32_t> distinct;
  for (std::uint32_t s : qc.signers)
    if (s < config_.n) distinct.insert(s);
  return distinct.size() >= config_.n - config_.f;
}

bool HotStuffReplica::extends(const Block& b, const Hash256& ancestor) const {
  const Block* a = block(ancestor);
  if (a == nullptr) return false;
  const Block* cur = &b;
  while (cur != nullptr && cur->height > a->height) cur = block(cur->parent);
  return cur != nullptr && cur->digest == a->digest;
}

void HotStuffReplica::process_qc(const QC& qc, HotStuffEnvironment& env) {
  if (!valid_qc(qc)) return;
  const Block* b2 = block(qc.block);
  if (b2 == nullptr) return;
  if (qc.view > high_qc_.view) high_qc_ = qc;
  if (b2->height == 0) return;
  const auto b1 = blocks_.find(b2->parent);
  if (b1 == blocks_.end()) return;
  if (b1->second->view > locked_->view) locked_ = b1->second;  // two-chain: lock
  if (b1->second->height == 0) return;
  const auto b0 = blocks_.find(b1->second->parent);
  if (b0 == blocks_.end()) return;
  // Three-chain with consecutive views: commit b0 and its uncommitted ancestors.
  if (b2->view == b1->second->view + 1 && b1->second->view == b0->second->view + 1 &&
      b0->second->height > committed_->height) {
    if (commit_up_to(b0->second, env)) last_nonempty_commit_qc_view_ = qc.view;
    // Votes and new-views for views at or below the committed block are done with.
    votes_.erase(votes_.begin(), votes_.lower_bound({committed_->view + 1, Hash256{}}));
    new_views_.erase(new_views_.begin(), new_views_.lower_bound(committed_->view + 1));
  }
}

bool HotStuffReplica::commit_up_to(const BlockRef& b, HotStuffEnvironment& env) {
  std::vector<BlockRef> chain;
  for (BlockRef cur = b; cur && cur->height > committed_->height;) {
    chain.push_back(cur);
    const auto p = blocks_.find(cur->parent);
    cur = p == blocks_.end() ? nullptr : p->second;
  }
  bool non_empty = false;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Block& c = **it;
    // One reply per client per block, its ids in block order, as PBFT's execute.
    std::map<std::uint32_t, std::vector<std::uint64_t>> by_client;
    for (const Request& r : *c.batch) {
      if (!committed_keys_.insert({r.client, r.id}).second) continue;  // committed in an earlier block
      std::erase(pending_, r);
      by_client[r.client].push_back(r.id);
    }
    non_empty = non_empty || !c.batch->empty();
    committed_ = *it;
    env.on_commit(id_, c.view, c.height, c.digest, *c.batch);
    for (auto& [client, ids] : by_client) {
      Message reply;
      reply.kind = MsgKind::reply;
      reply.to = client;
      reply.view = view_;
      reply.height = c.height;
      reply.digest = c.digest;
      reply.request_ids = std::move(ids);
      send(std::move(reply), env);
    }
  }
  return non_empty;
}

// --- proposing and voting --------------------------------------------------------

void HotStuffReplica::try_propose(HotStuffEnvironment& env) {
  if (leader(view_) != id_ || proposed_view_ >= view_) return;
  const auto nv = new_views_.find(view_);
  const bool ready = high_qc_.view + 1 == view_ || (nv != new_views_.end() && nv->second.size() >= config_.n - config_.f);
  if (!ready) return;
  const Block* parent = block(high_qc_.block);
  if (parent == nullptr) return;

  // Requests already in the uncommitted part of the chain are not proposed again.
  std::set<Key> in_chain;
  bool uncommitted_non_empty = false;
  for (const Block* cur = parent; cur != nullptr && cur->height > committed_->height; cur = block(cur->parent)) {
    for (const Request& r : *cur->batch) in_chain.insert({r.client, r.id});
    uncommitted_non_empty = uncommitted_non_empty || !cur->batch->empty();
  }
  auto batch = std::make_shared<Batch>();
  const std::size_t max = std::max<std::uint32_t>(1, config_.batch_max_requests);
  for (const Request& r : pending_) {
    if (batch->size() >= max) break;
    if (in_chain.count({r.client, r.id}) == 0 && committed_keys_.count({r.client, r.id}) == 0) batch->push_back(r);
  }
  if (batch->empty() && !config_.propose_empty_always) {
    // An empty block is worth proposing while it moves a request towards commit:
    // a non-empty block is uncommitted, or the QC carried commits one.
    const bool announces_commit = high_qc_.view > 0 && last_nonempty_commit_qc_view_ == high_qc_.view;
    if (!uncommitted_non_empty && !announces_commit) return;
  }
  proposed_view_ = view_;
  const BlockRef b = make_block(high_qc_, parent->height + 1, view_, std::move(batch));
  send_proposal(b, env);
  Message own;
  own.kind = MsgKind::proposal;
  own.view = view_;
  own.block = b;
  own.from = id_;
  own.to = id_;
  on_proposal(own, env);
}

void HotStuffReplica::send_proposal(const BlockRef& b, HotStuffEnvironment& env) {
  std::vector<std::uint32_t> others;
  for (std::uint32_t r = 0; r < config_.n; ++r)
    if (r != id_) others.push_back(r);
  // An equivocating leader sends the second half of the others a sibling of b:
  // same parent, view and justify, the requests reversed (or none; an empty b
  // has no sibling, and goes to all).
  BlockRef alt = b;
  if (behaviour_ == Behaviour::equivocating_leader) {
    Batch other(b->batch->rbegin(), b->batch->rend());
    if (other == *b->batch) other.clear();
    alt = make_block(b->justify, b->height, b->view, std::make_shared<const Batch>(std::move(other)));
  }
  for (std::size_t i = 0; i < others.size(); ++i) {
    Message p;
    p.kind = MsgKind::proposal;
    p.to = others[i];
    p.view = b->view;
    p.block = i < others.size() / 2 ? b : alt;
    send(std::move(p), env);
  }
}

bool HotStuffReplica::well_formed(const Block& b) const {
  if (!b.batch || b.justify.view >= b.view || b.parent != b.justify.block || !valid_qc(b.justify)) return false;
  return b.batch_digest == batch_digest(*b.batch) &&
         b.digest == block_digest(b.parent, b.view, b.height, b.batch_digest, b.justify.view);
}

void HotStuffReplica::await_parent(const Message& m, HotStuffEnvironment& env) {
  const Hash256& parent = m.block->parent;
  orphans_[parent].push_back(m);
  if (!fetching_.insert(parent).second) return;
  Message f;
  f.kind = MsgKind::fetch;
  f.to = m.from;
  f.digest = parent;
  send(std::move(f), env);
}

// Blocks waiting for `parent` are handled now that it is known.
void HotStuffReplica::adopt_children(const Hash256& parent, HotStuffEnvironment& env) {
  fetching_.erase(parent);
  const auto it = orphans_.find(parent);
  if (it == orphans_.end()) return;
  std::vector<Message> waiting = std::move(it->second);
  orphans_.erase(it);
  for (const Message& m : waiting) on_message(m, env);
}

void HotStuffReplica::on_fetch(const Message& m, HotStuffEnvironment& env) {
  const auto it = blocks_.find(m.digest);
  if (it == blocks_.end() || m.from >= config_.n) return;
  Message b;
  b.kind = MsgKind::block;
  b.to = m.from;
  b.view = it->second->view;
  b.block = it->second;
  send(std::move(b), env);
}

// A fetched block: kept (no vote: its view is over) and its QC processed.
void HotStuffReplica::on_block(const Message& m, HotStuffEnvironment& env) {
  if (!m.block || block(m.block->digest) != nullptr || !well_formed(*m.block)) return;
  const Block* parent = block(m.block->parent);
  if (parent == nullptr) {
    await_parent(m, env);
    return;
  }
  if (m.block->height != parent->height + 1) return;
  blocks_.emplace(m.block->digest, m.block);
  process_qc(m.block->justify, env);
  adopt_children(m.block->digest, env);
}

void HotStuffReplica::on_proposal(const Message& m, HotStuffEnvironment& env) {
  if (!m.block) return;
  const BlockRef b = m.block;
  if (m.from != leader(b->view) || b->view < view_ || b->view <= voted_view_) return;
  if (!well_formed(*b)) return;
  const Block* parent = block(b->parent);
  if (parent == nullptr) {
    await_parent(m, env);
    return;
  }
  if (b->height != parent->height + 1) return;
  blocks_.emplace(b->digest, b);

  // safeNode: extends the locked block, or carries a QC newer than the lock.
  const bool safe = extends(*b, locked_->digest) || b->justify.view > locked_->view;
  if (safe) {
    voted_view_ = b->view;
    timeout_ = config_.view_timeout_s;  // progress
    const std::uint32_t next = leader(b->view + 1);
    if (next != id_) {
      Message v;
      v.kind = MsgKind::vote;
      v.to = next;
      v.view = b->view;
      v.digest = b->digest;
      send(std::move(v), env);
    }
    process_qc(b->justify, env);
    if (next == id_) on_vote(id_, b->view, b->digest, env);
    enter_view(b->view + 1, env);
  } else {
    process_qc(b->justify, env);
  }
  // Votes may have arrived before the block.
  try_form_qc(b->view, b->digest, env);
  adopt_children(b->digest, env);
}

void HotStuffReplica::on_vote(std::uint32_t from, std::uint64_t view, const Hash256& digest, HotStuffEnvironment& env) {
  if (leader(view + 1) != id_) return;
  votes_[{view, digest}].insert(from);
  try_form_qc(view, digest, env);
}

void HotStuffReplica::try_form_qc(std::uint64_t view, const Hash256& digest, HotStuffEnvironment& env) {
  if (leader(view + 1) != id_ || high_qc_.view >= view || block(digest) == nullptr) return;
  const auto it = votes_.find({view, digest});
  if (it == votes_.end() || it->second.size() < config_.n - config_.f) return;
  QC qc{view, digest, std::vector<std::uint32_t>(it->second.begin(), it->second.end())};
  process_qc(qc, env);
  enter_view(view + 1, env);
  try_propose(env);
}

void HotStuffReplica::on_new_view(std::uint32_t from, std::uint64_t view, const QC& qc, HotStuffEnvironment& env) {
  if (leader(view) != id_ || view < view_ || !valid_qc(qc)) return;
  process_qc(qc, env);
  auto& senders = new_views_[view];
  senders[from] = qc;
  if (senders.size() >= config_.n - config_.f) {
    enter_view(view, env);
    try_propose(env);
  }
}

}  // namespace cbsim::models::consensus::hotstuff
