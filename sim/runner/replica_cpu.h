#pragma once
// The CPUs of a committee's replicas: each checks and handles the messages it
// receives one after another, each message costing committee.message_cycles
// plus the MACs and signatures it carries at costs.mac_cycles and
// costs.signature_verify_cycles, run at nodes.cpu_hz less the VM profile's
// slowdown (sim/cloud/node_hosting.h), sharing the host's cores with its
// co-tenants (sim/cloud/cloud_deployment.h).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/consensus/auth_work.h"
#include "sim/cloud/cloud_deployment.h"
#include "sim/cloud/node_hosting.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

class ReplicaCpu {
public:
  ReplicaCpu(const scenario::Scenario& s, std::uint32_t replicas, CloudDeployment& cloud)
      : cloud_(cloud),
        cpu_hz_(node_cpu_hz(s)),
        message_s_(s.committee.message_cycles / node_cpu_hz(s)),
        mac_s_(s.costs.mac_cycles / node_cpu_hz(s)),
        signature_s_(s.costs.signature_verify_cycles / node_cpu_hz(s)),
        free_at_(replicas, 0.0),
        busy_by_replica_(replicas, 0.0) {}

  double cost_s(const models::consensus::AuthWork& w) const {
    return message_s_ + static_cast<double>(w.macs) * mac_s_ + static_cast<double>(w.signatures) * signature_s_;
  }
  // A message arriving at `now` at `replica` with work `w`: when its CPU is done with it.
  double admit(std::uint32_t replica, double now, const models::consensus::AuthWork& w) {
    macs_ += w.macs;
    signatures_ += w.signatures;
    return occupy(replica, now, cost_s(w));
  }

  // `cycles` of other work (executing a committed batch) queued at `now`:
  // when the replica's CPU is done with it.
  double compute(std::uint32_t replica, double now, double cycles) { return occupy(replica, now, cycles / cpu_hz_); }

  double busy_s() const { return busy_s_; }
  const std::vector<double>& busy_by_replica() const { return busy_by_replica_; }
  std::uint64_t macs_checked() const { return macs_; }
  std::uint64_t signatures_checked() const { return signatures_; }

private:
  // `cost_s` of CPU work queued at `now`, after what the replica is busy with.
  double occupy(std::uint32_t replica, double now, double cost_s) {
    free_at_[replica] = cloud_.finish_time(replica, std::max(now, free_at_[replica]), cost_s);
    busy_s_ += cost_s;
    busy_by_replica_[replica] += cost_s;
    return free_at_[replica];
  }

  CloudDeployment& cloud_;
  double cpu_hz_;
  double message_s_, mac_s_, signature_s_;
  std::vector<double> free_at_;
  std::vector<double> busy_by_replica_;
  double busy_s_ = 0.0;
  std::uint64_t macs_ = 0;
  std::uint64_t signatures_ = 0;
};

}  // namespace cbsim::sim
