#pragma once
// The fake network of tests/models/fake_committee_network.h for HotStuff replicas.

#include "models/consensus/hotstuff/replica.h"
#include "tests/models/fake_committee_network.h"

namespace cbsim::test {

using namespace cbsim::models::consensus::hotstuff;
namespace hotstuff = cbsim::models::consensus::hotstuff;

struct HotStuffFakeProtocol {
  using Environment = HotStuffEnvironment;
  using Replica = HotStuffReplica;
  using Message = hotstuff::Message;
  using MsgKind = hotstuff::MsgKind;
  using Request = hotstuff::Request;
  using Batch = hotstuff::Batch;
  using Behaviour = hotstuff::Behaviour;
  using Config = HotStuffConfig;
  struct Commit {
    std::uint32_t replica;
    std::uint64_t view;
    std::uint64_t height;
    Hash256 digest;
    Batch batch;
    bool operator==(const Commit&) const = default;
  };
};

using HotStuffFakeNetwork = FakeCommitteeNetwork<HotStuffFakeProtocol>;

}  // namespace cbsim::test
