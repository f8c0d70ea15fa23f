#include "sim/platform/star_platform.h"

#include <simgrid/s4u.hpp>
#include <string>

namespace sg4 = simgrid::s4u;

namespace cbsim::sim {

std::vector<sg4::Host*> build_star_platform(const std::vector<HostSpec>& hosts) {
  auto* zone = sg4::create_star_zone("network");
  std::vector<sg4::Host*> created;
  created.reserve(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const std::string id = std::to_string(i);
    sg4::Host* host = zone->create_host("node-" + id, hosts[i].cpu_hz);
    // SimGrid bandwidths are bytes per second.
    sg4::SplitDuplexLink* link = zone->create_split_duplex_link("access-" + id, hosts[i].upload_bps / 8.0);
    link->get_link_down()->set_bandwidth(hosts[i].download_bps / 8.0);
    link->set_latency(0.0);
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {{link, sg4::LinkInRoute::Direction::UP}},
                    true);
    created.push_back(host);
  }
  zone->seal();
  return created;
}

}  // namespace cbsim::sim
