#pragma once
// Shared set-up for the SimGrid validation tests: one engine per test and a
// two-host platform whose network and CPUs have no hidden corrections, so
// what SimGrid's VM machinery adds can be compared with cbsim's closed forms.

#include <gtest/gtest.h>
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <memory>
#include <string>

namespace cbsim::test::simgrid_validation {

namespace sg4 = simgrid::s4u;

// SimGrid 3.32 allows one s4u::Engine per process (its kernel is a
// singleton that is not fully reset by the engine's destructor). ctest runs
// each TEST in its own process, so each TEST creates exactly one; this guard
// turns a second engine (e.g. the binary run by hand without a filter) into a
// clear test failure instead of an abort deep inside SimGrid.
inline std::unique_ptr<sg4::Engine> make_engine(const std::string& name) {
  static bool engine_created = false;
  if (engine_created) {
    ADD_FAILURE() << "one SimGrid engine per process: run one test at a time (ctest does)";
    return nullptr;
  }
  engine_created = true;
  // Configuration changes are logged at INFO by xbt_cfg: keep the test output quiet.
  xbt_log_control_set("root.thresh:warning");
  auto engine = std::make_unique<sg4::Engine>(name);
  // CM02 is LV08 without its TCP corrections: its bandwidth and latency
  // factors are 1, where LV08 gives a flow 0.97 of the link and multiplies the
  // latency by 13.01. Cross-traffic (on by default) would also charge every
  // flow 5 % of its rate on the reverse route, which on a single shared link
  // is the same link: the flow would get B / 1.05. Without both, a transfer of
  // S bytes on a link of bandwidth B and latency 0 takes exactly S / B
  // (checked by MigrationPlatform.PlainTransferRunsAtTheLinkBandwidth).
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  return engine;
}

struct TwoHosts {
  sg4::Host* source = nullptr;
  sg4::Host* destination = nullptr;
  sg4::Link* link = nullptr;
};

// Two hosts of `cores` cores of `core_speed` flop/s each, joined by one link
// of `bandwidth` bytes/s and no latency.
inline TwoHosts build_two_hosts(double core_speed, int cores, double bandwidth) {
  sg4::NetZone* zone = sg4::create_full_zone("validation");
  TwoHosts hosts;
  hosts.source = zone->create_host("pm0", core_speed)->set_core_count(cores)->seal();
  hosts.destination = zone->create_host("pm1", core_speed)->set_core_count(cores)->seal();
  hosts.link = zone->create_link("pm0-pm1", bandwidth)->set_latency(0.0)->seal();
  zone->add_route(hosts.source->get_netpoint(), hosts.destination->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(hosts.link)}, true);
  zone->seal();
  return hosts;
}

}  // namespace cbsim::test::simgrid_validation
