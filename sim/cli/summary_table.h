#pragma once
// The human-readable summary printed at the end of `cbsim run`.

#include <nlohmann/json.hpp>
#include <string>

namespace cbsim::cli {

std::string summary_table(const nlohmann::json& metrics, const std::string& out_dir);

}  // namespace cbsim::cli
