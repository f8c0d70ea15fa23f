#pragma once
// The SimGrid platform: one host per node in a star zone, each attached to the
// core by its own access link, split in an upload and a download direction
// (SimBlock's per-region upload/download bandwidth). Propagation latency is not
// put on the links: cbsim draws it per message (region matrix, optional
// Pareto jitter) and starts the flow once it has elapsed, so the flow model
// only decides how concurrent transfers share each node's access bandwidth.

#include <vector>

#include "sim/engine/event_loop.h"

namespace simgrid::s4u {
class Host;
}

namespace cbsim::sim {

std::vector<simgrid::s4u::Host*> build_star_platform(const std::vector<HostSpec>& hosts);

}  // namespace cbsim::sim
