#pragma once
// Server power against CPU utilization from SPECpower_ssj2008 results, as
// CloudSim's PowerModelSpecPower classes use them: eleven measurements at 0,
// 10, ..., 100 % load, linear in between (Beloglazov & Buyya, CCPE 2012).

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cbsim::models::cloud {

struct PowerTable {
  std::string name;
  std::string source;               // the SPECpower result it comes from
  std::array<double, 11> watts{};   // at 0 %, 10 %, ..., 100 % utilization
};

// The tables cbsim knows, by name ("hp-ml110-g5", ...).
const std::vector<PowerTable>& power_tables();
const PowerTable* find_power_table(std::string_view name);
std::vector<std::string> power_table_names();

class PowerModel {
public:
  explicit PowerModel(const PowerTable& table) : table_(table) {}
  // Watts at `utilization` in [0, 1] (clamped), interpolated between the measurements.
  double power_w(double utilization) const;
  // Energy of `seconds` at a constant utilization, in kWh.
  double energy_kwh(double utilization, double seconds) const { return power_w(utilization) * seconds / 3.6e6; }

private:
  const PowerTable& table_;
};

}  // namespace cbsim::models::cloud
