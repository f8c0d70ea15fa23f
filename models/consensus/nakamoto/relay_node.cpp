#include "models/consensus/nakamoto/relay_node.h"

#include <algorithm>

namespace cbsim::models::consensus::nakamoto {

RelayNode::RelayNode(std::uint32_t id, std::span<const std::uint32_t> peers, const SharedChain& shared)
    : id_(id), peers_(peers), shared_(&shared), tree_(shared.store) {}

RelayNode::Pending* RelayNode::find(BlockId block) {
  for (Pending& p : pending_)
    if (p.block == block) return &p;
  return nullptr;
}

void RelayNode::erase(BlockId block) {
  std::erase_if(pending_, [block](const Pending& p) { return p.block == block; });
}

RelayNode::Pending& RelayNode::request(BlockId block, std::uint32_t from, NodeEnvironment& env) {
  Pending& p = pending_.emplace_back();
  p.block = block;
  p.source = from;
  p.stage = Stage::requested;
  Message getdata{MsgKind::getdata, id_, from, block};
  getdata.want_compact = shared_->config.compact;
  env.send(getdata);
  return p;
}

void RelayNode::on_message(const Message& m, NodeEnvironment& env) {
  switch (m.kind) {
    case MsgKind::inv:
      on_inv(m, env);
      break;
    case MsgKind::getdata:
      on_getdata(m, env);
      break;
    case MsgKind::block:
      on_block_data(m.block, m.from, shared_->store.at(m.block).transactions.size(), env);
      break;
    case MsgKind::cmpctblock:
      on_cmpctblock(m, env);
      break;
    case MsgKind::getblocktxn:
      on_getblocktxn(m, env);
      break;
    case MsgKind::blocktxn: {
      const Pending* p = find(m.block);
      if (p != nullptr && p->stage == Stage::reconstructing) on_block_data(m.block, m.from, m.tx_count, env);
      break;
    }
    case MsgKind::count:
      break;
  }
}

void RelayNode::on_inv(const Message& m, NodeEnvironment& env) {
  if (tree_.has(m.block)) return;
  Pending* p = find(m.block);
  if (p == nullptr) p = &request(m.block, m.from, env);
  p->announcers.emplace_back(m.from, env.now());
}

bool RelayNode::note_announcement(BlockId block, std::uint32_t from, double arrival) {
  Pending* p = find(block);
  if (p == nullptr) return false;
  p->announcers.emplace_back(from, arrival);
  return true;
}

void RelayNode::on_getdata(const Message& m, NodeEnvironment& env) {
  if (!tree_.has(m.block)) return;  // never announced what it does not hold; stale request
  Message reply{m.want_compact ? MsgKind::cmpctblock : MsgKind::block, id_, m.from, m.block};
  reply.tx_count = static_cast<std::uint32_t>(shared_->store.at(m.block).transactions.size());
  env.send(reply);
}

void RelayNode::on_cmpctblock(const Message& m, NodeEnvironment& env) {
  Pending* p = find(m.block);
  if (p == nullptr || p->stage != Stage::requested) return;
  const NodeEnvironment::MissingTxs missing = env.missing_transactions(id_, m.block);
  if (missing.count == 0) {
    on_block_data(m.block, m.from, 0, env);
    return;
  }
  p->stage = Stage::reconstructing;
  p->missing_txs = missing.count;
  Message ask{MsgKind::getblocktxn, id_, m.from, m.block};
  ask.tx_count = missing.count;
  ask.tx_bytes = missing.bytes;  // carried so the reply has the right size; not on the wire
  env.send(ask);
}

void RelayNode::on_getblocktxn(const Message& m, NodeEnvironment& env) {
  if (!tree_.has(m.block)) return;
  Message reply{MsgKind::blocktxn, id_, m.from, m.block};
  reply.tx_count = m.tx_count;
  reply.tx_bytes = m.tx_bytes;
  env.send(reply);
}

void RelayNode::on_block_data(BlockId block, std::uint32_t from, std::uint32_t fetched_txs, NodeEnvironment& env) {
  Pending* p = find(block);
  if (p == nullptr) {
    if (tree_.has(block)) return;
    p = &pending_.emplace_back();
    p->block = block;
    p->source = from;
  }
  if (p->stage == Stage::validating || p->stage == Stage::awaiting_parent) return;
  // Transactions the node had in its mempool were validated on arrival; those
  // it lacked (a full block's missing ones, or those fetched with blocktxn) are new.
  p->missing_txs = (fetched_txs > 0) ? fetched_txs : env.missing_transactions(id_, block).count;
  const BlockId parent = shared_->store.at(block).parent;
  if (!tree_.has(parent)) {
    p->stage = Stage::awaiting_parent;
    if (find(parent) == nullptr) request(parent, from, env);
    return;
  }
  start_validation(*p, env);
}

void RelayNode::start_validation(Pending& p, NodeEnvironment& env) {
  p.stage = Stage::validating;
  const chain::Block& b = shared_->store.at(p.block);
  const double cycles = shared_->config.costs.block_cycles(b.size_bytes, b.transactions.size(), p.missing_txs);
  env.start_validation(id_, p.block, cycles);
}

void RelayNode::on_validated(BlockId block, NodeEnvironment& env) {
  Pending* p = find(block);
  if (p == nullptr) return;
  std::vector<std::uint32_t> skip{p->source};
  for (const auto& [peer, arrival] : p->announcers)
    if (arrival <= env.now()) skip.push_back(peer);
  erase(block);

  if (!chain::validate_block(shared_->store, shared_->pool, block, shared_->config.rules)) {
    env.block_rejected(id_, block, shared_->store.at(block).invalid_reason);
    return;
  }
  const chain::AddOutcome outcome = tree_.add(block);
  env.block_accepted(id_, block, outcome);
  if (outcome.new_tip != outcome.old_tip) announce(outcome.new_tip, skip, env);

  // Children that arrived before this block can be validated now.
  for (Pending& child : pending_)
    if (child.stage == Stage::awaiting_parent && shared_->store.at(child.block).parent == block)
      start_validation(child, env);
}

void RelayNode::on_mined(BlockId block, NodeEnvironment& env) {
  const chain::AddOutcome outcome = tree_.add(block);
  env.block_accepted(id_, block, outcome);
  if (outcome.new_tip != outcome.old_tip) announce(block, {}, env);
}

void RelayNode::on_published(BlockId block, NodeEnvironment& env) {
  env.block_accepted(id_, block, tree_.add(block));
  announce(block, {}, env);
}

void RelayNode::announce(BlockId block, const std::vector<std::uint32_t>& skip, NodeEnvironment& env) {
  for (std::uint32_t peer : peers_) {
    if (std::find(skip.begin(), skip.end(), peer) != skip.end()) continue;
    env.send(Message{MsgKind::inv, id_, peer, block});
  }
}

}  // namespace cbsim::models::consensus::nakamoto
