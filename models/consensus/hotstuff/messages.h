#pragma once
// Chained HotStuff's blocks, quorum certificates and messages (Yin et al.,
// PODC 2019, Algorithm 3). Requests, batches and batch digests are PBFT's
// (models/consensus/pbft/messages.h): the same clients can drive both.
//
// Authentication is not computed: a QC is the list of replicas whose votes it
// stands for, trusted as genuine (threshold signatures are not modelled).
// Signatures and MACs only count in the wire size.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "models/consensus/auth_work.h"
#include "models/consensus/pbft/messages.h"
#include "models/crypto/hash.h"

namespace cbsim::models::consensus::hotstuff {

using crypto::Hash256;
using pbft::Batch;
using pbft::batch_digest;
using pbft::BatchRef;
using pbft::Request;

// fetch / block: block synchronisation (a replica asks the sender of a proposal
// for the missing parent by digest, and gets the block).
enum class MsgKind : std::uint8_t { request, proposal, vote, new_view, reply, fetch, block, count };

inline constexpr std::array<std::string_view, static_cast<std::size_t>(MsgKind::count)> kMsgKindNames = {
    "request", "proposal", "vote", "new_view", "reply", "fetch", "block"};

inline std::string_view name_of(MsgKind k) { return kMsgKindNames[static_cast<std::size_t>(k)]; }

// A quorum certificate: n - f votes for `block` in `view` (the block's view).
struct QC {
  std::uint64_t view = 0;
  Hash256 block{};
  std::vector<std::uint32_t> signers;  // distinct replicas, ascending
};

struct Block {
  Hash256 digest{};  // block_digest(parent, view, height, batch digest, justify view)
  Hash256 parent{};
  std::uint64_t view = 0;
  std::uint64_t height = 0;  // genesis: 0
  BatchRef batch;
  Hash256 batch_digest{};
  QC justify;  // for the parent (the proposer's highest QC)
};
using BlockRef = std::shared_ptr<const Block>;

// SHA-256 over parent || view || height || batch digest || justify view.
Hash256 block_digest(const Hash256& parent, std::uint64_t view, std::uint64_t height, const Hash256& batch,
                     std::uint64_t justify_view);
BlockRef make_block(const QC& justify, std::uint64_t height, std::uint64_t view, BatchRef batch);
// The genesis block (view 0, height 0, empty batch) and its QC, shared by all replicas.
const BlockRef& genesis();
QC genesis_qc();

struct Message {
  MsgKind kind = MsgKind::request;
  std::uint32_t from = 0;  // replica id, or the client for a request
  std::uint32_t to = 0;    // replica id, or the client for a reply
  std::uint64_t view = 0;  // proposal: the block's view; vote: the voted block's view; new_view: the view entered;
                           // reply: the sender's current view
  Request request;         // request
  BlockRef block;          // proposal
  Hash256 digest{};        // vote: the voted block; reply: the committed block
  QC qc;                   // new_view: the sender's highest QC
  std::uint64_t height = 0;                // reply: the committed block's height (PBFT's seq)
  std::vector<std::uint64_t> request_ids;  // reply: the client's requests in that block, in block order
};

// A Byzantine sender's alteration of `m` in transit: the digest it certifies
// gets its bits flipped (a vote's or reply's block, a new-view QC's block);
// a proposal's block is replaced by a copy whose digest no longer matches its
// fields (the original, shared with others, is left alone).
void corrupt(Message& m);

struct WireParams {
  std::uint32_t n;                      // replicas: a request's authenticator has one MAC per replica
  std::uint32_t mac_bytes;              // as pbft::WireParams
  std::uint32_t signature_bytes = 64;   // a vote's signature (64: e.g. Ed25519 or compact ECDSA)
};

// What a replica receiving `m` checks: a request's MAC (clients authenticate
// as in PBFT), a vote's signature, a proposal's or synced block's signature
// and every signature of its justify QC (no threshold signatures), a
// new-view's QC; a fetch is MAC'd.
AuthWork verification_work(const Message& m);

// Serialised size in bytes (see messages.cpp for the layout assumed).
std::uint64_t wire_size(const Message& m, const WireParams& p);

}  // namespace cbsim::models::consensus::hotstuff
