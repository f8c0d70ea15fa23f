// models/cloud/cpu_share (weighted max-min sharing of a host's cores among
// VM claims) against SimGrid 3.32's two-level VM CPU model
// (src/kernel/resource/VirtualMachineImpl.cpp):
//
// - On the physical host, each running VM is one CPU action in the host's
//   max-min system (Cas01: one constraint of cores x speed). Whenever an
//   execution starts, ends, is suspended or resumed in the VM, SimGrid sets
//   that action's weight to n = min(active executions, vCPUs) (as a sharing
//   penalty 1/n) and its bound to min(n x core speed, the VM's user bound
//   from VirtualMachine::set_bound). A VM with more vCPUs than busy
//   executions therefore weighs only what it runs, and an idle VM nothing.
// - Inside the VM, the rate the host gave that action becomes the bound of
//   the VM's own CPU constraint, which its executions share equally, each
//   bounded by one core.
//
// So a VM is the claim CpuClaim{weight = n, cap_cores = min(n, bound / speed)}
// and each of its e executions gets share / e. The tests run endless
// executions for kWindowS seconds and read how many flops each completed.
//
// Tolerance: both sides solve the same weighted max-min problem exactly, so
// only floating point separates them: SimGrid's solver's arithmetic, and the
// rates being read back as differences of remaining amounts of 1e13-flop
// executions over 100 s (ulp 2e-3 flop, ~1e-14 of a core). Observed: at most
// 2e-14 core. 1e-6 core leaves room for both and is far below the gaps
// between the shares the tests tell apart (the closest are 0.06 core apart).

#include <simgrid/s4u/VirtualMachine.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "models/cloud/cpu_share.h"
#include "tests/simgrid/simgrid_platform.h"

namespace {

using namespace cbsim::test::simgrid_validation;
using cbsim::models::cloud::CpuClaim;
using cbsim::models::cloud::max_min_shares;

constexpr double kCoreSpeed = 1e9;  // flop/s
constexpr double kWindowS = 100.0;
// Longer than the window at any rate a core can give (1e4 s at 1 Gflop/s).
constexpr double kEndlessFlops = 1e13;
constexpr double kToleranceCores = 1e-6;

struct VmSpec {
  int vcpus = 1;
  int executions = 1;        // endless executions, one actor each
  double bound_cores = 0.0;  // VirtualMachine::set_bound in cores; 0: unbounded
};

// The claim SimGrid's weight and bound rules amount to (see the header comment).
CpuClaim claim_of(const VmSpec& vm) {
  const double running = std::min(vm.executions, vm.vcpus);
  CpuClaim claim{.weight = running, .cap_cores = running};
  if (vm.bound_cores > 0.0) claim.cap_cores = std::min(claim.cap_cores, vm.bound_cores);
  return claim;
}

// The cores each execution of each VM got in SimGrid over the window.
std::vector<std::vector<double>> simgrid_rates(int host_cores, const std::vector<VmSpec>& vms) {
  std::vector<std::vector<simgrid::s4u::ExecPtr>> executions(vms.size());
  std::vector<std::vector<double>> rates(vms.size());
  auto engine = make_engine("vm-cpu-share");
  if (!engine) return rates;
  const TwoHosts hosts = build_two_hosts(kCoreSpeed, host_cores, 1e9);

  std::vector<sg4::VirtualMachine*> started;
  for (std::size_t v = 0; v < vms.size(); ++v) {
    sg4::VirtualMachine* vm = hosts.source->create_vm("vm" + std::to_string(v), vms[v].vcpus);
    vm->start();
    if (vms[v].bound_cores > 0.0) vm->set_bound(vms[v].bound_cores * kCoreSpeed);
    started.push_back(vm);
    executions[v].resize(vms[v].executions);
    for (int e = 0; e < vms[v].executions; ++e)
      sg4::Actor::create("vm" + std::to_string(v) + "-exec" + std::to_string(e), vm, [&executions, v, e] {
        executions[v][e] = sg4::this_actor::exec_async(kEndlessFlops);
        executions[v][e]->wait();
      });
  }
  sg4::Actor::create("observer", hosts.source, [&] {
    sg4::this_actor::sleep_for(kWindowS);
    for (std::size_t v = 0; v < vms.size(); ++v)
      for (const simgrid::s4u::ExecPtr& exec : executions[v])
        rates[v].push_back((kEndlessFlops - exec->get_remaining()) / kWindowS / kCoreSpeed);
    for (sg4::VirtualMachine* vm : started) vm->destroy();  // kills the executions' actors
  });
  engine->run();
  for (auto& per_vm : executions) per_vm.clear();  // release the activities before the engine goes
  return rates;
}

// Runs the VMs in SimGrid and checks every execution's rate against the
// model's share of its VM, split evenly over the VM's executions.
void expect_model_shares(int host_cores, const std::vector<VmSpec>& vms,
                         const std::vector<double>& expected_vm_cores) {
  std::vector<CpuClaim> claims;
  for (const VmSpec& vm : vms) claims.push_back(claim_of(vm));
  const std::vector<double> model = max_min_shares(host_cores, claims);
  ASSERT_EQ(model.size(), expected_vm_cores.size());
  // The model against hand-computed water-filling, so a failure below points
  // at SimGrid's behaviour rather than at the model.
  for (std::size_t v = 0; v < model.size(); ++v) EXPECT_NEAR(model[v], expected_vm_cores[v], 1e-12) << "VM " << v;

  const std::vector<std::vector<double>> simgrid = simgrid_rates(host_cores, vms);
  ASSERT_EQ(simgrid.size(), vms.size());
  for (std::size_t v = 0; v < vms.size(); ++v) {
    ASSERT_EQ(simgrid[v].size(), static_cast<std::size_t>(vms[v].executions));
    double vm_total = 0.0;
    for (std::size_t e = 0; e < simgrid[v].size(); ++e) {
      EXPECT_NEAR(simgrid[v][e], model[v] / vms[v].executions, kToleranceCores) << "VM " << v << " exec " << e;
      vm_total += simgrid[v][e];
    }
    std::printf("VM %zu (%d vCPUs, %d execs, bound %g): SimGrid %.9f cores, model %.9f cores (diff %.1e)\n", v,
                vms[v].vcpus, vms[v].executions, vms[v].bound_cores, vm_total, model[v], vm_total - model[v]);
  }
}

// Everyone fits (3.5 cores asked of 4): each VM gets its cap, an execution a
// full core, and a bounded VM exactly its bound.
TEST(VmCpuShare, WithoutContentionEveryVmGetsItsCap) {
  expect_model_shares(4,
                      {{.vcpus = 2, .executions = 2},
                       {.vcpus = 1, .executions = 1},
                       {.vcpus = 1, .executions = 1, .bound_cores = 0.5}},
                      {2.0, 1.0, 0.5});
}

// Six single-vCPU VMs on four cores: equal weights, 2/3 of a core each.
TEST(VmCpuShare, EqualWeightsSplitTheHostEvenly) {
  expect_model_shares(4, std::vector<VmSpec>(6, VmSpec{.vcpus = 1, .executions = 1}),
                      std::vector<double>(6, 4.0 / 6.0));
}

// A VM weighs its running executions up to its vCPUs: 4 (4 of 4 vCPUs busy),
// 2 (3 executions on 2 vCPUs) and 1 (1 execution on 4 vCPUs). Total weight 7
// on 4 cores: lambda = 4/7, no cap reached.
TEST(VmCpuShare, WeightIsRunningExecutionsUpToTheVcpus) {
  expect_model_shares(4,
                      {{.vcpus = 4, .executions = 4},
                       {.vcpus = 2, .executions = 3},
                       {.vcpus = 4, .executions = 1}},
                      {16.0 / 7.0, 8.0 / 7.0, 4.0 / 7.0});
}

// Co-tenants bounded below their fair share saturate first and leave the rest
// to the others. Weights 4, 2, 1, 2, 1 (total 10) on 4 cores: lambda = 0.4,
// so the VM bound at 0.5 core (fair share 0.8) saturates; the remaining 3.5
// cores go to weight 8: lambda = 0.4375.
TEST(VmCpuShare, BoundedCoTenantsSaturateFirst) {
  expect_model_shares(4,
                      {{.vcpus = 4, .executions = 4},
                       {.vcpus = 2, .executions = 2, .bound_cores = 0.5},
                       {.vcpus = 1, .executions = 1},
                       {.vcpus = 2, .executions = 3},
                       {.vcpus = 4, .executions = 1}},
                      {1.75, 0.5, 0.4375, 0.875, 0.4375});
}

// Eight cores, two bounded co-tenants using part of their vCPUs (1 core of 4,
// 1 core of 2): weights 4, 2, 8, 2 give lambda = 0.5, the first saturates
// (cap 1 < 2); then lambda = 7/12 and the second (cap 1 < 7/6) saturates
// too; the last 6 cores go to weight 10: lambda = 0.6.
TEST(VmCpuShare, SeveralBoundedCoTenantsSaturateInTurn) {
  expect_model_shares(8,
                      {{.vcpus = 4, .executions = 4, .bound_cores = 1.0},
                       {.vcpus = 2, .executions = 2, .bound_cores = 1.0},
                       {.vcpus = 8, .executions = 8},
                       {.vcpus = 2, .executions = 2}},
                      {1.0, 1.0, 4.8, 1.2});
}

}  // namespace
