#include "sim/runner/adversary.h"

#include <stdexcept>

#include "sim/runner/double_spend_adversary.h"
#include "sim/runner/eclipse_withholding_adversary.h"
#include "sim/runner/selfish_mining_adversary.h"

namespace cbsim::sim {

std::unique_ptr<Adversary> make_adversary(const scenario::Scenario& s, std::uint32_t attacker, std::uint32_t victim,
                                          AdversaryHost& host) {
  const std::string& kind = s.attack.kind;
  if (kind == "none") return nullptr;
  if (kind == "eclipse" && s.attack.eclipse_mode == "withhold")
    return std::make_unique<EclipseWithholdingAdversary>(s.attack, s.consensus.block_interval_s, attacker, victim,
                                                         host);
  if (kind == "double-spend" || kind == "eclipse")
    return std::make_unique<DoubleSpendAdversary>(s.attack, attacker, victim, host);
  if (kind == "selfish-mining") return std::make_unique<SelfishMiningAdversary>(s.attack, attacker, host);
  throw std::invalid_argument("attack.kind " + kind + " is not simulated yet");
}

}  // namespace cbsim::sim
