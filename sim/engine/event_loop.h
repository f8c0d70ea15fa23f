#pragma once
// Drives the event queue through simulated time. Two implementations:
//  - StandaloneLoop: pops events in order (network models "latency" and "ideal").
//  - SimgridLoop: SimGrid owns the clock; our queue's head is armed as a SimGrid
//    kernel timer and large messages travel as SimGrid flows that share
//    bandwidth (network model "tcp").

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sim/engine/event_queue.h"

namespace cbsim::sim {

struct HostSpec {
  double upload_bps = 0.0;
  double download_bps = 0.0;
  double cpu_hz = 1.0e9;
};

class EventLoop {
public:
  using Handler = std::function<void(const Event&)>;
  virtual ~EventLoop() = default;

  virtual double now() const = 0;
  virtual void schedule(double time, std::uint32_t type, std::uint32_t target, std::uint64_t data) = 0;
  // Runs until no event is left, stop() is called, or time would pass `until` (<= 0: no limit).
  virtual void run(const Handler& handler, double until) = 0;
  // Discards every pending event: the run ends after the current one.
  virtual void stop() = 0;
  virtual std::uint64_t events_processed() const = 0;

  // Flow-level transfers (only SimgridLoop supports them). On completion the
  // loop schedules an event (type, target, data) at the completion time.
  virtual bool supports_flows() const { return false; }
  virtual void start_flow(std::uint32_t /*from*/, std::uint32_t /*to*/, std::uint64_t /*bytes*/,
                          std::uint32_t /*type*/, std::uint32_t /*target*/, std::uint64_t /*data*/) {}
};

std::unique_ptr<EventLoop> make_standalone_loop();

struct FlowModelSettings {
  double bandwidth_factor = 0.97;
  double latency_factor = 1.0;
};
// Creates the one SimGrid engine of this process and a platform with one host
// per node (see sim/platform/star_platform.h).
std::unique_ptr<EventLoop> make_simgrid_loop(const std::vector<HostSpec>& hosts, const FlowModelSettings& settings);

}  // namespace cbsim::sim
