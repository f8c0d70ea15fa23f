#pragma once
// The authentication a replica checks in a message it receives: MACs (PBFT's
// authenticators, clients' request MACs) and signatures (HotStuff's votes and
// quorum certificates, PBFT's view-change certificates). The simulator turns
// it into CPU time with the scenario's cost model (costs.mac_cycles,
// costs.signature_verify_cycles) on the replica's host.

#include <cstdint>

namespace cbsim::models::consensus {

struct AuthWork {
  std::uint64_t macs = 0;
  std::uint64_t signatures = 0;
};

}  // namespace cbsim::models::consensus
