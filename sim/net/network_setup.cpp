#include "sim/net/network_setup.h"

#include "models/network/regions.h"
#include "models/random/rng.h"
#include "sim/cloud/node_hosting.h"
#include "sim/cloud/node_placement.h"

#include <algorithm>

namespace cbsim::sim {

namespace network = models::network;
using models::random::Rng;

NetworkSetup build_network_setup(const scenario::Scenario& s, std::size_t endpoints, std::uint32_t deliver_type,
                                 std::uint32_t flow_start_type) {
  const scenario::NetworkConfig& net = s.network;
  const network::RegionTable& regions = network::region_table(net.regions);
  std::vector<double> shares = net.region_shares;
  if (shares.empty())
    for (const network::Region& r : regions.regions) shares.push_back(r.node_share);
  Rng region_rng(s.seed, "regions");
  NetworkSetup setup;
  setup.endpoint_region = network::assign_regions(endpoints, shares, region_rng);
  // Nodes in datacenters are in their datacenter's region (other endpoints, a
  // committee's clients, keep theirs).
  const std::vector<std::uint32_t> datacenter_regions = node_datacenter_regions(s);
  std::copy(datacenter_regions.begin(), datacenter_regions.end(), setup.endpoint_region.begin());

  const NetworkModel model = parse_network_model(net.model);
  if (model == NetworkModel::tcp) {
    std::vector<HostSpec> hosts(endpoints);
    for (std::size_t i = 0; i < endpoints; ++i) {
      const network::Region& r = regions.regions[setup.endpoint_region[i]];
      hosts[i] = HostSpec{r.upload_bps, r.download_bps, s.nodes.cpu_hz};
    }
    setup.loop = make_simgrid_loop(hosts, FlowModelSettings{net.tcp_bandwidth_factor, net.tcp_latency_factor});
  } else {
    setup.loop = make_standalone_loop();
  }
  TransportConfig tc;
  tc.model = model;
  tc.pareto_jitter = net.latency_jitter == "pareto";
  tc.flow_threshold_bytes = static_cast<std::uint64_t>(net.flow_threshold_bytes);
  setup.transport = std::make_unique<Transport>(*setup.loop, tc, regions, setup.endpoint_region,
                                                Rng(s.seed, "latency"), deliver_type, flow_start_type);
  if (node_vm_profile(s).added_latency_s > 0.0)
    setup.transport->set_endpoint_overhead(endpoint_message_overhead_s(s, endpoints));
  return setup;
}

}  // namespace cbsim::sim
