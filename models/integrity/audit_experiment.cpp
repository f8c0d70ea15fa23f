#include "models/integrity/audit_experiment.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cbsim::models::integrity {

AuditResult run_audit_experiment(AuditedStore& store, const AuditSpec& spec, random::Rng& rng) {
  const std::size_t n = store.size();
  if (spec.sample_size == 0 || !(spec.audit_interval_s > 0.0) || spec.tamper_fraction < 0.0 ||
      spec.tamper_fraction > 1.0 || spec.max_audits == 0)
    throw std::invalid_argument("run_audit_experiment: invalid audit parameters");
  AuditResult result;
  result.tampered = std::clamp<std::size_t>(static_cast<std::size_t>(std::llround(spec.tamper_fraction * n)), 1, n);
  result.trials = spec.trials;
  const double miss = 1.0 - static_cast<double>(result.tampered) / static_cast<double>(n);
  result.model_detection = 1.0 - std::pow(miss, static_cast<double>(spec.sample_size));
  result.model_delay_s = spec.audit_interval_s / 2.0 +
                         spec.audit_interval_s * (1.0 - result.model_detection) / result.model_detection;

  std::vector<std::size_t> order(n);
  std::size_t first_detections = 0, detected = 0;
  double delay_sum = 0.0;
  for (std::size_t trial = 0; trial < spec.trials; ++trial) {
    // k distinct objects: a partial Fisher-Yates shuffle.
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = 0; i < result.tampered; ++i) std::swap(order[i], order[i + rng.uniform_index(n - i)]);
    store.tamper(std::vector<std::size_t>(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(result.tampered)),
                 spec.kind);
    const double tampered_at = rng.uniform01() * spec.audit_interval_s;
    for (std::size_t audit = 1; audit <= spec.max_audits; ++audit) {
      bool caught = false;
      for (std::size_t d = 0; d < spec.sample_size; ++d) {
        ++result.objects_checked;
        if (!store.audit(rng.uniform_index(n))) caught = true;  // every sampled object is checked
      }
      if (!caught) continue;
      ++detected;
      first_detections += audit == 1 ? 1 : 0;
      delay_sum += static_cast<double>(audit) * spec.audit_interval_s - tampered_at;
      break;
    }
    store.restore();
  }
  result.undetected = spec.trials - detected;
  result.first_audit_detection = spec.trials ? static_cast<double>(first_detections) / spec.trials : 0.0;
  result.mean_delay_s = detected ? delay_sum / static_cast<double>(detected) : 0.0;
  return result;
}

}  // namespace cbsim::models::integrity
