#include "models/allocation/optimum.h"

#include <glpk.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace cbsim::models::allocation {

namespace {

struct ProblemDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

// Column of x_rh (GLPK counts from 1).
int column(std::size_t r, std::size_t h, std::size_t hosts) { return static_cast<int>(r * hosts + h + 1); }

}  // namespace

OptimumResult solve_optimum(const std::vector<AllocationRequest>& requests, const std::vector<HostCapacity>& hosts,
                            std::size_t max_binaries) {
  OptimumResult result;
  result.host_of.assign(requests.size(), -1);
  if (requests.empty() || hosts.empty()) {
    result.solved = true;
    return result;
  }
  glp_term_out(GLP_OFF);
  std::unique_ptr<glp_prob, ProblemDeleter> lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MAX);
  const std::size_t n = requests.size(), m = hosts.size();
  glp_add_cols(lp.get(), static_cast<int>(n * m));
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t h = 0; h < m; ++h) {
      const int j = column(r, h, m);
      glp_set_col_bnds(lp.get(), j, GLP_DB, 0.0, 1.0);
      glp_set_obj_coef(lp.get(), j, requests[r].bid);
    }
  // Sparse matrix in GLPK's 1-based triplets (index 0 unused).
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  auto add_row = [&](double upper) {
    const int row = glp_add_rows(lp.get(), 1);
    glp_set_row_bnds(lp.get(), row, GLP_UP, 0.0, upper);
    return row;
  };
  for (std::size_t r = 0; r < n; ++r) {
    const int row = add_row(1.0);
    for (std::size_t h = 0; h < m; ++h) {
      ia.push_back(row);
      ja.push_back(column(r, h, m));
      ar.push_back(1.0);
    }
  }
  std::vector<double> starts;
  for (const AllocationRequest& r : requests) starts.push_back(r.start_s);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  for (const double t : starts) {
    std::vector<std::size_t> active;
    for (std::size_t r = 0; r < n; ++r)
      if (requests[r].start_s <= t && t < requests[r].end_s) active.push_back(r);
    if (active.size() < 2) continue;  // one request alone: its own fit is checked below
    for (std::size_t h = 0; h < m; ++h) {
      const int cpu_row = add_row(hosts[h].vcpus), ram_row = add_row(static_cast<double>(hosts[h].ram_mb));
      for (const std::size_t r : active) {
        ia.insert(ia.end(), {cpu_row, ram_row});
        ja.insert(ja.end(), {column(r, h, m), column(r, h, m)});
        ar.insert(ar.end(), {static_cast<double>(requests[r].vcpus), static_cast<double>(requests[r].ram_mb)});
      }
    }
  }
  glp_load_matrix(lp.get(), static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
  // A request that no host could hold alone is fixed at 0 on that host.
  // Identical hosts are interchangeable: any solution can be relabelled so
  // that each used host's lowest-numbered request is numbered at least as
  // high as the host (request r only on the first r + 1 of a run of identical
  // hosts), which removes the symmetric copies branch and bound would visit.
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t h = 0; h < m; ++h) {
      const bool too_big = requests[r].vcpus > hosts[h].vcpus || requests[r].ram_mb > hosts[h].ram_mb;
      std::size_t first_identical = h;
      while (first_identical > 0 && hosts[first_identical - 1].vcpus == hosts[h].vcpus &&
             hosts[first_identical - 1].ram_mb == hosts[h].ram_mb)
        --first_identical;
      const bool symmetric_copy = h - first_identical > r;
      if (too_big || symmetric_copy) glp_set_col_bnds(lp.get(), column(r, h, m), GLP_FX, 0.0, 0.0);
    }

  glp_smcp simplex;
  glp_init_smcp(&simplex);
  simplex.msg_lev = GLP_MSG_OFF;
  if (glp_simplex(lp.get(), &simplex) != 0 || glp_get_status(lp.get()) != GLP_OPT)
    throw std::runtime_error("solve_optimum: the LP relaxation was not solved");
  result.lp_bound = glp_get_obj_val(lp.get());
  if (n * m > max_binaries) return result;

  // Integer within the bounds already set (GLP_BV would reset the fixed ones to [0, 1]).
  for (std::size_t j = 1; j <= n * m; ++j) glp_set_col_kind(lp.get(), static_cast<int>(j), GLP_IV);
  glp_iocp mip;
  glp_init_iocp(&mip);
  mip.msg_lev = GLP_MSG_OFF;
  mip.presolve = GLP_ON;
  mip.br_tech = GLP_BR_PCH;  // pseudo-costs
  mip.bt_tech = GLP_BT_BPH;  // best projection
  mip.gmi_cuts = GLP_ON;
  mip.mir_cuts = GLP_ON;
  mip.cov_cuts = GLP_ON;
  mip.clq_cuts = GLP_ON;
  if (glp_intopt(lp.get(), &mip) != 0 || glp_mip_status(lp.get()) != GLP_OPT)
    throw std::runtime_error("solve_optimum: the integer program was not solved to optimality");
  result.solved = true;
  result.welfare = glp_mip_obj_val(lp.get());
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t h = 0; h < m; ++h)
      if (glp_mip_col_val(lp.get(), column(r, h, m)) > 0.5) result.host_of[r] = static_cast<int>(h);
  return result;
}

}  // namespace cbsim::models::allocation
