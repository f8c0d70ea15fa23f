#include "models/evm/fork.h"

namespace cbsim::models::evm {

std::optional<Fork> fork_from_name(std::string_view name) {
  if (name == "Shanghai") return Fork::shanghai;
  if (name == "Cancun") return Fork::cancun;
  return std::nullopt;
}

std::string_view fork_name(Fork fork) { return fork == Fork::cancun ? "Cancun" : "Shanghai"; }

}  // namespace cbsim::models::evm
