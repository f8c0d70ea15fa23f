#pragma once
// A committee: nodes.count replicas running PBFT or HotStuff
// (consensus.protocol) for committee.clients clients, all placed in the
// network's regions and talking point to point (a full mesh), driven by the
// engine-free replicas of models/consensus/; the scenario's faults apply.
// Reports throughput, client-observed latency, stalls, view changes, messages
// per committed batch or block beside the closed forms, and the safety check.

#include "sim/runner/run_result.h"
#include "sim/scenario/scenario.h"

namespace cbsim::sim {

RunResult run_committee(const scenario::Scenario& scenario, ProgressListener* progress);

}  // namespace cbsim::sim
