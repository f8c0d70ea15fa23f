#pragma once
// PBFT's messages (Castro & Liskov, OSDI 1999; TOCS 2002) and their wire
// sizes. Requests are identified by (client, request id); a batch is the
// ordered list of requests a pre-prepare orders under one sequence number, and
// its digest is real SHA-256 over the requests' digests.
//
// Authentication is not computed: a message's MAC authenticator (or, for
// view-change/new-view, its certificates) only counts in the wire size.
// Replicas trust that a message's `from` is its sender and that certificates
// carried in view-change messages are genuine (a Byzantine replica here can
// equivocate, stay silent or alter its own messages' digests, see corrupt(),
// but cannot forge other replicas' messages). What can be checked is: a
// batch against its digest in pre-prepares, new-views and view-changes'
// prepared certificates.

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "models/consensus/auth_work.h"
#include "models/crypto/hash.h"

namespace cbsim::models::consensus::pbft {

using crypto::Hash256;

enum class MsgKind : std::uint8_t {
  request, pre_prepare, prepare, commit, reply, checkpoint, view_change, new_view, count
};

inline constexpr std::array<std::string_view, static_cast<std::size_t>(MsgKind::count)> kMsgKindNames = {
    "request", "pre_prepare", "prepare", "commit", "reply", "checkpoint", "view_change", "new_view"};

inline std::string_view name_of(MsgKind k) { return kMsgKindNames[static_cast<std::size_t>(k)]; }

struct Request {
  std::uint32_t client = 0;
  std::uint64_t id = 0;             // the client's timestamp / request number
  std::uint32_t payload_bytes = 0;  // the operation's size on the wire
  auto operator<=>(const Request&) const = default;
};

using Batch = std::vector<Request>;
using BatchRef = std::shared_ptr<const Batch>;  // batches are immutable once cut

// SHA-256 over the request's fields (client, id, payload size; little-endian).
Hash256 request_digest(const Request& r);
// SHA-256 over the concatenated request digests. The null request of a view
// change is the empty batch.
Hash256 batch_digest(const Batch& b);

// A prepared certificate: a pre-prepare and 2f matching prepares for
// (view, seq, digest). Carried as the batch it prepared plus the number of
// messages it stands for.
struct PreparedCert {
  std::uint64_t view = 0;
  std::uint64_t seq = 0;
  Hash256 digest{};
  BatchRef batch;
  bool operator==(const PreparedCert& o) const {
    return view == o.view && seq == o.seq && digest == o.digest;
  }
};

struct ViewChange {
  std::uint32_t replica = 0;
  std::uint64_t new_view = 0;
  std::uint64_t stable_seq = 0;   // the replica's last stable checkpoint
  Hash256 stable_digest{};
  std::vector<PreparedCert> prepared;  // P: certificates with seq > stable_seq
};

// An entry of a new-view's O: the pre-prepare for `seq` in the new view.
struct ReissuedPrePrepare {
  std::uint64_t seq = 0;
  Hash256 digest{};
  BatchRef batch;  // empty batch: the null request
  bool operator==(const ReissuedPrePrepare& o) const { return seq == o.seq && digest == o.digest; }
};

struct NewView {
  std::uint64_t view = 0;
  std::vector<ViewChange> view_changes;       // V: 2f+1 view-change messages
  std::vector<ReissuedPrePrepare> pre_prepares;  // O
};

struct Message {
  MsgKind kind = MsgKind::request;
  std::uint32_t from = 0;  // replica id, or the client for a request
  std::uint32_t to = 0;    // replica id, or the client for a reply
  std::uint64_t view = 0;
  std::uint64_t seq = 0;
  Hash256 digest{};  // request, pre_prepare, prepare, commit: batch digest; checkpoint: state digest
  Request request;   // request
  BatchRef batch;    // pre_prepare: the batch it orders
  std::vector<std::uint64_t> request_ids;  // reply: the client's requests executed at `seq`
  std::shared_ptr<const ViewChange> view_change;  // view_change
  std::shared_ptr<const NewView> new_view;        // new_view
};

// A Byzantine sender's alteration of `m` in transit: the digests it certifies
// get their bits flipped (a view-change's stable checkpoint and prepared
// certificates, a new-view's reissued pre-prepares; the certificates are
// copied, not changed in place), while what they cover (batches) is left
// alone, so a receiver that recomputes a digest notices. A prepare, commit,
// checkpoint or reply then stands for a digest no honest replica has.
void corrupt(Message& m);

struct WireParams {
  std::uint32_t n = 4;             // replicas: an authenticator has one MAC per receiver
  std::uint32_t mac_bytes = 10;    // MAC size (configurable; see messages.cpp)
};

// What a replica receiving `m` checks: its authenticator entry (one MAC), the
// MAC of every request a pre-prepare carries, and for view-change and new-view
// the signed messages of their certificates (as in the OSDI'99 protocol, where
// view changes are signed).
AuthWork verification_work(const Message& m, std::uint32_t n);

// Serialised size in bytes (see messages.cpp for the layout assumed).
std::uint64_t wire_size(const Message& m, const WireParams& p);

// Parts of that layout which HotStuff's messages (hotstuff/messages.cpp) reuse,
// so that the same requests cost the same bytes under both protocols.
namespace wire {
inline constexpr std::uint64_t kHeader = 10;  // kind 1 + flags 1 + length 4 + sender 4
inline constexpr std::uint64_t kView = 8;
inline constexpr std::uint64_t kSeq = 8;
inline constexpr std::uint64_t kDigest = 32;  // SHA-256
inline constexpr std::uint64_t kReplica = 4;
}  // namespace wire
// A client's request with its MAC authenticator.
std::uint64_t request_wire_size(const Request& r, const WireParams& p);
// A batch inside an ordering message: a count, then each request as sent by its client.
std::uint64_t batch_wire_size(const Batch& b, const WireParams& p);
// A reply carrying `request_ids` request ids.
std::uint64_t reply_wire_size(std::size_t request_ids, const WireParams& p);

}  // namespace cbsim::models::consensus::pbft
