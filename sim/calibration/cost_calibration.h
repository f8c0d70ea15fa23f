#pragma once
// `cbsim calibrate`: measures, on the machine it runs on, the wall time of the
// work the cost model charges (EVM gas on the workloads of evm_workloads.h, a
// signature check, a hashed byte) and turns it into CPU cycles at the
// machine's clock: a cost profile a scenario can name (costs.profile) so that
// simulated hosts at nodes.cpu_hz do the work at this machine's speed per
// cycle. Wall-clock time is measured here, in a tool, never inside a run.

#include <nlohmann/json.hpp>

namespace cbsim::sim::calibration {

// {"machine": {"cpu", "clock_hz"}, "measured_ns": {...}, "costs": {costs.* field -> cycles}}
nlohmann::json calibrate_costs(double seconds_per_measurement);

}  // namespace cbsim::sim::calibration
