#pragma once
// A PBFT committee: nodes.count replicas and committee.clients clients placed
// in the network's regions, talking point to point (a full mesh), driven by
// the engine-free replicas of models/consensus/pbft; reports throughput,
// client-observed latency, view changes, messages per batch and the safety check.

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

RunResult run_pbft(const scenario::Scenario& scenario, ProgressListener* progress);

}  // namespace cbsim::sim
