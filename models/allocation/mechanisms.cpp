#include "models/allocation/mechanisms.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace cbsim::models::allocation {

HostChoice parse_host_choice(std::string_view name) {
  if (name == "first_fit") return HostChoice::first_fit;
  if (name == "best_fit") return HostChoice::best_fit;
  if (name == "worst_fit") return HostChoice::worst_fit;
  throw std::invalid_argument("unknown host choice " + std::string(name));
}

OnlineAllocator::OnlineAllocator(std::vector<HostCapacity> hosts, HostChoice choice)
    : calendar_(std::move(hosts)), choice_(choice) {}

std::optional<std::size_t> OnlineAllocator::choose(const AllocationRequest& r) const {
  std::optional<std::size_t> chosen;
  std::int64_t chosen_free = 0;
  for (std::size_t h = 0; h < calendar_.host_count(); ++h) {
    const std::optional<std::int64_t> left = calendar_.free_vcpus_after(h, r);  // one sweep per host
    if (!left) continue;
    if (choice_ == HostChoice::first_fit) return h;
    const std::int64_t free = *left;
    const bool better = choice_ == HostChoice::best_fit ? free < chosen_free : free > chosen_free;
    if (!chosen || better) {
      chosen = h;
      chosen_free = free;
    }
  }
  return chosen;
}

Decision OnlineAllocator::decide(const AllocationRequest& r, double time_s, double boot_s) {
  if (time_s < last_decision_s_) throw std::logic_error("OnlineAllocator::decide: decisions must come in time order");
  if (time_s > last_decision_s_) calendar_.forget_ended_by(time_s);
  last_decision_s_ = time_s;
  Decision d;
  d.decided_s = time_s;
  if (time_s + boot_s > r.start_s) {
    d.too_late = true;
    return d;
  }
  if (const auto host = choose(r)) {
    calendar_.reserve(*host, r);
    d.accepted = true;
    d.host = *host;
  }
  return d;
}

std::vector<Decision> OnlineAllocator::clear_auction(const std::vector<AllocationRequest>& batch, double time_s,
                                                     double boot_s) {
  std::vector<std::size_t> order(batch.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Bid per vCPU-second, compared by cross-multiplying (no division by a zero-length window).
  const auto size = [&](std::size_t i) { return batch[i].vcpus * batch[i].duration_s(); };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double left = batch[a].bid * size(b), right = batch[b].bid * size(a);
    if (left != right) return left > right;
    return batch[a].id < batch[b].id;
  });
  std::vector<Decision> decisions(batch.size());
  for (const std::size_t i : order) decisions[i] = decide(batch[i], time_s, boot_s);
  return decisions;
}

}  // namespace cbsim::models::allocation
