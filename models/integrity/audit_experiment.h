#pragma once
// Audits against tampering, as a Monte-Carlo experiment on a real store
// (audited_store.h): in each trial the provider tampers with k of the N
// objects at a uniform moment of an audit interval; at the end of every
// interval the auditor checks s objects drawn uniformly with replacement.
// The first audit detects the tampering with probability 1 - (1 - k/N)^s
// (each draw misses the k objects with probability 1 - k/N), and the delay
// from tampering to detection is on average interval/2 (to the first audit)
// plus interval (1 - P) / P (the audits that miss, geometrically many).

#include <cstddef>
#include <cstdint>

#include "models/integrity/audited_store.h"
#include "models/random/rng.h"

namespace cbsim::models::integrity {

struct AuditSpec {
  double tamper_fraction = 0.01;  // k = round(fraction x N), at least 1
  Tampering kind = Tampering::modify;
  std::size_t sample_size = 10;   // s
  double audit_interval_s = 3600.0;
  std::size_t trials = 1000;
  std::size_t max_audits = 10000;  // a trial still undetected after this many audits counts as missed
};

struct AuditResult {
  std::size_t tampered = 0;              // k
  std::size_t trials = 0;
  double first_audit_detection = 0.0;    // share of trials the first audit detected
  double model_detection = 0.0;          // 1 - (1 - k/N)^s
  double mean_delay_s = 0.0;             // tampering to detection, over detected trials
  double model_delay_s = 0.0;
  std::size_t undetected = 0;
  std::size_t objects_checked = 0;
};

// Leaves `store` as it found it (every trial's tampering is undone).
AuditResult run_audit_experiment(AuditedStore& store, const AuditSpec& spec, random::Rng& rng);

}  // namespace cbsim::models::integrity
