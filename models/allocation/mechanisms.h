#pragma once
// Online allocation mechanisms over advance reservations (request.h): each
// decides a request when it learns of it (a central allocator at arrival, a
// contract when its decision is confirmed), on what it has promised so far.
// A request is accepted when a host can hold it over its whole window and the
// VM can boot before the window starts.

#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "models/allocation/reservation_calendar.h"
#include "models/allocation/request.h"

namespace cbsim::models::allocation {

// Which fitting host a request goes to (CloudSim Plus's names). Free means
// the host's vCPUs less the most it has promised over the window.
enum class HostChoice {
  first_fit,  // the first, in host order
  best_fit,   // the least free after placing (tightest); ties: lower index
  worst_fit,  // the most free after placing (spreading); ties: lower index
};
HostChoice parse_host_choice(std::string_view name);  // "first_fit" ...; throws std::invalid_argument

struct Decision {
  bool accepted = false;
  std::size_t host = 0;
  double decided_s = 0.0;
  bool too_late = false;  // rejected because the VM could not have booted by the window's start
};

class OnlineAllocator {
public:
  OnlineAllocator(std::vector<HostCapacity> hosts, HostChoice choice);

  // Decides `r` at `time_s` (not earlier than the previous decision); a VM
  // takes boot_s to start.
  Decision decide(const AllocationRequest& r, double time_s, double boot_s);
  // A sealed-bid auction cleared at `time_s`: the batch's requests by bid per
  // vCPU-hour, highest first (ties: lower id), each decided as above.
  // Decisions come back in the batch's order.
  std::vector<Decision> clear_auction(const std::vector<AllocationRequest>& batch, double time_s, double boot_s);

  const ReservationCalendar& calendar() const { return calendar_; }

private:
  std::optional<std::size_t> choose(const AllocationRequest& r) const;

  ReservationCalendar calendar_;
  HostChoice choice_;
  double last_decision_s_ = -std::numeric_limits<double>::infinity();
};

}  // namespace cbsim::models::allocation
