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

// The integer program's rows and columns, built once and loaded into a CBC
// model as an LP (for the bound) or with integer columns.
class Formulation {
public:
  Formulation(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts)
      : requests_(requests), hosts_(hosts) {}

  Model build(bool integer) const {
    Model model(Cbc_newModel());
    Cbc_setLogLevel(model.get(), 0);
    Cbc_setObjSense(model.get(), -1.0);  // maximise
    const std::size_t n = requests_.size(), m = hosts_.size();
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t h = 0; h < m; ++h)
        Cbc_addCol(model.get(), "", 0.0, fixed_at_zero(r, h) ? 0.0 : 1.0, requests_[r].bid, integer ? 1 : 0, 0,
                   nullptr, nullptr);
    std::vector<int> cols;
    std::vector<double> coefs;
    for (std::size_t r = 0; r < n; ++r) {  // each request on one host at most
      cols.clear();
      for (std::size_t h = 0; h < m; ++h) cols.push_back(column(r, h));
      coefs.assign(cols.size(), 1.0);
      Cbc_addRow(model.get(), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), 'L', 1.0);
    }
    // A host's load only rises where a window starts: its capacity is
    // checked at every start, over the requests active then.
    std::vector<double> starts;
    for (const AllocationRequest& r : requests_) starts.push_back(r.start_s);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    std::vector<std::size_t> active;
    for (const double t : starts) {
      active.clear();
      for (std::size_t r = 0; r < n; ++r)
        if (requests_[r].start_s <= t && t < requests_[r].end_s) active.push_back(r);
      if (active.size() < 2) continue;  // one request alone: its bounds say whether it fits
      for (std::size_t h = 0; h < m; ++h) {
        cols.clear();
        for (const std::size_t r : active) cols.push_back(column(r, h));
        coefs.clear();
        for (const std::size_t r : active) coefs.push_back(requests_[r].vcpus);
        Cbc_addRow(model.get(), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), 'L', hosts_[h].vcpus);
        coefs.clear();
        for (const std::size_t r : active) coefs.push_back(static_cast<double>(requests_[r].ram_mb));
        Cbc_addRow(model.get(), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), 'L',
                   static_cast<double>(hosts_[h].ram_mb));
      }
    }
    return model;
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

  const std::vector<AllocationRequest>& requests_;
  const std::vector<HostCapacity>& hosts_;
};

}  // namespace

OptimumResult solve_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                            std::size_t max_binaries, int max_nodes) {
  OptimumResult result;
  result.host_of.assign(requests.size(), -1);
  if (requests.empty() || hosts.empty()) {
    result.solved = true;
    return result;
  }
  const Formulation formulation(requests, hosts);
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
