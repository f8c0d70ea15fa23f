#pragma once
// What each host has promised over time: reservations of vCPUs and memory on
// windows [start, end). A new reservation fits a host when, at every moment
// of its window, what is already promised plus it stays within the host's
// capacity (the peak over the window, by a sweep of the reservations'
// starts and ends).

#include <cstdint>
#include <optional>
#include <vector>

#include "models/allocation/request.h"

namespace cbsim::models::allocation {

struct HostCapacity {
  std::uint32_t vcpus = 0;
  std::uint64_t ram_mb = 0;
};

struct Peak {
  std::uint32_t vcpus = 0;
  std::uint64_t ram_mb = 0;
};

class ReservationCalendar {
public:
  explicit ReservationCalendar(std::vector<HostCapacity> hosts);

  std::size_t host_count() const { return hosts_.size(); }
  const HostCapacity& capacity(std::size_t host) const { return hosts_[host]; }
  // The most promised at any moment of [start, end) on `host`.
  Peak peak(std::size_t host, double start_s, double end_s) const;
  bool fits(std::size_t host, const AllocationRequest& r) const { return free_vcpus_after(host, r).has_value(); }
  // The host's vCPUs left at the busiest moment of r's window once r is
  // added, or nothing when r does not fit (vCPUs or memory).
  std::optional<std::int64_t> free_vcpus_after(std::size_t host, const AllocationRequest& r) const;
  void reserve(std::size_t host, const AllocationRequest& r);  // precondition: fits
  // vCPU-seconds promised over [from, to), all hosts.
  double reserved_vcpu_seconds(double from_s, double to_s) const;
  // Reservations over by `time_s` cannot matter to windows that start later:
  // a mechanism deciding in time order drops them from its checks.
  void forget_ended_by(double time_s);

private:
  std::vector<HostCapacity> hosts_;
  std::vector<std::vector<AllocationRequest>> active_;  // per host, not yet forgotten
  std::vector<AllocationRequest> all_;                  // every reservation, for accounting
};

}  // namespace cbsim::models::allocation
