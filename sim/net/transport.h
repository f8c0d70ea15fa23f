#pragma once
// Carries messages between nodes under the scenario's network model:
//   ideal    delivered at once (for comparison with analytic results);
//   latency  propagation latency + size / min(sender upload, receiver download),
//            without sharing (SimBlock's model);
//   tcp      messages above flow_threshold_bytes become SimGrid flows after the
//            propagation latency, so concurrent transfers share each node's
//            access bandwidth (max-min fairness, LV08); smaller messages, which
//            are latency-bound, use the latency model (a 61-byte inv costs
//            microseconds of transmission but a full SimGrid communication).

#include <cstdint>
#include <string>
#include <vector>

#include "models/network/regions.h"
#include "models/random/rng.h"
#include "sim/engine/event_loop.h"

namespace cbsim::sim {

enum class NetworkModel { ideal, latency, tcp };
NetworkModel parse_network_model(const std::string& name);

struct TransportConfig {
  NetworkModel model = NetworkModel::tcp;
  bool pareto_jitter = true;
  std::uint64_t flow_threshold_bytes = 1500;
};

class Transport {
public:
  // `deliver_type` is the event type scheduled on arrival with target = receiver,
  // data = the caller's message handle; `flow_start_type` is used internally in
  // tcp mode and must be routed back to on_flow_start().
  Transport(EventLoop& loop, const TransportConfig& config, const models::network::RegionTable& regions,
            std::vector<std::uint32_t> node_region, models::random::Rng rng, std::uint32_t deliver_type,
            std::uint32_t flow_start_type);

  void send(std::uint32_t from, std::uint32_t to, std::uint64_t bytes, std::uint64_t handle);
  // When a message of `bytes` (not a flow) sent now would arrive, drawing the
  // same random latency send() would: the caller delivers it some other way.
  double arrival_time(std::uint32_t from, std::uint32_t to, std::uint64_t bytes);
  bool is_flow(std::uint64_t bytes) const {
    return config_.model == NetworkModel::tcp && bytes > config_.flow_threshold_bytes;
  }
  void on_flow_start(const Event& e);

  // Seconds added to every message an endpoint sends or receives (a VM's
  // virtual network; sim/cloud/node_hosting.h), paid at both ends.
  void set_endpoint_overhead(std::vector<double> seconds) { endpoint_overhead_s_ = std::move(seconds); }

  double upload_bps(std::uint32_t node) const;
  double download_bps(std::uint32_t node) const;
  std::uint32_t region_of(std::uint32_t node) const { return node_region_[node]; }
  std::uint64_t flows() const { return flows_; }

private:
  struct FlowRequest {
    std::uint32_t from, to;
    std::uint64_t bytes, handle;
  };
  double propagation_latency(std::uint32_t from, std::uint32_t to);

  EventLoop& loop_;
  TransportConfig config_;
  const models::network::RegionTable& regions_;
  std::vector<std::uint32_t> node_region_;
  models::random::Rng rng_;
  std::uint32_t deliver_type_;
  std::uint32_t flow_start_type_;
  std::vector<FlowRequest> flow_requests_;
  std::vector<std::uint32_t> free_requests_;
  std::uint64_t flows_ = 0;
  std::vector<double> endpoint_overhead_s_;  // empty: none
};

}  // namespace cbsim::sim
