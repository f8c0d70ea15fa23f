#pragma once
// VM placement policies with CloudSim Plus semantics (VmAllocationPolicyFirstFit,
// BestFit, WorstFit, RoundRobin, Random). A policy only chooses; HostPool allocates.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "models/cloud/host.h"
#include "models/random/rng.h"

namespace cbsim::models::cloud {

using HostId = std::size_t;  // index in the pool's host order

class PlacementPolicy {
public:
  virtual ~PlacementPolicy() = default;
  // The host to place `vm` on, or nothing when no host fits it.
  virtual std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) = 0;
};

// The first host, in host order, that fits.
class FirstFitPolicy final : public PlacementPolicy {
public:
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;
};

// The fitting host with the fewest free MIPS left after placing (tightest packing).
// Ties: fewer free PEs, then the lowest host index.
class BestFitPolicy final : public PlacementPolicy {
public:
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;
};

// The fitting host with the most free MIPS left after placing (load spreading).
// Ties: more free PEs, then the lowest host index.
class WorstFitPolicy final : public PlacementPolicy {
public:
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;
};

// Searches from the host after the last one chosen, wrapping around; the first
// search starts at host 0. A failed placement leaves the position unchanged.
class RoundRobinPolicy final : public PlacementPolicy {
public:
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;

private:
  std::optional<HostId> last_;
};

// The host chosen beforehand, if it fits: to rebuild a pool whose VMs are
// already placed (a consolidation snapshot, a test's hand-made state).
class PinnedHostPolicy final : public PlacementPolicy {
public:
  HostId host = 0;
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;
};

// Uniform among the hosts that fit; the stream is the policy's own, so the
// choices depend only on the seed and the sequence of requests.
class RandomPolicy final : public PlacementPolicy {
public:
  explicit RandomPolicy(random::Rng rng) : rng_(std::move(rng)) {}
  std::optional<HostId> choose_host(std::span<const Host> hosts, const VmRequest& vm) override;

private:
  random::Rng rng_;
};

// "first_fit", "best_fit", "worst_fit", "round_robin", "random" (scenario names);
// throws std::invalid_argument for any other name.
std::unique_ptr<PlacementPolicy> make_placement_policy(std::string_view name, random::Rng rng);

}  // namespace cbsim::models::cloud
