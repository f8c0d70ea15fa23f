#include "sim/net/transport.h"

#include <algorithm>
#include <stdexcept>

namespace cbsim::sim {

NetworkModel parse_network_model(const std::string& name) {
  if (name == "ideal") return NetworkModel::ideal;
  if (name == "latency") return NetworkModel::latency;
  if (name == "tcp") return NetworkModel::tcp;
  throw std::invalid_argument("unknown network model " + name);
}

Transport::Transport(EventLoop& loop, const TransportConfig& config, const models::network::RegionTable& regions,
                     std::vector<std::uint32_t> node_region, models::random::Rng rng, std::uint32_t deliver_type,
                     std::uint32_t flow_start_type)
    : loop_(loop),
      config_(config),
      regions_(regions),
      node_region_(std::move(node_region)),
      rng_(std::move(rng)),
      deliver_type_(deliver_type),
      flow_start_type_(flow_start_type) {
  if (config_.model == NetworkModel::tcp && !loop_.supports_flows())
    throw std::logic_error("network model tcp needs the SimGrid event loop");
}

double Transport::upload_bps(std::uint32_t node) const { return regions_.regions[node_region_[node]].upload_bps; }
double Transport::download_bps(std::uint32_t node) const {
  return regions_.regions[node_region_[node]].download_bps;
}

double Transport::propagation_latency(std::uint32_t from, std::uint32_t to) {
  const double mean = regions_.latency(node_region_[from], node_region_[to]);
  const double latency = config_.pareto_jitter ? models::network::sample_pareto_latency_s(mean, rng_) : mean;
  return endpoint_overhead_s_.empty() ? latency : latency + endpoint_overhead_s_[from] + endpoint_overhead_s_[to];
}

double Transport::arrival_time(std::uint32_t from, std::uint32_t to, std::uint64_t bytes) {
  const double now = loop_.now();
  if (config_.model == NetworkModel::ideal) return now;
  const double bandwidth = std::min(upload_bps(from), download_bps(to));
  return now + propagation_latency(from, to) + static_cast<double>(bytes) * 8.0 / bandwidth;
}

void Transport::send(std::uint32_t from, std::uint32_t to, std::uint64_t bytes, std::uint64_t handle) {
  if (!is_flow(bytes)) {
    loop_.schedule(arrival_time(from, to, bytes), deliver_type_, to, handle);
    return;
  }
  const double start = loop_.now() + propagation_latency(from, to);
  std::uint32_t slot;
  if (free_requests_.empty()) {
    slot = static_cast<std::uint32_t>(flow_requests_.size());
    flow_requests_.push_back({from, to, bytes, handle});
  } else {
    slot = free_requests_.back();
    free_requests_.pop_back();
    flow_requests_[slot] = {from, to, bytes, handle};
  }
  loop_.schedule(start, flow_start_type_, to, slot);
}

void Transport::on_flow_start(const Event& e) {
  const FlowRequest r = flow_requests_[e.data];
  free_requests_.push_back(static_cast<std::uint32_t>(e.data));
  ++flows_;
  loop_.start_flow(r.from, r.to, r.bytes, deliver_type_, r.to, r.handle);
}

}  // namespace cbsim::sim
