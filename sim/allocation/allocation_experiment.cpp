#include "sim/allocation/allocation_experiment.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "models/allocation/mechanisms.h"
#include "models/allocation/optimum.h"
#include "models/random/rng.h"
#include "models/stats/quantile.h"
#include "sim/cloud/node_hosting.h"

namespace cbsim::sim {

namespace alloc = models::allocation;

namespace {

alloc::WorkloadSpec workload_spec(const scenario::AllocationConfig& a) {
  alloc::WorkloadSpec w;
  w.requests_per_s = a.requests_per_hour / 3600.0;
  w.horizon_s = a.horizon_s;
  w.lead_s = a.lead_s;
  w.mean_duration_s = a.mean_duration_s;
  w.tenants = static_cast<std::uint32_t>(a.tenants);
  w.vcpu_choices.clear();
  for (const double v : a.vcpu_choices) w.vcpu_choices.push_back(static_cast<std::uint32_t>(v));
  w.ram_per_vcpu_mb = static_cast<std::uint64_t>(a.ram_per_vcpu_mb);
  w.mean_bid_per_vcpu_hour = a.mean_bid_per_vcpu_hour;
  w.bid_spread = a.bid_spread;
  return w;
}

// Creating the VM's disk, NIC and the VM, then booting it (cloud section).
double vm_start_s(const scenario::Scenario& s) {
  return s.cloud.create_disk_s + s.cloud.create_nic_s + s.cloud.create_vm_s + node_vm_profile(s).boot_s;
}

struct Outcome {
  std::vector<alloc::Decision> decisions;  // by request id
};

Outcome run_mechanism(const std::string& name, const std::vector<alloc::AllocationRequest>& requests,
                      const std::vector<alloc::HostCapacity>& hosts, const scenario::Scenario& s, double boot_s) {
  Outcome out;
  out.decisions.resize(requests.size());
  if (name == "auction") {
    alloc::OnlineAllocator allocator(hosts, alloc::HostChoice::first_fit);
    const double epoch = s.allocation.auction_epoch_s;
    std::size_t i = 0;
    while (i < requests.size()) {
      const double close = (std::floor(requests[i].arrival_s / epoch) + 1.0) * epoch;
      std::vector<alloc::AllocationRequest> batch;
      while (i < requests.size() && requests[i].arrival_s < close) batch.push_back(requests[i++]);
      const auto decided = allocator.clear_auction(batch, close, boot_s);
      for (std::size_t k = 0; k < batch.size(); ++k) out.decisions[batch[k].id] = decided[k];
    }
    return out;
  }
  alloc::OnlineAllocator allocator(hosts, alloc::parse_host_choice(name));
  for (const alloc::AllocationRequest& r : requests) out.decisions[r.id] = allocator.decide(r, r.arrival_s, boot_s);
  return out;
}

// Jain's index (sum x)^2 / (n sum x^2) over the tenants' served shares of
// the vCPU-seconds they asked for; 1 when every tenant gets the same share.
double jain_fairness(const std::vector<alloc::AllocationRequest>& requests, const std::vector<bool>& accepted,
                     std::size_t tenants) {
  std::vector<double> asked(tenants, 0.0), served(tenants, 0.0);
  for (const alloc::AllocationRequest& r : requests) {
    const double vcpu_s = r.vcpus * r.duration_s();
    asked[r.tenant] += vcpu_s;
    if (accepted[r.id]) served[r.tenant] += vcpu_s;
  }
  double sum = 0.0, squares = 0.0;
  std::size_t n = 0;
  for (std::size_t t = 0; t < tenants; ++t) {
    if (asked[t] <= 0.0) continue;
    const double share = served[t] / asked[t];
    sum += share;
    squares += share * share;
    ++n;
  }
  return squares > 0.0 ? sum * sum / (static_cast<double>(n) * squares) : 1.0;
}

nlohmann::json mechanism_metrics(const std::vector<alloc::AllocationRequest>& requests, const std::vector<bool>& accepted,
                                 const std::vector<double>& latency, double reference_welfare, double capacity_vcpu_s,
                                 std::size_t tenants) {
  double welfare = 0.0, vcpu_s = 0.0;
  std::size_t count = 0;
  for (const alloc::AllocationRequest& r : requests) {
    if (!accepted[r.id]) continue;
    ++count;
    welfare += r.bid;
    vcpu_s += r.vcpus * r.duration_s();
  }
  nlohmann::json m = {{"accepted", count},
                      {"acceptance", requests.empty() ? 0.0 : static_cast<double>(count) / requests.size()},
                      {"welfare", welfare},
                      {"efficiency", reference_welfare > 0.0 ? welfare / reference_welfare : 1.0},
                      {"utilization", capacity_vcpu_s > 0.0 ? vcpu_s / capacity_vcpu_s : 0.0},
                      {"jain_fairness", jain_fairness(requests, accepted, tenants)}};
  m["latency_s_p50"] = latency.empty() ? nlohmann::json() : nlohmann::json(models::stats::quantile(latency, 0.5));
  return m;
}

}  // namespace

bool allocation_enabled(const scenario::Scenario& s) { return !s.allocation.mechanisms.empty(); }

AllocationExperiment run_allocation_experiment(const scenario::Scenario& s) {
  const scenario::AllocationConfig& a = s.allocation;
  models::random::Rng rng(s.seed, "allocation-requests");
  const std::vector<alloc::AllocationRequest> requests = alloc::generate_requests(workload_spec(a), rng);
  const std::vector<alloc::HostCapacity> hosts(
      static_cast<std::size_t>(a.hosts),
      alloc::HostCapacity{static_cast<std::uint32_t>(a.host_vcpus), static_cast<std::uint64_t>(a.host_ram_mb)});
  const double boot_s = vm_start_s(s);

  // The reference every efficiency is measured against.
  const alloc::OptimumResult optimum = alloc::solve_optimum(
      requests, hosts, static_cast<std::size_t>(a.optimum_max_binaries), a.optimum_max_nodes);
  // Against the optimum, or an upper bound of it (efficiencies then err low).
  const double reference = optimum.bound;

  double first_start = 0.0, last_end = 0.0;
  for (const auto& r : requests) {
    first_start = r.id == 0 ? r.start_s : std::min(first_start, r.start_s);
    last_end = std::max(last_end, r.end_s);
  }
  const double capacity_vcpu_s = static_cast<double>(a.hosts) * a.host_vcpus * std::max(0.0, last_end - first_start);

  std::vector<std::string> columns = {"request", "tenant", "arrival_s", "start_s", "end_s", "vcpus", "ram_mb", "bid"};
  for (const std::string& m : a.mechanisms) columns.push_back(m + "_host");
  AllocationExperiment out{.metrics = {}, .table = CsvTable(columns)};
  std::map<std::string, std::vector<int>> host_by_mechanism;

  nlohmann::json mechanisms = nlohmann::json::object();
  for (const std::string& name : a.mechanisms) {
    std::vector<bool> accepted(requests.size(), false);
    std::vector<int> host(requests.size(), -1);
    std::vector<double> latency;
    if (name == "optimum") {
      if (!optimum.solved && optimum.welfare <= 0.0) {  // only the bound was computed, or no solution found
        mechanisms[name] = {{"solved", false}, {"bound", optimum.bound}};
        host_by_mechanism[name] = host;
        continue;
      }
      for (const auto& r : requests) {
        host[r.id] = optimum.host_of[r.id];
        accepted[r.id] = host[r.id] >= 0;
        if (accepted[r.id]) latency.push_back(r.start_s - r.arrival_s);  // it knew in advance: ready at the start
      }
    } else {
      const Outcome o = run_mechanism(name, requests, hosts, s, boot_s);
      for (const auto& r : requests) {
        const alloc::Decision& d = o.decisions[r.id];
        accepted[r.id] = d.accepted;
        host[r.id] = d.accepted ? static_cast<int>(d.host) : -1;
        if (d.accepted) latency.push_back(d.decided_s + boot_s - r.arrival_s);
      }
    }
    mechanisms[name] = mechanism_metrics(requests, accepted, latency, reference, capacity_vcpu_s, hosts.empty() ? 0 : static_cast<std::size_t>(a.tenants));
    if (name == "optimum") mechanisms[name]["solved"] = optimum.solved;
    host_by_mechanism[name] = host;
  }

  for (const auto& r : requests) {
    out.table.cell(static_cast<std::int64_t>(r.id)).cell(static_cast<std::int64_t>(r.tenant)).cell(r.arrival_s);
    out.table.cell(r.start_s).cell(r.end_s).cell(static_cast<std::int64_t>(r.vcpus));
    out.table.cell(static_cast<std::int64_t>(r.ram_mb)).cell(r.bid);
    for (const std::string& m : a.mechanisms) out.table.cell(static_cast<std::int64_t>(host_by_mechanism[m][r.id]));
    out.table.end_row();
  }
  out.metrics = {{"requests", requests.size()},
                 {"hosts", a.hosts},
                 {"vm_start_s", boot_s},
                 {"reference", {{"kind", optimum.solved ? "optimum" : "bound"},
                                {"welfare", reference},
                                {"best_found", optimum.welfare},
                                {"lp_bound", optimum.lp_bound}}},
                 {"mechanisms", mechanisms}};
  return out;
}

}  // namespace cbsim::sim
