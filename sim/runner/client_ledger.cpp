#include "sim/runner/client_ledger.h"

#include <algorithm>
#include <limits>

#include "models/stats/quantile.h"

namespace cbsim::sim {

std::uint64_t ClientLedger::submit(std::uint32_t client, double now) {
  requests_.push_back({client, now, -1.0, 0, {}});
  return requests_.size() - 1;
}

bool ClientLedger::on_reply(std::uint64_t id, std::uint32_t /*replica*/, const models::crypto::Hash256& result,
                            double now) {
  Request& r = requests_.at(id);
  ++r.replies;
  if (r.accepted_s >= 0.0) return false;
  auto it = std::find_if(r.results.begin(), r.results.end(), [&](const auto& e) { return e.first == result; });
  if (it == r.results.end()) it = r.results.insert(r.results.end(), {result, 0});
  if (++it->second < replies_needed_) return false;
  r.accepted_s = now;
  r.results.clear();
  r.results.shrink_to_fit();
  last_accept_s_ = now;
  ++accepted_;
  return true;
}

nlohmann::json ClientLedger::metrics(double end_s, double stall_threshold_s) const {
  std::vector<double> latencies;
  latencies.reserve(accepted_);
  // Sweep submissions (+1) and acceptances (-1) in time order.
  std::vector<std::pair<double, int>> events;
  events.reserve(2 * requests_.size());
  for (const Request& r : requests_) {
    events.emplace_back(r.submitted_s, +1);
    if (r.accepted_s >= 0.0) {
      latencies.push_back(r.accepted_s - r.submitted_s);
      events.emplace_back(r.accepted_s, -1);
    }
  }
  std::sort(events.begin(), events.end());
  double longest = 0.0, total_over = 0.0, since = 0.0;
  std::int64_t outstanding = 0;
  const auto close_stall = [&](double t) {
    const double stall = t - since;
    longest = std::max(longest, stall);
    if (stall > stall_threshold_s) total_over += stall;
  };
  for (const auto& [t, delta] : events) {
    if (delta > 0) {
      if (outstanding++ == 0) since = t;
    } else {
      close_stall(t);
      since = t;
      --outstanding;
    }
  }
  if (outstanding > 0) close_stall(std::max(end_s, since));

  nlohmann::json c;
  const double first_submit = requests_.empty() ? 0.0 : requests_.front().submitted_s;
  const double span = last_accept_s_ - first_submit;
  c["committed_requests"] = accepted_;
  c["submitted_requests"] = requests_.size();
  c["throughput_rps"] = span > 0.0 ? static_cast<double>(accepted_) / span : 0.0;
  const auto q = [&](double p) {
    return latencies.empty() ? nlohmann::json(nullptr) : nlohmann::json(models::stats::quantile(latencies, p));
  };
  c["latency_s"] = {{"p50", q(0.5)}, {"p99", q(0.99)}};
  c["stall_s"] = {{"longest", longest}, {"total_over_timeout", total_over}};
  return c;
}

nlohmann::json ClientLedger::resumed_after(const std::vector<double>& starts) const {
  nlohmann::json list = nlohmann::json::array();
  for (const double start : starts) {
    double first = std::numeric_limits<double>::infinity();
    for (const Request& r : requests_) {
      if (r.submitted_s >= start && r.accepted_s >= 0.0) first = std::min(first, r.accepted_s);
    }
    list.push_back(first == std::numeric_limits<double>::infinity() ? nlohmann::json(nullptr)
                                                                     : nlohmann::json(first - start));
  }
  return list;
}

CsvTable ClientLedger::table() const {
  CsvTable t({"request", "client", "submitted_s", "accepted_s", "latency_s", "replies"});
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    const Request& r = requests_[i];
    const bool accepted = r.accepted_s >= 0.0;
    t.cell(static_cast<std::uint64_t>(i)).cell(r.client).cell(r.submitted_s);
    t.cell(accepted ? r.accepted_s : std::numeric_limits<double>::quiet_NaN());
    t.cell(accepted ? r.accepted_s - r.submitted_s : std::numeric_limits<double>::quiet_NaN());
    t.cell(r.replies);
    t.end_row();
  }
  return t;
}

}  // namespace cbsim::sim
