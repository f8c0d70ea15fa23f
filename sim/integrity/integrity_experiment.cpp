#include "sim/integrity/integrity_experiment.h"

#include <cmath>

#include "models/evm/abi.h"
#include "models/evm/transaction.h"
#include "models/integrity/audit_experiment.h"
#include "sim/evm/contract_deployments.h"

namespace cbsim::sim {

namespace ev = models::evm;
namespace integrity = models::integrity;

namespace {

// Gas of one anchoring transaction: DataAnchor.sol deployed and called in a
// fresh EVM world by a funded tenant.
std::int64_t anchoring_gas(const models::crypto::Hash256& root, std::uint64_t leaves) {
  ev::WorldState state;
  ev::BlockEnv block;
  block.gas_limit = 30'000'000;
  block.number = 1;
  block.timestamp = 1;
  ev::Address tenant{};
  tenant[19] = 1;
  ev::Account funded;
  funded.balance = ev::uint256(1'000'000'000'000'000'000ULL);
  state.put_account(tenant, std::move(funded));
  constexpr std::uint64_t kGasLimit = 5'000'000;
  const ev::TransactionOutcome deployed =
      evm::apply_setup(state, block, tenant, std::nullopt, evm::data_anchor_deployment(), kGasLimit, "DataAnchor's deployment");
  return evm::apply_setup(state, block, tenant, deployed.result.created,
                          ev::abi_encode_call("anchor(uint64,bytes32,uint64)",
                                              {ev::AbiValue::word(ev::uint256(1)),
                                               ev::AbiValue::bytes(ev::Bytes(root.begin(), root.end())),
                                               ev::AbiValue::word(ev::uint256(leaves))}),
                          kGasLimit, "anchoring")
      .gas_used;
}

}  // namespace

bool integrity_enabled(const scenario::Scenario& s) { return s.integrity.trials > 0; }

nlohmann::json run_integrity_experiment(const scenario::Scenario& s) {
  const scenario::IntegrityConfig& c = s.integrity;
  integrity::AuditedStore store(static_cast<std::size_t>(c.objects), static_cast<std::size_t>(c.object_bytes), s.seed);
  nlohmann::json curve = nlohmann::json::array();
  std::size_t tampered = 0;
  for (const double size : c.sample_sizes) {
    integrity::AuditSpec spec;
    spec.tamper_fraction = c.tamper_fraction;
    spec.kind = integrity::parse_tampering(c.tampering);
    spec.sample_size = static_cast<std::size_t>(size);
    spec.audit_interval_s = c.audit_interval_s;
    spec.trials = static_cast<std::size_t>(c.trials);
    models::random::Rng rng(s.seed, "audits-" + std::to_string(spec.sample_size));
    const integrity::AuditResult r = integrity::run_audit_experiment(store, spec, rng);
    tampered = r.tampered;
    const double p = r.first_audit_detection;
    curve.push_back({{"sample_size", spec.sample_size},
                     {"detection", p},
                     {"detection_ci95", 1.96 * std::sqrt(p * (1.0 - p) / static_cast<double>(r.trials))},
                     {"model_detection", r.model_detection},
                     {"mean_delay_s", r.mean_delay_s},
                     {"model_delay_s", r.model_delay_s},
                     {"undetected", r.undetected},
                     {"objects_checked", r.objects_checked}});
  }
  return {{"objects", c.objects},
          {"object_bytes", c.object_bytes},
          {"tampering", c.tampering},
          {"tampered", tampered},
          {"trials", c.trials},
          {"audit_interval_s", c.audit_interval_s},
          {"anchor_gas", anchoring_gas(store.anchored_root(), store.size())},
          {"by_sample_size", curve}};
}

}  // namespace cbsim::sim
