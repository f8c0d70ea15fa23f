#pragma once
// The clients' side of a committee run: which requests were sent when, which
// were accepted when (f + 1 matching replies: at most f replicas can lie, so
// f + 1 that agree prove the result), and what the clients observed: latency,
// throughput, how long commits stalled, when they resumed after a fault.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "models/crypto/hash.h"
#include "sim/output/csv_table.h"

namespace cbsim::sim {

class ClientLedger {
public:
  explicit ClientLedger(std::uint32_t replies_needed) : replies_needed_(replies_needed) {}

  // Returns the new request's id (ids are 0, 1, 2, ... in submission order).
  std::uint64_t submit(std::uint32_t client, double now);
  // A reply from `replica` for request `id`, vouching for `result` (the digest
  // of what was executed). Returns true when the reply makes the request accepted.
  bool on_reply(std::uint64_t id, std::uint32_t replica, const models::crypto::Hash256& result, double now);

  std::size_t submitted() const { return requests_.size(); }
  std::uint64_t accepted() const { return accepted_; }
  double last_accept_s() const { return last_accept_s_; }
  // When request `id` was accepted; negative if it was not.
  double accepted_s(std::uint64_t id) const { return requests_.at(id).accepted_s; }

  // consensus.{committed_requests, submitted_requests, throughput_rps,
  // latency_s, stall_s} as of `end_s`. A stall is a time with requests
  // outstanding and none accepted; total_over_s sums the stalls longer than
  // `stall_threshold_s` (the protocol's own view-change timeout: what it
  // itself takes for a failure).
  nlohmann::json metrics(double end_s, double stall_threshold_s) const;
  // For each time in `starts`: how long after it the first request submitted
  // at or after it was accepted (null if none was).
  nlohmann::json resumed_after(const std::vector<double>& starts) const;
  CsvTable table() const;

private:
  struct Request {
    std::uint32_t client = 0;
    double submitted_s = 0.0;
    double accepted_s = -1.0;
    std::uint32_t replies = 0;
    // Distinct results vouched for and how many replicas vouched for each; one
    // entry unless a replica lied.
    std::vector<std::pair<models::crypto::Hash256, std::uint32_t>> results;
  };

  std::uint32_t replies_needed_;
  std::vector<Request> requests_;
  std::uint64_t accepted_ = 0;
  double last_accept_s_ = 0.0;
};

}  // namespace cbsim::sim
