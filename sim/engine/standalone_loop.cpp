#include "sim/engine/event_loop.h"

namespace cbsim::sim {

namespace {
class StandaloneLoop final : public EventLoop {
public:
  double now() const override { return now_; }
  void schedule(double time, std::uint32_t type, std::uint32_t target, std::uint64_t data) override {
    queue_.push(time < now_ ? now_ : time, type, target, data);
  }
  void run(const Handler& handler, double until) override {
    while (!stopped_ && !queue_.empty()) {
      if (until > 0.0 && queue_.top().time > until) break;
      const Event e = queue_.pop();
      now_ = e.time;
      ++processed_;
      handler(e);
    }
  }
  // Events the current one schedules after stop() are not run either.
  void stop() override {
    queue_.clear();
    stopped_ = true;
  }
  std::uint64_t events_processed() const override { return processed_; }

private:
  EventQueue queue_;
  double now_ = 0.0;
  bool stopped_ = false;
  std::uint64_t processed_ = 0;
};
}  // namespace

std::unique_ptr<EventLoop> make_standalone_loop() { return std::make_unique<StandaloneLoop>(); }

}  // namespace cbsim::sim
