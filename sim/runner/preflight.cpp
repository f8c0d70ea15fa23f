#include "sim/runner/preflight.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/runner/memory_estimate.h"
#include "sim/runner/overlay.h"
#include "sim/runner/process_memory.h"
#include "sim/scenario/scenario_loader.h"

namespace cbsim::sim {

namespace {

// "23,400": three significant digits, grouped by thousands, for MB counts
// that reach far beyond what a machine has.
std::string readable_mb(double mb) {
  constexpr double kShown = 1e15;
  if (!(mb < kShown)) return "more than 1,000,000,000,000,000";
  const double magnitude = std::pow(10.0, std::max(0.0, std::floor(std::log10(std::max(mb, 1.0))) - 2.0));
  const auto rounded = static_cast<long long>(std::llround(mb / magnitude) * static_cast<long long>(magnitude));
  std::string digits = std::to_string(rounded);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3)
    digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

// Refuses a run whose estimated peak memory exceeds limits.max_memory_mb (or
// the machine's available memory when it is 0), naming the field that weighs most.
void check_memory(const scenario::Scenario& s) {
  const double limit_mb = memory_limit_mb(s.limits);
  if (limit_mb <= 0.0) return;  // the machine's memory is unknown: nothing to compare with
  const MemoryEstimate estimate = estimate_memory(s);
  const double needed_mb = estimate.total_mb();
  if (needed_mb <= limit_mb) return;
  const MemoryTerm* largest = estimate.largest();
  const std::string field = largest != nullptr ? largest->field : "limits.max_memory_mb";
  const std::string limit =
      s.limits.max_memory_mb > 0.0
          ? "the limit of " + readable_mb(limit_mb) + " MB (limits.max_memory_mb)"
          : "the " + readable_mb(limit_mb) + " MB available on this machine (limits.max_memory_mb = 0)";
  std::string reason = "needs about " + readable_mb(needed_mb) + " MB (estimate";
  if (largest != nullptr) reason += ", mostly " + largest->what + ": " + readable_mb(largest->mb()) + " MB";
  reason += "), more than " + limit + "; lower " + field + " or raise limits.max_memory_mb";
  throw scenario::ScenarioError(s.source, field, reason);
}

}  // namespace

void preflight(const scenario::Scenario& s) {
  // First: the checks below build structures as large as the input.
  check_memory(s);
  // consensus.protocol and attack.kind are enums of the field table, checked on load.
  // A committee is a full mesh: there is no overlay to build.
  if (s.consensus.protocol == "nakamoto") (void)build_overlay(s);
}

}  // namespace cbsim::sim
