#include "models/allocation/reservation_calendar.h"

#include <algorithm>
#include <stdexcept>

namespace cbsim::models::allocation {

ReservationCalendar::ReservationCalendar(std::vector<HostCapacity> hosts)
    : hosts_(std::move(hosts)), active_(hosts_.size()) {}

Peak ReservationCalendar::peak(std::size_t host, double start_s, double end_s) const {
  // Sweep the reservations overlapping the window: +at their start (or the
  // window's), -at their end; ends before starts at the same date.
  struct Change {
    double t;
    int sign;
    std::uint32_t vcpus;
    std::uint64_t ram_mb;
  };
  std::vector<Change> changes;
  for (const AllocationRequest& r : active_.at(host)) {
    if (!r.overlaps(start_s, end_s)) continue;
    changes.push_back({std::max(r.start_s, start_s), +1, r.vcpus, r.ram_mb});
    changes.push_back({r.end_s, -1, r.vcpus, r.ram_mb});
  }
  std::sort(changes.begin(), changes.end(),
            [](const Change& a, const Change& b) { return a.t < b.t || (a.t == b.t && a.sign < b.sign); });
  Peak now, most;
  for (const Change& c : changes) {
    if (c.sign > 0) {
      now.vcpus += c.vcpus;
      now.ram_mb += c.ram_mb;
      most.vcpus = std::max(most.vcpus, now.vcpus);
      most.ram_mb = std::max(most.ram_mb, now.ram_mb);
    } else {
      now.vcpus -= c.vcpus;
      now.ram_mb -= c.ram_mb;
    }
  }
  return most;
}

void ReservationCalendar::forget_ended_by(double time_s) {
  for (auto& held : active_) std::erase_if(held, [&](const AllocationRequest& r) { return r.end_s <= time_s; });
}

std::optional<std::int64_t> ReservationCalendar::free_vcpus_after(std::size_t host, const AllocationRequest& r) const {
  const Peak p = peak(host, r.start_s, r.end_s);
  const HostCapacity& c = hosts_.at(host);
  if (p.vcpus + r.vcpus > c.vcpus || p.ram_mb + r.ram_mb > c.ram_mb) return std::nullopt;
  return static_cast<std::int64_t>(c.vcpus) - static_cast<std::int64_t>(p.vcpus + r.vcpus);
}

void ReservationCalendar::reserve(std::size_t host, const AllocationRequest& r) {
  if (!fits(host, r)) throw std::logic_error("ReservationCalendar::reserve: the request does not fit");
  active_[host].push_back(r);
  all_.push_back(r);
}

double ReservationCalendar::reserved_vcpu_seconds(double from_s, double to_s) const {
  double total = 0.0;
  for (const AllocationRequest& r : all_)
    total += r.vcpus * std::max(0.0, std::min(r.end_s, to_s) - std::max(r.start_s, from_s));
  return total;
}

}  // namespace cbsim::models::allocation
