#pragma once
// State-machine replication's last step: every honest replica applies the
// committed batches, in its commit order, to its copy of the application
// (here the allocation contracts). Execution is deterministic, so the first
// honest replica to commit a batch runs it and records what it produced
// (the result digest and the gas); a replica committing the same batch at the
// same place of its sequence reaches the same result without running it
// again, and one whose sequence differs is counted as divergent: with at most
// f Byzantine replicas no honest one ever is.

#include <cstdint>
#include <vector>

#include "models/crypto/hash.h"

namespace cbsim::sim {

class ReplicatedExecution {
public:
  struct Result {
    models::crypto::Hash256 digest{};  // the application's result after the batch
    std::uint64_t gas = 0;             // what applying it costs each replica
  };
  explicit ReplicatedExecution(std::uint32_t replicas) : applied_(replicas, 0), divergent_(replicas, false) {}

  // An honest replica commits its next batch (`height`, `digest`): what
  // applying it costs it. `run()` applies the batch to the application and
  // returns its Result; it is called only by the first replica to get there.
  template <class Run>
  const Result& on_commit(std::uint32_t replica, std::uint64_t height, const models::crypto::Hash256& digest, Run&& run) {
    const std::size_t k = applied_[replica]++;
    if (k == sequence_.size()) sequence_.push_back({height, digest, run()});
    const Entry& e = sequence_[k];
    if (e.height != height || e.digest != digest) divergent_[replica] = true;
    return e.result;
  }

  // Batches applied by the most advanced replica.
  std::size_t batches() const { return sequence_.size(); }
  // Replicas that applied all of them and agree with the sequence.
  std::uint32_t up_to_date() const {
    std::uint32_t n = 0;
    for (std::size_t r = 0; r < applied_.size(); ++r) n += applied_[r] == sequence_.size() && !divergent_[r] ? 1 : 0;
    return n;
  }
  std::uint32_t divergent() const {
    std::uint32_t n = 0;
    for (const bool d : divergent_) n += d ? 1 : 0;
    return n;
  }
  // The result every agreeing replica holds after its `applied` batches.
  std::uint64_t applied(std::uint32_t replica) const { return applied_[replica]; }
  const models::crypto::Hash256& result_after(std::uint64_t batches) const { return sequence_.at(batches - 1).result.digest; }

private:
  struct Entry {
    std::uint64_t height = 0;
    models::crypto::Hash256 digest{};
    Result result;
  };
  std::vector<Entry> sequence_;
  std::vector<std::uint64_t> applied_;
  std::vector<bool> divergent_;
};

}  // namespace cbsim::sim
