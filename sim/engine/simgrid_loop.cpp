// SimGrid-driven event loop. Everything runs in SimGrid's maestro context:
// - our event queue's earliest event is armed as a kernel timer, so SimGrid
//   advances its clock to exactly that date and calls us back;
// - flows are host-to-host communications (Comm::sendto), detached, whose end
//   we learn from Link::on_communication_state_change.
// No actor is created: one actor per node would cost a context switch and a
// SimGrid synchronisation per message, which SIMGRID-NOTES.md measured as the
// bottleneck at 10,000 nodes.
// While no flow is in progress SimGrid has nothing to compute, so the loop runs
// ahead of SimGrid's clock, dispatching queued events directly; a flow started
// by such an event is handed to SimGrid when its clock reaches that event's
// date, before any later event is dispatched, so every flow starts at exactly
// the date it would have started otherwise.

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "sim/engine/event_loop.h"
#include "sim/engine/interruption.h"
#include "sim/platform/star_platform.h"

namespace sg4 = simgrid::s4u;
using simgrid::kernel::resource::Action;
using simgrid::kernel::timer::Timer;

namespace cbsim::sim {

namespace {

struct PendingFlow {
  std::uint32_t type;
  std::uint32_t target;
  std::uint64_t data;
};

class SimgridLoop final : public EventLoop {
public:
  SimgridLoop(const std::vector<HostSpec>& hosts, const FlowModelSettings& settings) {
    if (sg4::Engine::has_instance())
      throw std::logic_error("SimGrid allows one engine per process: run each simulation in its own process");
    static int argc = 1;
    static char name[] = "cbsim";
    static char* argv[] = {name, nullptr};
    {
      // SimGrid's engine installs a SIGINT handler that exits from inside the
      // handler: cbsim's own handlers are put back before any signal gets in.
      const HeldInterruptions held;
      engine_ = std::make_unique<sg4::Engine>(&argc, argv);
    }
    xbt_log_control_set("root.thresh:warning");
    sg4::Engine::set_config("network/model:LV08");
    sg4::Engine::set_config("network/bandwidth-factor", settings.bandwidth_factor);
    sg4::Engine::set_config("network/latency-factor", settings.latency_factor);
    hosts_ = build_star_platform(hosts);
    instance_ = this;
    sg4::Link::on_communication_state_change_cb(&SimgridLoop::on_flow_state_change);
  }
  ~SimgridLoop() override { instance_ = nullptr; }

  // After stop(), SimGrid's clock may still run on to `until` with nothing to
  // do; the simulation ended when it stopped.
  double now() const override {
    return stopped_ ? stopped_at_ : std::max(sg4::Engine::get_clock(), ahead_clock_);
  }

  void schedule(double time, std::uint32_t type, std::uint32_t target, std::uint64_t data) override {
    queue_.push(time < now() ? now() : time, type, target, data);
    if (running_ && !dispatching_) arm();
  }

  void run(const Handler& handler, double until) override {
    handler_ = &handler;
    running_ = true;
    until_ = until;
    arm();
    // With no actor, the engine runs as long as timers or flows remain.
    if (until > 0.0)
      engine_->run_until(until);
    else
      engine_->run();
    running_ = false;
    handler_ = nullptr;
  }

  void stop() override {
    queue_.clear();
    stopped_at_ = now();
    stopped_ = true;
  }
  std::uint64_t events_processed() const override { return processed_; }

  bool supports_flows() const override { return true; }
  void start_flow(std::uint32_t from, std::uint32_t to, std::uint64_t bytes, std::uint32_t type, std::uint32_t target,
                  std::uint64_t data) override {
    if (now() > sg4::Engine::get_clock()) {
      deferred_flows_.push_back({from, to, bytes, PendingFlow{type, target, data}});
      return;
    }
    begin_flow(from, to, bytes, PendingFlow{type, target, data});
  }

private:
  struct DeferredFlow {
    std::uint32_t from, to;
    std::uint64_t bytes;
    PendingFlow completion;
  };

  void begin_flow(std::uint32_t from, std::uint32_t to, std::uint64_t bytes, const PendingFlow& completion) {
    sg4::CommPtr comm = sg4::Comm::sendto_init(hosts_[from], hosts_[to]);
    comm->set_payload_size(bytes);
    comm->detach();
    flows_.emplace(comm->get_impl(), completion);
  }

  // Keeps exactly one kernel timer, at the date of the earliest queued event
  // (or of the flows waiting for SimGrid's clock to catch up).
  void arm() {
    const bool flows_waiting = !deferred_flows_.empty();
    if (queue_.empty() && !flows_waiting) return;
    const double t = flows_waiting ? ahead_clock_ : queue_.top().time;
    if (armed_ != nullptr) {
      if (armed_date_ <= t) return;
      armed_->remove();
    }
    armed_date_ = t;
    armed_ = Timer::set(t, [this] {
      armed_ = nullptr;
      dispatch_due();
    });
  }

  void dispatch_due() {
    for (const DeferredFlow& f : deferred_flows_) begin_flow(f.from, f.to, f.bytes, f.completion);
    deferred_flows_.clear();
    const double t = sg4::Engine::get_clock();
    dispatching_ = true;
    while (!queue_.empty() && !stopped_ && may_dispatch(queue_.top().time, t)) {
      const Event e = queue_.pop();
      ahead_clock_ = e.time;
      ++processed_;
      (*handler_)(e);
    }
    dispatching_ = false;
    if (!stopped_) arm();
  }

  // Events due now always run; later ones only while SimGrid has no flow to
  // advance and nothing waits for its clock, and never past the run's end.
  bool may_dispatch(double event_time, double simgrid_now) const {
    if (event_time <= simgrid_now) return true;
    return flows_.empty() && deferred_flows_.empty() && (until_ <= 0.0 || event_time <= until_);
  }

  static void on_flow_state_change(simgrid::kernel::resource::NetworkAction& action, Action::State /*previous*/) {
    // NetworkAction is only forward-declared in the installed 3.32 headers; it
    // derives from Action alone, so the reference designates the same object.
    auto& a = reinterpret_cast<Action&>(action);
    if (instance_ == nullptr || a.get_state() != Action::State::FINISHED) return;
    const auto it = instance_->flows_.find(a.get_activity());
    if (it == instance_->flows_.end()) return;
    const PendingFlow f = it->second;
    instance_->flows_.erase(it);
    if (!instance_->stopped_) instance_->schedule(instance_->now(), f.type, f.target, f.data);
  }

  static inline SimgridLoop* instance_ = nullptr;
  std::unique_ptr<sg4::Engine> engine_;
  std::vector<sg4::Host*> hosts_;
  EventQueue queue_;
  const Handler* handler_ = nullptr;
  Timer* armed_ = nullptr;
  double armed_date_ = 0.0;
  bool running_ = false;
  bool dispatching_ = false;
  bool stopped_ = false;
  double stopped_at_ = 0.0;
  double until_ = 0.0;
  double ahead_clock_ = 0.0;  // date of the last dispatched event
  std::vector<DeferredFlow> deferred_flows_;
  std::uint64_t processed_ = 0;
  std::unordered_map<const void*, PendingFlow> flows_;
};

}  // namespace

std::unique_ptr<EventLoop> make_simgrid_loop(const std::vector<HostSpec>& hosts, const FlowModelSettings& settings) {
  return std::make_unique<SimgridLoop>(hosts, settings);
}

}  // namespace cbsim::sim
