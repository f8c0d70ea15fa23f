#pragma once
// The network of a run: endpoints placed in the scenario's regions, the event
// loop its network model needs (SimGrid's for tcp) and the transport between
// endpoints. Shared by every kind of simulation.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/engine/event_loop.h"
#include "sim/net/transport.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

struct NetworkSetup {
  std::vector<std::uint32_t> endpoint_region;
  std::unique_ptr<EventLoop> loop;
  std::unique_ptr<Transport> transport;
};

// `endpoints` hosts (random stream "regions" places them, "latency" draws
// per-message latencies); arrivals are scheduled as `deliver_type` events and
// tcp flows start through `flow_start_type` events (see Transport).
NetworkSetup build_network_setup(const scenario::Scenario& s, std::size_t endpoints, std::uint32_t deliver_type,
                                 std::uint32_t flow_start_type);

}  // namespace cbsim::sim
