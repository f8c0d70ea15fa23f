#pragma once
// The safety invariant of committee consensus: no two honest replicas commit
// different batches at the same sequence number. Fed every commit of a run;
// Byzantine replicas' commits are not evidence either way and are ignored.

#include <cstdint>
#include <string>
#include <unordered_map>

#include "models/crypto/hash.h"

namespace cbsim::models::consensus {

class SafetyChecker {
public:
  // Returns true if this commit contradicts an earlier honest commit.
  bool on_commit(std::uint32_t replica, std::uint64_t seq, const crypto::Hash256& digest) {
    const auto [it, first] = committed_.try_emplace(seq, Decision{digest, replica});
    if (first || it->second.digest == digest) return false;
    if (violations_ == 0)
      first_violation_ = "seq " + std::to_string(seq) + ": replica " + std::to_string(it->second.replica) +
                         " and replica " + std::to_string(replica) + " committed different batches";
    ++violations_;
    return true;
  }
  std::uint64_t violations() const { return violations_; }
  const std::string& first_violation() const { return first_violation_; }
  // What a run must fail with: a violation although at most f replicas were
  // Byzantine (the protocol promises safety then, so the model or the
  // simulator is wrong); "" otherwise. Beyond f a violation is a result.
  std::string failure(std::uint32_t byzantine, std::uint32_t f) const {
    if (violations_ == 0 || byzantine > f) return "";
    return "safety violated with " + std::to_string(byzantine) + " Byzantine replica(s), at most f = " +
           std::to_string(f) + " tolerated: " + first_violation_;
  }
  // Sequence numbers committed by at least one honest replica.
  std::size_t decided() const { return committed_.size(); }

private:
  struct Decision {
    crypto::Hash256 digest;
    std::uint32_t replica;
  };
  std::unordered_map<std::uint64_t, Decision> committed_;
  std::uint64_t violations_ = 0;
  std::string first_violation_;
};

}  // namespace cbsim::models::consensus
