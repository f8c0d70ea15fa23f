#pragma once
// The fake network of tests/models/fake_committee_network.h for PBFT
// replicas, and the tests' committee configuration.

#include "models/consensus/pbft/replica.h"
#include "tests/models/fake_committee_network.h"

namespace cbsim::test {

using namespace cbsim::models::consensus::pbft;
namespace pbft = cbsim::models::consensus::pbft;

// The tests' committee: n replicas, batches of `batch_max`, 10 ms batch and 1 s view-change timeouts.
inline PbftConfig config(std::uint32_t n, std::uint32_t batch_max = 1) {
  PbftConfig c = make_config(n);
  c.batch_max_requests = batch_max;
  c.batch_timeout_s = 0.01;
  c.view_change_timeout_s = 1.0;
  return c;
}

struct PbftFakeProtocol {
  using Environment = PbftEnvironment;
  using Replica = PbftReplica;
  using Message = pbft::Message;
  using MsgKind = pbft::MsgKind;
  using Request = pbft::Request;
  using Batch = pbft::Batch;
  using Behaviour = pbft::Behaviour;
  using Config = PbftConfig;
  struct Commit {
    std::uint32_t replica;
    std::uint64_t view;
    std::uint64_t seq;
    Hash256 digest;
    Batch batch;
    bool operator==(const Commit&) const = default;
  };
};

using PbftFakeNetwork = FakeCommitteeNetwork<PbftFakeProtocol>;

}  // namespace cbsim::test
