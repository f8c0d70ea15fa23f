#include "models/allocation/optimum.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace cbsim::models::allocation {

namespace {

struct ModelDeleter {
  void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};
using Model = std::unique_ptr<Cbc_Model, ModelDeleter>;
constexpr double kInfinity = 1e30;  // CBC's infinite bound

// The integer program's rows and columns, built once and loaded into a CBC
// model as an LP (for the bound) or with integer columns.
class Formulation {
public:
  Formulation(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts)
      : requests_(requests), hosts_(hosts) {}

  // The constraint matrix, column by column, loaded into CBC at once (adding
  // rows one by one copies the matrix each time).
  Model build(bool integer) const {
    const std::size_t n = requests_.size(), m = hosts_.size();
    std::vector<std::vector<std::pair<int, double>>> by_column(n * m);
    std::vector<double> row_upper;
    for (std::size_t r = 0; r < n; ++r) {  // each request on one host at most
      for (std::size_t h = 0; h < m; ++h) by_column[column(r, h)].emplace_back(static_cast<int>(row_upper.size()), 1.0);
      row_upper.push_back(1.0);
    }
    for (const std::vector<std::size_t>& active : capacity_moments()) {
      for (std::size_t h = 0; h < m; ++h) {
        const int vcpu_row = static_cast<int>(row_upper.size());
        for (const std::size_t r : active) {
          by_column[column(r, h)].emplace_back(vcpu_row, requests_[r].vcpus);
          by_column[column(r, h)].emplace_back(vcpu_row + 1, static_cast<double>(requests_[r].ram_mb));
        }
        row_upper.push_back(hosts_[h].vcpus);
        row_upper.push_back(static_cast<double>(hosts_[h].ram_mb));
      }
    }
    std::vector<CoinBigIndex> start = {0};
    std::vector<int> index;
    std::vector<double> value, lower(n * m, 0.0), upper(n * m), objective(n * m);
    for (std::size_t c = 0; c < n * m; ++c) {
      for (const auto& [row, v] : by_column[c]) {
        index.push_back(row);
        value.push_back(v);
      }
      start.push_back(static_cast<CoinBigIndex>(index.size()));
      upper[c] = fixed_at_zero(c / m, c % m) ? 0.0 : 1.0;
      objective[c] = requests_[c / m].bid;
    }
    const std::vector<double> row_lower(row_upper.size(), -kInfinity);
    Model model(Cbc_newModel());
    Cbc_setLogLevel(model.get(), 0);
    Cbc_loadProblem(model.get(), static_cast<int>(n * m), static_cast<int>(row_upper.size()), start.data(), index.data(),
                    value.data(), lower.data(), upper.data(), objective.data(), row_lower.data(), row_upper.data());
    Cbc_setObjSense(model.get(), -1.0);  // maximise
    if (integer)
      for (std::size_t c = 0; c < n * m; ++c) Cbc_setInteger(model.get(), static_cast<int>(c));
    return model;
  }

  // The moments a host's capacity is checked, as the requests active then.
  // Load only rises where a window starts, and of consecutive starts with no
  // end between them the last sees all the others' requests: only starts
  // followed by an end (before the next start) need a row.
  std::vector<std::vector<std::size_t>> capacity_moments() const {
    std::vector<std::vector<std::size_t>> moments;
    sweep_moments([&](const std::vector<bool>& active, std::size_t) {
      std::vector<std::size_t>& moment = moments.emplace_back();
      for (std::size_t r = 0; r < active.size(); ++r)
        if (active[r]) moment.push_back(r);
    });
    return moments;
  }

  // Nonzeros of the matrix, without building it.
  double nonzeros() const {
    double total = static_cast<double>(requests_.size() * hosts_.size());
    sweep_moments([&](const std::vector<bool>&, std::size_t count) {
      total += 2.0 * static_cast<double>(count * hosts_.size());
    });
    return total;
  }

  int column(std::size_t r, std::size_t h) const { return static_cast<int>(r * hosts_.size() + h); }

private:
  // A request no host of this kind could hold alone; or a symmetric copy:
  // identical hosts are interchangeable, and any solution can be relabelled
  // so that each used host's lowest-numbered request is numbered at least as
  // high as the host's place in its run of identical hosts (request r only
  // on the first r + 1 of them), which spares branch and bound the copies.
  bool fixed_at_zero(std::size_t r, std::size_t h) const {
    if (requests_[r].vcpus > hosts_[h].vcpus || requests_[r].ram_mb > hosts_[h].ram_mb) return true;
    std::size_t first_identical = h;
    while (first_identical > 0 && hosts_[first_identical - 1].vcpus == hosts_[h].vcpus &&
           hosts_[first_identical - 1].ram_mb == hosts_[h].ram_mb)
      --first_identical;
    return h - first_identical > r;
  }

  // Calls visit(active, count) at each moment that needs capacity rows.
  template <class Visit>
  void sweep_moments(Visit&& visit) const {
    struct Event {
      double at_s;
      bool start;
      std::size_t request;
    };
    std::vector<Event> events;
    for (std::size_t r = 0; r < requests_.size(); ++r) {
      if (requests_[r].end_s <= requests_[r].start_s) continue;  // an empty window loads no host
      events.push_back({requests_[r].start_s, true, r});
      events.push_back({requests_[r].end_s, false, r});
    }
    // Ends before starts at the same instant: windows are half-open.
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return a.at_s != b.at_s ? a.at_s < b.at_s : (a.start != b.start ? !a.start : a.request < b.request);
    });
    std::vector<bool> active(requests_.size(), false);
    std::size_t count = 0;
    for (std::size_t k = 0; k < events.size(); ++k) {
      const Event& e = events[k];
      active[e.request] = e.start;
      count = e.start ? count + 1 : count - 1;
      const bool last_start_of_run = e.start && (k + 1 == events.size() || !events[k + 1].start);
      if (last_start_of_run && count >= 2) visit(active, count);  // one request alone: its bounds say whether it fits
    }
  }

  const std::vector<AllocationRequest>& requests_;
  const std::vector<HostCapacity>& hosts_;
};

}  // namespace

double capacity_bound(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts) {
  double first = 0.0, last = 0.0, vcpus = 0.0;
  for (const AllocationRequest& r : requests) {
    first = r.id == requests.front().id ? r.start_s : std::min(first, r.start_s);
    last = std::max(last, r.end_s);
  }
  for (const HostCapacity& h : hosts) vcpus += h.vcpus;
  double room = vcpus * std::max(0.0, last - first), bound = 0.0;
  // A fractional knapsack: the densest bids (per vCPU-second) first.
  std::vector<const AllocationRequest*> order;
  for (const AllocationRequest& r : requests)
    if (r.duration_s() > 0.0) order.push_back(&r);
    else bound += r.bid;  // an empty window takes no room
  std::stable_sort(order.begin(), order.end(), [](const AllocationRequest* a, const AllocationRequest* b) {
    return a->bid * (b->vcpus * b->duration_s()) > b->bid * (a->vcpus * a->duration_s());
  });
  for (const AllocationRequest* r : order) {
    const double size = r->vcpus * r->duration_s();
    if (room <= 0.0) break;
    bound += r->bid * std::min(1.0, room / size);
    room -= size;
  }
  return bound;
}

OptimumResult solve_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                            std::size_t max_binaries, int max_nodes, double max_nonzeros) {
  OptimumResult result;
  result.host_of.assign(requests.size(), -1);
  if (requests.empty() || hosts.empty()) {
    result.solved = true;
    return result;
  }
  const Formulation formulation(requests, hosts);
  if (formulation.nonzeros() > max_nonzeros) {
    result.bound_kind = BoundKind::capacity;
    result.bound = result.lp_bound = capacity_bound(requests, hosts);
    return result;
  }
  result.bound_kind = BoundKind::lp;
  const Model relaxation = formulation.build(false);
  if (Cbc_solve(relaxation.get()) != 0 || !Cbc_isProvenOptimal(relaxation.get()))
    throw std::runtime_error("solve_optimum: the LP relaxation was not solved");
  result.lp_bound = Cbc_getObjValue(relaxation.get());
  result.bound = result.lp_bound;
  if (requests.size() * hosts.size() > max_binaries) return result;

  // One thread and no time limit (CBC's defaults): the same answer on every machine.
  const Model program = formulation.build(true);
  Cbc_setMaximumNodes(program.get(), max_nodes);
  Cbc_solve(program.get());
  result.solved = Cbc_isProvenOptimal(program.get());
  if (!result.solved && !Cbc_isNodeLimitReached(program.get()))
    throw std::runtime_error("solve_optimum: the integer program was neither solved nor stopped by its node limit");
  result.bound = result.solved ? Cbc_getObjValue(program.get())
                                : std::min(result.lp_bound, Cbc_getBestPossibleObjValue(program.get()));
  result.bound_kind = result.solved ? BoundKind::optimum : BoundKind::search;
  // The best integer solution, if the search found one before its limit.
  const double* x = Cbc_bestSolution(program.get());
  if (x == nullptr) return result;
  for (std::size_t r = 0; r < requests.size(); ++r)
    for (std::size_t h = 0; h < hosts.size(); ++h)
      if (x[formulation.column(r, h)] > 0.5) {
        result.host_of[r] = static_cast<int>(h);
        result.welfare += requests[r].bid;
      }
  return result;
}

}  // namespace cbsim::models::allocation
