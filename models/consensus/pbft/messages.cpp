#include "models/consensus/pbft/messages.h"

namespace cbsim::models::consensus::pbft {

using namespace wire;

namespace {
void put(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// Layout assumed for the sizes (a compact binary encoding in the spirit of the
// BFT library of Castro & Liskov, not its exact byte layout):
//   header: kind (1) + flags (1) + length (4) + sender (4)   = 10 bytes
//   view 8, seq 8, digest 32 (SHA-256), replica ids 4
//   request: client 4 + request id 8 + payload, one MAC authenticator
//   authenticator: one MAC per receiving replica (n entries of mac_bytes;
//   default 10 bytes: the OSDI'99 implementation truncates MD5-based MACs
//   to 10 bytes, as recalled here; not re-checked against the paper)
//   reply: one MAC (for the client) and 8 bytes per request id
//   certificates (view-change P, checkpoint proof): 2f+1 messages each, each
//   counted as the message it stands for (digest + view + seq + a MAC).
constexpr std::uint64_t kRequestFixed = 4 + 8;

std::uint64_t authenticator(const WireParams& p) { return std::uint64_t{p.n} * p.mac_bytes; }
std::uint64_t batch_bytes(const BatchRef& b, const WireParams& p) { return b ? batch_wire_size(*b, p) : 4; }
// One ordering message (pre-prepare or prepare) inside a certificate.
std::uint64_t cert_message(const WireParams& p) { return kHeader + kView + kSeq + kDigest + p.mac_bytes; }
std::uint64_t quorum(const WireParams& p) { return 2 * ((p.n - 1) / 3) + 1; }

std::uint64_t view_change_bytes(const ViewChange& vc, const WireParams& p) {
  std::uint64_t s = kHeader + kView + kSeq + kDigest + kReplica;
  s += quorum(p) * cert_message(p);  // checkpoint proof: 2f+1 checkpoint messages
  // A prepared certificate is a pre-prepare and 2f prepares, all by digest:
  // the requests are not carried (Castro & Liskov 2002, 4.4; a replica that
  // lacks a request fetches it, and here every replica has it from the client).
  for (std::size_t i = 0; i < vc.prepared.size(); ++i) s += quorum(p) * cert_message(p);
  return s + authenticator(p);
}
}  // namespace

Hash256 request_digest(const Request& r) {
  std::vector<std::uint8_t> buf;
  buf.reserve(16);
  put(buf, r.client, 4);
  put(buf, r.id, 8);
  put(buf, r.payload_bytes, 4);
  return crypto::sha256(buf);
}

Hash256 batch_digest(const Batch& b) {
  std::vector<std::uint8_t> buf;
  buf.reserve(8 + 32 * b.size());
  put(buf, b.size(), 8);
  for (const Request& r : b) {
    const Hash256 d = request_digest(r);
    buf.insert(buf.end(), d.begin(), d.end());
  }
  return crypto::sha256(buf);
}

void corrupt(Message& m) {
  auto flip = [](Hash256& d) {
    for (auto& byte : d) byte = static_cast<std::uint8_t>(~byte);
  };
  flip(m.digest);
  if (m.view_change) {
    auto vc = std::make_shared<ViewChange>(*m.view_change);
    flip(vc->stable_digest);
    for (PreparedCert& c : vc->prepared) flip(c.digest);
    m.view_change = std::move(vc);
  }
  if (m.new_view) {
    auto nv = std::make_shared<NewView>(*m.new_view);
    for (ReissuedPrePrepare& pp : nv->pre_prepares) flip(pp.digest);
    m.new_view = std::move(nv);
  }
}

std::uint64_t request_wire_size(const Request& r, const WireParams& p) {
  return kHeader + kRequestFixed + r.payload_bytes + authenticator(p);
}

std::uint64_t batch_wire_size(const Batch& b, const WireParams& p) {
  std::uint64_t s = 4;  // count
  for (const Request& r : b) s += request_wire_size(r, p);
  return s;
}

std::uint64_t reply_wire_size(std::size_t request_ids, const WireParams& p) {
  return kHeader + kView + kSeq + kReplica + 4 + 8 * request_ids + p.mac_bytes;
}

AuthWork verification_work(const Message& m, std::uint32_t n) {
  const std::uint64_t q = 2 * ((n - 1) / 3) + 1;  // messages in a certificate
  const auto view_change_signatures = [&](const ViewChange& vc) { return 1 + q * (1 + vc.prepared.size()); };
  AuthWork w{1, 0};
  switch (m.kind) {
    case MsgKind::pre_prepare:
      if (m.batch) w.macs += m.batch->size();
      break;
    case MsgKind::view_change:
      w = {0, m.view_change ? view_change_signatures(*m.view_change) : 1};
      break;
    case MsgKind::new_view:
      w = {0, 1};
      if (m.new_view)
        for (const ViewChange& vc : m.new_view->view_changes) w.signatures += view_change_signatures(vc);
      break;
    default:
      break;
  }
  return w;
}

std::uint64_t wire_size(const Message& m, const WireParams& p) {
  switch (m.kind) {
    case MsgKind::request:
      return request_wire_size(m.request, p);
    case MsgKind::pre_prepare:
      return kHeader + kView + kSeq + kDigest + batch_bytes(m.batch, p) + authenticator(p);
    case MsgKind::prepare:
    case MsgKind::commit:
      return kHeader + kView + kSeq + kDigest + kReplica + authenticator(p);
    case MsgKind::checkpoint:
      return kHeader + kSeq + kDigest + kReplica + authenticator(p);
    case MsgKind::reply:
      return reply_wire_size(m.request_ids.size(), p);
    case MsgKind::view_change:
      return m.view_change ? view_change_bytes(*m.view_change, p) : kHeader + authenticator(p);
    case MsgKind::new_view: {
      std::uint64_t s = kHeader + kView;
      if (m.new_view) {
        for (const ViewChange& vc : m.new_view->view_changes) s += view_change_bytes(vc, p);
        // O's pre-prepares carry digests, not requests (as in a view change).
        s += m.new_view->pre_prepares.size() * (kView + kSeq + kDigest);
      }
      return s + authenticator(p);
    }
    case MsgKind::count:
      break;
  }
  return 0;
}

}  // namespace cbsim::models::consensus::pbft
