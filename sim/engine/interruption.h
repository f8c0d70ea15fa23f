#pragma once
// SIGINT and SIGTERM during a run. cbsim's handler only records the signal:
// the run stops at its next progress check (sim/runner/run_control.h), writes
// what it has as partial results and exits with 128 + the signal's number.
// The same signal a second time ends the process at once (its results folder
// stays marked partial); a different one (a parent's SIGTERM after the
// terminal's SIGINT reached the whole process group) changes nothing.
//
// SimGrid installs its own SIGINT handler when its engine is created, one that
// calls exit() from inside the handler, which can then crash in the engine's
// shutdown: the SimGrid loop creates its engine inside a HeldInterruptions,
// which puts the handlers back before a signal can reach SimGrid's.

#include <signal.h>

namespace cbsim::sim {

// Installs cbsim's handlers for SIGINT and SIGTERM (except for one ignored
// from the start, as a shell's background job has SIGINT) and unblocks both.
void catch_interruptions();

// The first SIGINT or SIGTERM received since catch_interruptions(); 0 if none.
int interruption_signal();

// "SIGINT", "SIGTERM", or "a signal" for any other.
const char* signal_name(int signal);

// Blocks SIGINT and SIGTERM while it lives. On leaving it puts back their
// handlers as they were (whatever a library installed meanwhile) before
// restoring the signal mask, so a signal that arrived meanwhile reaches them.
class HeldInterruptions {
public:
  HeldInterruptions();
  ~HeldInterruptions();
  HeldInterruptions(const HeldInterruptions&) = delete;
  HeldInterruptions& operator=(const HeldInterruptions&) = delete;

private:
  sigset_t previous_mask_;
  struct sigaction previous_[2];  // SIGINT's and SIGTERM's
};

}  // namespace cbsim::sim
