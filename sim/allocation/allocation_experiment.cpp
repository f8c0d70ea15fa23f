#include "sim/allocation/allocation_experiment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

#include "models/allocation/clear_capacity.h"
#include "models/allocation/mechanisms.h"
#include "models/allocation/optimum.h"
#include "models/allocation/vm_hosting.h"
#include "models/cloud/power_model.h"
#include "models/random/rng.h"
#include "models/stats/quantile.h"
#include "sim/allocation/allocation_contracts.h"
#include "sim/cloud/node_hosting.h"
#include "sim/cloud/node_placement.h"

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

// Creating the VM's disk, NIC and the VM, then booting it, when the control
// plane has a free slot (cloud section): what a mechanism counts on when it
// checks a VM can run by its window's start.
double vm_start_s(const scenario::Scenario& s) {
  const models::cloud::ProvisioningSteps steps = provisioning_steps(s);
  return steps.create_disk_s + steps.create_nic_s + steps.create_vm_s + steps.boot_s;
}

// When the central allocator is down: the crash and silent faults of
// allocation.central_node, and the crashes of the host it was placed on
// (cloud.hosts; consolidation may move the node later, the allocator stays),
// as [from, until) intervals (until: infinity when it never comes back).
class CentralAvailability {
public:
  explicit CentralAvailability(const scenario::Scenario& s) {
    const int node = s.allocation.central_node;
    if (node < 0) return;
    const std::vector<int> node_host = place_nodes(s);
    const int host = node_host.empty() ? -1 : node_host[static_cast<std::size_t>(node)];
    const auto lists = [](const std::vector<int>& list, int x) { return std::find(list.begin(), list.end(), x) != list.end(); };
    for (const scenario::FaultConfig& f : s.faults) {
      const bool stops = ((f.kind == "crash" || (f.kind == "byzantine" && f.behaviour == "silent")) && lists(f.nodes, node)) ||
                         (f.kind == "host-crash" && host >= 0 && lists(f.hosts, host));
      if (!stops) continue;
      down_.emplace_back(f.at_s, f.until_s > 0.0 ? f.until_s : std::numeric_limits<double>::infinity());
    }
  }
  // The first time at or after `t` when the allocator runs (infinity: never).
  double next_up(double t) const {
    for (bool moved = true; moved;) {
      moved = false;
      for (const auto& [from, until] : down_)
        if (from <= t && t < until) {
          t = until;
          moved = true;
        }
    }
    return t;
  }

private:
  std::vector<std::pair<double, double>> down_;
};

struct Outcome {
  std::vector<alloc::Decision> decisions;  // by request id
  std::vector<bool> decided;               // false: the allocator never came back for it
};

Outcome run_mechanism(const std::string& name, const std::vector<alloc::AllocationRequest>& requests,
                      const std::vector<alloc::HostCapacity>& hosts, const scenario::Scenario& s, double boot_s) {
  const CentralAvailability central(s);
  Outcome out;
  out.decisions.resize(requests.size());
  out.decided.assign(requests.size(), false);
  if (name == "auction") {
    alloc::OnlineAllocator allocator(hosts, alloc::HostChoice::first_fit);
    const double epoch = s.allocation.auction_epoch_s;
    std::size_t i = 0;
    while (i < requests.size()) {
      const double close = (std::floor(requests[i].arrival_s / epoch) + 1.0) * epoch;
      std::vector<alloc::AllocationRequest> batch;
      while (i < requests.size() && requests[i].arrival_s < close) batch.push_back(requests[i++]);
      const double at = central.next_up(close);
      if (std::isinf(at)) break;
      const auto decided = allocator.clear_auction(batch, at, boot_s);
      for (std::size_t k = 0; k < batch.size(); ++k) {
        out.decisions[batch[k].id] = decided[k];
        out.decided[batch[k].id] = true;
      }
    }
    return out;
  }
  alloc::OnlineAllocator allocator(hosts, alloc::parse_host_choice(name));
  for (const alloc::AllocationRequest& r : requests) {
    const double at = central.next_up(r.arrival_s);
    if (std::isinf(at)) break;
    out.decisions[r.id] = allocator.decide(r, at, boot_s);
    out.decided[r.id] = true;
  }
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

const char* bound_name(alloc::BoundKind k) {
  switch (k) {
    case alloc::BoundKind::optimum: return "optimum";
    case alloc::BoundKind::search: return "branch-and-bound";
    case alloc::BoundKind::lp: return "lp";
    case alloc::BoundKind::capacity: return "capacity";
  }
  return "";
}

// Where a mechanism put each request (-1: nowhere) and when the provider
// learned of it; what only this kind of mechanism reports.
struct Placements {
  std::vector<int> host;
  std::vector<double> decided_s;
  nlohmann::json extra = nlohmann::json::object();
};

// A contract's decisions as the provider sees them: a request the chain
// allocated is provisioned once its decision is confirmed (a Nakamoto
// block's depth, a committee's f + 1 replies).
// The largest request rate (per hour) the chain carries for a contract
// mechanism alone, from the gas its decisions took in this run: a committee's
// replicas each execute every call (nodes' CPU at costs.gas_cycles per gas), a
// Nakamoto chain fits contracts.block_gas_limit per block interval. The
// auction also takes at most kMaxBidsPerEpoch bids an epoch, and an epoch's
// clear must fit within a transaction's gas (the block gas limit): for those
// two the rate is the largest at which an epoch's Poisson count of bids
// exceeds what fits with probability at most 1 % (at the mean rate that just
// fills a clear, every other epoch would overflow).
nlohmann::json sustainable_rate(const scenario::Scenario& s, const AllocationContracts& contracts, ContractMechanism m,
                                double gas_per_decision) {
  constexpr double kOverflow = 0.01;
  const bool committee = s.consensus.protocol != "nakamoto";
  std::vector<std::pair<std::string, double>> bounds;
  nlohmann::json extra = nlohmann::json::object();
  if (gas_per_decision > 0.0 && (!committee || s.costs.gas_cycles > 0.0)) {
    const double gas_per_s = committee ? node_cpu_hz(s) / s.costs.gas_cycles
                                       : static_cast<double>(s.contracts.block_gas_limit) / s.consensus.block_interval_s;
    bounds.emplace_back(committee ? "replica_cpu" : "block_gas", 3600.0 * gas_per_s / gas_per_decision);
  }
  if (m == ContractMechanism::auction) {
    const double epochs_per_hour = 3600.0 / s.allocation.auction_epoch_s;
    bounds.emplace_back("bids_per_epoch", alloc::poisson_mean_within(kMaxBidsPerEpoch, kOverflow) * epochs_per_hour);
    const alloc::ClearCapacity clear = alloc::clear_capacity(
        contracts.clears(), contracts.failed_clear_bids(), static_cast<double>(s.contracts.block_gas_limit),
        kMaxBidsPerEpoch);
    if (clear.bids > 0.0 || clear.upper_bound) {
      bounds.emplace_back("clear_gas", alloc::poisson_mean_within(clear.bids, kOverflow) * epochs_per_hour);
      extra = {{"clear_bids", clear.bids},
               {"clear_estimate", clear.upper_bound ? "below the fewest bids of a failed clear"
                                  : clear.fitted    ? "fit of the clears' gas"
                                                    : "mean gas per bid"}};
    }
  }
  if (bounds.empty()) return nullptr;
  const auto tightest = std::min_element(bounds.begin(), bounds.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
  nlohmann::json all = nlohmann::json::object();
  for (const auto& [name, rate] : bounds) all[name] = rate;
  nlohmann::json out = {{"requests_per_hour", tightest->second}, {"limited_by", tightest->first}, {"bounds", all}};
  out.update(extra);
  return out;
}

void contract_placements(const scenario::Scenario& s, const ContractAllocationRun& chain, ContractMechanism m,
                         Placements& p) {
  const auto& requests = chain.contracts->requests();
  const auto& decisions = chain.contracts->decisions(m);
  std::size_t allocated = 0, undecided = 0, failed = 0, refused_late = 0;
  std::vector<double> gas, confirmation;
  for (const alloc::AllocationRequest& r : requests) {
    const ContractDecision& d = decisions[r.id];
    const double confirmed = d.decided ? chain.confirmed_s.at(d.deciding_call) : -1.0;
    if (!d.decided || confirmed < 0.0) {
      ++undecided;
      continue;
    }
    gas.push_back(d.gas);
    confirmation.push_back(confirmed - r.arrival_s);
    failed += d.failed ? 1 : 0;
    // The contract refuses a window that began before the call ran (late, as
    // a central mechanism's too-late refusal).
    if (!d.allocated && !d.failed && std::floor(r.start_s) < d.executed_s) ++refused_late;
    if (!d.allocated) continue;
    ++allocated;
    p.host[r.id] = static_cast<int>(d.host);
    p.decided_s[r.id] = confirmed;
  }
  double gas_sum = 0.0;
  for (const double g : gas) gas_sum += g;
  p.extra = {{"allocated_on_chain", allocated},
             {"undecided", undecided},
             {"reverted", failed},
             {"late", refused_late},
             {"gas_per_decision", gas.empty() ? nlohmann::json() : nlohmann::json(gas_sum / static_cast<double>(gas.size()))},
             {"confirmation_s_p50",
              confirmation.empty() ? nlohmann::json() : nlohmann::json(models::stats::quantile(confirmation, 0.5))}};
  p.extra["sustainable"] = sustainable_rate(s, *chain.contracts, m, gas.empty() ? 0.0 : gas_sum / static_cast<double>(gas.size()));
  if (m == ContractMechanism::auction) p.extra["clears_reverted"] = chain.contracts->clears_reverted();
}

}  // namespace

bool allocation_enabled(const scenario::Scenario& s) { return !s.allocation.mechanisms.empty(); }

std::vector<alloc::AllocationRequest> allocation_requests(const scenario::Scenario& s) {
  models::random::Rng rng(s.seed, "allocation-requests");
  return alloc::generate_requests(workload_spec(s.allocation), rng);
}

AllocationExperiment run_allocation_experiment(const scenario::Scenario& s, const ContractAllocationRun* chain) {
  const scenario::AllocationConfig& a = s.allocation;
  const std::vector<alloc::AllocationRequest> requests = allocation_requests(s);
  const std::vector<alloc::HostCapacity> hosts(
      static_cast<std::size_t>(a.hosts),
      alloc::HostCapacity{static_cast<std::uint32_t>(a.host_vcpus), static_cast<std::uint64_t>(a.host_ram_mb)});
  const double boot_s = vm_start_s(s);

  // The reference every efficiency is measured against.
  const alloc::OptimumResult optimum = alloc::solve_optimum(
      requests, hosts, static_cast<std::size_t>(a.optimum_max_binaries), a.optimum_max_nodes, a.optimum_max_nonzeros);
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
  const models::cloud::PowerModel power(*models::cloud::find_power_table(s.cloud.power_model));
  for (const std::string& name : a.mechanisms) {
    Placements p{.host = std::vector<int>(requests.size(), -1),
                 .decided_s = std::vector<double>(requests.size(), 0.0)};
    if (name == "optimum") {
      if (!optimum.solved && optimum.welfare <= 0.0) {  // only the bound was computed, or no solution found
        mechanisms[name] = {{"solved", false}, {"bound", optimum.bound}};
        host_by_mechanism[name] = p.host;
        continue;
      }
      for (const auto& r : requests) {
        p.host[r.id] = optimum.host_of[r.id];
        p.decided_s[r.id] = r.arrival_s;
      }
      p.extra["solved"] = optimum.solved;
    } else if (const auto contract = parse_contract_mechanism(name)) {
      if (chain == nullptr) throw std::logic_error(name + " needs the chain's run of the allocation contracts");
      contract_placements(s, *chain, *contract, p);
    } else {
      const Outcome o = run_mechanism(name, requests, hosts, s, boot_s);
      std::size_t late = 0, undecided = 0;
      for (const auto& r : requests) {
        const alloc::Decision& d = o.decisions[r.id];
        if (d.accepted) p.host[r.id] = static_cast<int>(d.host);
        p.decided_s[r.id] = d.decided_s;
        late += d.too_late ? 1 : 0;
        undecided += o.decided[r.id] ? 0 : 1;
      }
      p.extra = {{"late", late}, {"undecided", undecided}};
    }

    // The accepted VMs on the hosts: provisioned, run, deleted at their end.
    std::vector<alloc::PlacedVm> vms;
    for (const auto& r : requests)
      if (p.host[r.id] >= 0) vms.push_back({r, static_cast<std::uint32_t>(p.host[r.id]), p.decided_s[r.id]});
    const alloc::HostingOutcome hosted = alloc::host_vms(vms, provisioning_steps(s), static_cast<std::uint32_t>(a.hosts),
                                                         static_cast<std::uint32_t>(a.host_vcpus), power);
    // Served: running by the window's start (the optimum is the reference:
    // it knew every request in advance).
    std::vector<bool> served(requests.size(), false);
    std::vector<double> latency;
    std::size_t late = 0;
    for (std::size_t k = 0; k < vms.size(); ++k) {
      const alloc::AllocationRequest& r = vms[k].request;
      if (name != "optimum" && !hosted.in_time[k]) {
        ++late;
        p.host[r.id] = -1;
        continue;
      }
      served[r.id] = true;
      latency.push_back(name == "optimum" ? r.start_s - r.arrival_s : hosted.running_s[k] - r.arrival_s);
    }
    if (p.extra.contains("late")) p.extra["late"] = p.extra["late"].get<std::size_t>() + late;
    mechanisms[name] = mechanism_metrics(requests, served, latency, reference, capacity_vcpu_s,
                                         static_cast<std::size_t>(a.tenants));
    mechanisms[name].update(p.extra);
    mechanisms[name]["energy_kwh"] = hosted.energy_kwh;
    mechanisms[name]["host_hours_on"] = hosted.host_hours_on;
    mechanisms[name]["peak_vms"] = hosted.peak_vms;
    host_by_mechanism[name] = p.host;
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
                                {"bound", bound_name(optimum.bound_kind)},
                                {"welfare", reference},
                                {"best_found", optimum.welfare},
                                {"lp_bound", optimum.lp_bound}}},
                 {"mechanisms", mechanisms}};
  if (chain != nullptr) out.metrics["chain"] = chain->chain;
  return out;
}

}  // namespace cbsim::sim
