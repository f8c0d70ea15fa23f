#include "models/cloud/power_model.h"

#include <algorithm>
#include <cmath>

namespace cbsim::models::cloud {

const std::vector<PowerTable>& power_tables() {
  static const std::vector<PowerTable> tables = {
      {"hp-ml110-g4", "SPECpower_ssj2008 power_ssj2008-20110127-00342 (HP ProLiant ML110 G4, Xeon 3040)",
       {86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117}},
      {"hp-ml110-g5", "SPECpower_ssj2008 power_ssj2008-20110124-00339 (HP ProLiant ML110 G5, Xeon 3075)",
       {93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135}},
      {"ibm-x3550-x5670", "SPECpower_ssj2008 power_ssj2008-20100315-00239 (IBM x3550, 2 x Xeon X5670)",
       {66, 107, 120, 131, 143, 156, 173, 191, 211, 229, 247}},
      {"ibm-x3550-x5675", "SPECpower_ssj2008 power_ssj2008-20110406-00368 (IBM x3550, 2 x Xeon X5675)",
       {58.4, 98, 109, 118, 128, 140, 153, 170, 189, 205, 222}},
  };
  return tables;
}

const PowerTable* find_power_table(std::string_view name) {
  for (const PowerTable& t : power_tables())
    if (t.name == name) return &t;
  return nullptr;
}

std::vector<std::string> power_table_names() {
  std::vector<std::string> names;
  for (const PowerTable& t : power_tables()) names.push_back(t.name);
  return names;
}

double PowerModel::power_w(double utilization) const {
  const double u = std::clamp(utilization, 0.0, 1.0) * 10.0;
  const auto lower = static_cast<std::size_t>(std::floor(u));
  if (lower >= 10) return table_.watts[10];
  const double fraction = u - static_cast<double>(lower);
  return table_.watts[lower] + fraction * (table_.watts[lower + 1] - table_.watts[lower]);
}

}  // namespace cbsim::models::cloud
