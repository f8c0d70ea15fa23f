// cbsim's energy accounting (models/cloud/power_model, DatacenterTimeline::
// host_usage) against SimGrid 3.32's host energy plugin
// (src/plugins/host_energy.cpp at tag v3.32, read for these tests):
//
// - A host's "wattage_per_state" property is "Idle:AllCores" or
//   "Idle:Epsilon:AllCores" in watts (one such group per pstate, separated by
//   commas); with two values Epsilon is Idle. "wattage_off" is the power of a
//   switched-off host (0 by default). The plugin reads both when the host is
//   sealed (Host::on_creation fires in Host::seal), so they are set before.
// - Power at a load: load = Host::get_load() / speed / cores, where get_load
//   is the sum of the rates of the actions on the host's CPU constraint. So on
//   a C-core host, k single-core executions (each bounded by one core) give a
//   load of exactly k / C. Power is Idle when the load is 0, and
//   Epsilon + load x (AllCores - Epsilon) when it is above 0: linear in the
//   number of busy cores, from Epsilon (the power of "some core busy at ~0 %")
//   up to AllCores, with a jump from Idle to Epsilon as soon as anything runs.
//   With the two-value format that is exactly the line from Idle to AllCores.
// - Energy: the plugin integrates that power piecewise: it adds power x
//   elapsed time whenever an execution starts, a CPU action changes state, the
//   host's state or speed changes, or the energy is read. Over a run whose
//   load changes in steps it is the sum over the steps of power x duration.
//
// cbsim's PowerModel interpolates a SPECpower table (11 points, 0 to 100 %)
// and DatacenterTimeline::host_usage adds, per load step, the table's power at
// the step's utilization times the step. The two agree where both can express
// the same thing: a table whose 11 points lie on the line Idle .. AllCores,
// utilization = busy cores / cores. The real tables are not linear, which is
// why cbsim interpolates them itself (RealTableIsNotLinear states by how much).
//
// Tolerance: the same products and sums on both sides, in a different order
// (cbsim converts to kWh and back; SimGrid's load is a sum of rates divided by
// speed and cores, its clock a sum of durations, and executions end when their
// remaining work falls under SimGrid's precision). Energies are 1e4 to 1e5 J
// (an ulp is 2e-12 to 1.5e-11 J). Observed: every printed difference is 0
// (loads of k/4 are exact, durations are whole seconds, and the products
// happen to round alike on both sides). kToleranceJ = 1e-6 J (1e-11
// relative) leaves room for other rounding orders and is far below anything
// the tests tell apart (the smallest gap is 1.025 W x 100 s = 102.5 J).

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Exec.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "models/cloud/datacenter_timeline.h"
#include "models/cloud/power_model.h"
#include "tests/simgrid/simgrid_platform.h"

namespace {

using namespace cbsim::test::simgrid_validation;
using cbsim::models::cloud::DatacenterSpec;
using cbsim::models::cloud::DatacenterTimeline;
using cbsim::models::cloud::find_power_table;
using cbsim::models::cloud::HostSpec;
using cbsim::models::cloud::HostUsage;
using cbsim::models::cloud::PowerModel;
using cbsim::models::cloud::PowerTable;
using cbsim::models::cloud::VmRequest;

constexpr double kCoreSpeed = 1e9;  // flop/s
constexpr int kCores = 4;
constexpr double kWindowS = 100.0;
// Longer than the window at one core (1e4 s at 1 Gflop/s).
constexpr double kEndlessFlops = 1e13;
constexpr double kJoulesPerKwh = 3.6e6;
constexpr double kToleranceJ = 1e-6;

// hp-ml110-g5's SPECpower endpoints (models/cloud/power_model.cpp): 93.7 W
// idle, 135 W at 100 %.
constexpr double kIdleW = 93.7;
constexpr double kFullW = 135.0;

// A table whose 11 points lie on the line idle + u (full - idle): what
// SimGrid's two-value "Idle:AllCores" profile amounts to.
PowerTable linear_table(double idle_w, double full_w) {
  PowerTable table{.name = "linear", .source = "idle + u (full - idle)", .watts = {}};
  for (std::size_t i = 0; i < table.watts.size(); ++i)
    table.watts[i] = idle_w + static_cast<double>(i) / 10.0 * (full_w - idle_w);
  return table;
}

// A kCores-core host per entry of `busy_cores`, all with the same wattage
// profile; entry i runs busy_cores[i] endless single-core executions for
// kWindowS seconds. Returns each host's consumed energy at kWindowS, in J.
std::vector<double> simgrid_energy_j(const std::string& wattage_per_state, const std::vector<int>& busy_cores) {
  std::vector<double> energy;
  auto engine = make_engine("host-energy");
  if (!engine) return energy;
  sg_host_energy_plugin_init();  // before the hosts: it hooks their creation
  sg4::NetZone* zone = sg4::create_full_zone("energy");
  std::vector<sg4::Host*> hosts;
  for (std::size_t h = 0; h < busy_cores.size(); ++h)
    hosts.push_back(zone->create_host("pm" + std::to_string(h), kCoreSpeed)
                        ->set_core_count(kCores)
                        ->set_property("wattage_per_state", wattage_per_state)
                        ->set_property("wattage_off", "0")
                        ->seal());
  zone->seal();

  std::vector<simgrid::s4u::ExecPtr> executions;
  sg4::Actor::create("observer", hosts.front(), [&] {
    for (std::size_t h = 0; h < hosts.size(); ++h)
      for (int e = 0; e < busy_cores[h]; ++e)
        executions.push_back(sg4::this_actor::exec_init(kEndlessFlops)->set_host(hosts[h])->start());
    sg4::this_actor::sleep_for(kWindowS);
    // Read while the executions still run: the load of [0, kWindowS) is the current one.
    for (const sg4::Host* host : hosts) energy.push_back(sg_host_get_consumed_energy(host));
    for (const simgrid::s4u::ExecPtr& exec : executions) exec->cancel();
  });
  engine->run();
  executions.clear();  // release the activities before the engine goes
  return energy;
}

// 1. k of C cores busy: SimGrid's "Idle:AllCores" energy is cbsim's on a
// linear table at utilization k / C, for k = 0, 1, C/2, C.
TEST(HostEnergy, BusyCoresMatchALinearTableAtTheirShareOfTheHost) {
  const std::vector<int> busy = {0, 1, kCores / 2, kCores};
  const std::vector<double> simgrid = simgrid_energy_j(std::to_string(kIdleW) + ":" + std::to_string(kFullW), busy);
  ASSERT_EQ(simgrid.size(), busy.size());
  const PowerTable table = linear_table(kIdleW, kFullW);
  const PowerModel model(table);
  for (std::size_t i = 0; i < busy.size(); ++i) {
    const double u = static_cast<double>(busy[i]) / kCores;
    const double model_j = model.energy_kwh(u, kWindowS) * kJoulesPerKwh;
    // Hand-computed line, so a failure points at one side: 93.7 + u x 41.3 W.
    EXPECT_NEAR(model_j, (kIdleW + u * (kFullW - kIdleW)) * kWindowS, kToleranceJ) << busy[i] << " cores";
    EXPECT_NEAR(simgrid[i], model_j, kToleranceJ) << busy[i] << " cores";
    std::printf("%d/%d cores busy for %g s: SimGrid %.9f J, model %.9f J (diff %.1e)\n", busy[i], kCores, kWindowS,
                simgrid[i], model_j, simgrid[i] - model_j);
  }
}

// The real hp-ml110-g5 table is not linear: SimGrid's line through its idle
// and full points (the best a two-value profile can do) is 1.025 W above the
// table at 25 %, and below it by 1.65 W at 50 % and 2.325 W at 75 %. At 50 %
// the table says 116 W and the line 114.35 W: SimGrid is 1.65 W (1.42 % of
// the measurement) under it, 165 J over the 100 s window. This is why cbsim
// integrates the SPECpower table itself instead of a linear model.
TEST(HostEnergy, RealTableIsNotLinear) {
  const std::vector<int> busy = {1, kCores / 2, 3};
  const std::vector<double> simgrid = simgrid_energy_j(std::to_string(kIdleW) + ":" + std::to_string(kFullW), busy);
  ASSERT_EQ(simgrid.size(), busy.size());
  const PowerTable* table = find_power_table("hp-ml110-g5");
  ASSERT_NE(table, nullptr);
  const PowerModel model(*table);
  // Table (interpolated between its 10 % points) minus the line, in W:
  // 25 %: 103 - 104.025; 50 %: 116 - 114.35; 75 %: 127 - 124.675.
  const std::vector<double> table_minus_line_w = {-1.025, 1.65, 2.325};
  for (std::size_t i = 0; i < busy.size(); ++i) {
    const double u = static_cast<double>(busy[i]) / kCores;
    const double table_j = model.energy_kwh(u, kWindowS) * kJoulesPerKwh;
    EXPECT_NEAR(table_j - simgrid[i], table_minus_line_w[i] * kWindowS, kToleranceJ) << busy[i] << " cores";
    std::printf("%g %% for %g s: SimGrid (linear) %.6f J = %.4f W, hp-ml110-g5 table %.6f J = %.4f W "
                "(table - SimGrid %+.4f W, %+.2f %% of the table)\n",
                100.0 * u, kWindowS, simgrid[i], simgrid[i] / kWindowS, table_j, table_j / kWindowS,
                (table_j - simgrid[i]) / kWindowS, 100.0 * (table_j - simgrid[i]) / table_j);
  }
}

// The three-value profile "Idle:Epsilon:AllCores": Idle only while nothing
// runs; any busy core puts the host on the line from Epsilon to AllCores. So
// one busy core of four costs Epsilon + 1/4 (AllCores - Epsilon), not a
// quarter of the way from Idle. A PowerTable cannot express that jump (it is
// linear from its 0 % point to its 10 % point), which is why the tests above
// use two values (Epsilon = Idle), the profile cbsim's tables correspond to.
TEST(HostEnergy, EpsilonIsTheInterceptAsSoonAsACoreIsBusy) {
  constexpr double kEpsilonW = 110.0;
  const std::vector<int> busy = {0, 1, kCores};
  const std::vector<double> simgrid = simgrid_energy_j(
      std::to_string(kIdleW) + ":" + std::to_string(kEpsilonW) + ":" + std::to_string(kFullW), busy);
  ASSERT_EQ(simgrid.size(), busy.size());
  // 93.7 W idle; 110 + 0.25 x 25 = 116.25 W with one core; 135 W with all.
  const std::vector<double> expected_w = {kIdleW, kEpsilonW + 0.25 * (kFullW - kEpsilonW), kFullW};
  for (std::size_t i = 0; i < busy.size(); ++i) {
    EXPECT_NEAR(simgrid[i], expected_w[i] * kWindowS, kToleranceJ) << busy[i] << " cores";
    std::printf("Idle:Epsilon:AllCores, %d/%d cores busy: SimGrid %.6f J = %.4f W\n", busy[i], kCores, simgrid[i],
                simgrid[i] / kWindowS);
  }
  // On the Idle .. AllCores line one core would have been 104.025 W.
  EXPECT_GT(simgrid[1] / kWindowS - (kIdleW + 0.25 * (kFullW - kIdleW)), 12.0);
}

// 2. Load in steps: nothing for 200 s, all 4 cores for 100 s, 2 cores for
// 300 s. SimGrid integrates it as the sum over the steps, which is what
// DatacenterTimeline::host_usage does per 100 s load step.
struct Phase {
  int busy_cores;
  double duration_s;
};
const std::vector<Phase> kPhases = {{0, 200.0}, {kCores, 100.0}, {kCores / 2, 300.0}};
constexpr double kStepS = 100.0;  // the timeline's step; every phase is a whole number of steps

double simgrid_phases_energy_j() {
  double energy = -1.0;
  auto engine = make_engine("host-energy-steps");
  if (!engine) return energy;
  sg_host_energy_plugin_init();
  sg4::NetZone* zone = sg4::create_full_zone("energy");
  sg4::Host* host = zone->create_host("pm0", kCoreSpeed)
                        ->set_core_count(kCores)
                        ->set_property("wattage_per_state", std::to_string(kIdleW) + ":" + std::to_string(kFullW))
                        ->set_property("wattage_off", "0")
                        ->seal();
  zone->seal();
  sg4::Actor::create("observer", host, [&] {
    for (const Phase& phase : kPhases) {
      if (phase.busy_cores == 0) {
        sg4::this_actor::sleep_for(phase.duration_s);
        continue;
      }
      // busy_cores single-core executions of exactly the phase at one core.
      std::vector<simgrid::s4u::ExecPtr> executions;
      for (int e = 0; e < phase.busy_cores; ++e)
        executions.push_back(sg4::this_actor::exec_async(kCoreSpeed * phase.duration_s));
      for (const simgrid::s4u::ExecPtr& exec : executions) exec->wait();
    }
    // Only read at the end: the plugin's own updates (executions starting and
    // ending) split the run into the steps.
    energy = sg_host_get_consumed_energy(host);
    std::printf("SimGrid clock at the end: %.12f s\n", sg4::Engine::get_clock());
  });
  engine->run();
  return energy;
}

TEST(HostEnergy, SteppedLoadIsTheSumOfItsStepsAsInTheDatacenterTimeline) {
  const double simgrid_j = simgrid_phases_energy_j();
  ASSERT_GE(simgrid_j, 0.0);
  const PowerTable table = linear_table(kIdleW, kFullW);
  const PowerModel model(table);

  // Per step with PowerModel: 93.7 x 200 + 135 x 100 + 114.35 x 300 = 66545 J.
  double per_step_j = 0.0;
  double end_s = 0.0;
  for (const Phase& phase : kPhases) {
    per_step_j += model.energy_kwh(static_cast<double>(phase.busy_cores) / kCores, phase.duration_s) * kJoulesPerKwh;
    end_s += phase.duration_s;
  }
  EXPECT_NEAR(per_step_j, 66545.0, kToleranceJ);

  // The same load in a DatacenterTimeline: one 4-core host holding four
  // single-vCPU node VMs and no co-tenants (the host stays on: it holds VMs;
  // alone, a node's vCPU gets a whole core). In each phase, busy_cores of the
  // nodes compute for the whole phase, so the host's utilization per 100 s
  // step is busy_cores / 4.
  DatacenterSpec spec;
  spec.hosts = {HostSpec{.cores = kCores, .mips_per_core = 1000, .ram_mb = 16384, .bandwidth_mbps = 1000}};
  spec.node_vm = VmRequest{.vcpus = 1, .mips_per_vcpu = 1000, .ram_mb = 1024, .bandwidth_mbps = 100};
  spec.node_host.assign(kCores, 0);
  spec.co_tenants.vms_per_host = 0;
  spec.co_tenants.spread = 0.0;
  spec.co_tenants.step_s = kStepS;
  DatacenterTimeline timeline(spec);
  double start_s = 0.0;
  for (const Phase& phase : kPhases) {
    for (int n = 0; n < phase.busy_cores; ++n)
      EXPECT_DOUBLE_EQ(timeline.finish_time(static_cast<std::size_t>(n), start_s, phase.duration_s),
                       start_s + phase.duration_s);
    start_s += phase.duration_s;
  }
  const std::vector<HostUsage> usage = timeline.host_usage(end_s, model);
  ASSERT_EQ(usage.size(), 1U);
  EXPECT_DOUBLE_EQ(usage[0].active_s, end_s);
  const double timeline_j = usage[0].energy_kwh * kJoulesPerKwh;

  EXPECT_NEAR(timeline_j, per_step_j, kToleranceJ);
  EXPECT_NEAR(simgrid_j, per_step_j, kToleranceJ);
  std::printf("0 cores 200 s, 4 cores 100 s, 2 cores 300 s: SimGrid %.9f J, PowerModel per step %.9f J "
              "(diff %.1e), DatacenterTimeline %.9f J (diff %.1e)\n",
              simgrid_j, per_step_j, simgrid_j - per_step_j, timeline_j, simgrid_j - timeline_j);
}

}  // namespace
