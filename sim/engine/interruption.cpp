#include "sim/engine/interruption.h"

#include <unistd.h>

#include <csignal>
#include <iterator>

namespace cbsim::sim {

namespace {

volatile std::sig_atomic_t received_signal = 0;

extern "C" void on_interruption(int signal) {
  if (received_signal == 0) {
    received_signal = signal;
    return;
  }
  if (received_signal != signal) return;  // already stopping
  // Only async-signal-safe calls from here on.
  static const char message[] = "\ncbsim: signal received again, stopping at once\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
  ::_exit(128 + signal);
}

constexpr int kInterruptions[] = {SIGINT, SIGTERM};

sigset_t interruption_set() {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : kInterruptions) sigaddset(&set, signal);
  return set;
}

}  // namespace

void catch_interruptions() {
  received_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_interruption;
  // One handler at a time: SIGINT and SIGTERM pending together (a terminal's
  // Ctrl-C and a parent's SIGTERM) must not nest, or the later would count first.
  action.sa_mask = interruption_set();
  action.sa_flags = SA_RESTART;  // a write in progress goes on rather than failing with EINTR
  for (const int signal : kInterruptions) {
    struct sigaction current {};
    ::sigaction(signal, nullptr, &current);
    // A signal ignored from the start stays ignored, as shells want of
    // background jobs (`cbsim run ... &` is not for the terminal's Ctrl-C).
    if (current.sa_handler != SIG_IGN) ::sigaction(signal, &action, nullptr);
  }
  const sigset_t set = interruption_set();
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

int interruption_signal() { return received_signal; }

const char* signal_name(int signal) {
  if (signal == SIGINT) return "SIGINT";
  if (signal == SIGTERM) return "SIGTERM";
  return "a signal";
}

HeldInterruptions::HeldInterruptions() {
  const sigset_t set = interruption_set();
  ::pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  for (std::size_t i = 0; i < std::size(kInterruptions); ++i) ::sigaction(kInterruptions[i], nullptr, &previous_[i]);
}

HeldInterruptions::~HeldInterruptions() {
  for (std::size_t i = 0; i < std::size(kInterruptions); ++i) ::sigaction(kInterruptions[i], &previous_[i], nullptr);
  ::pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace cbsim::sim
