// cbsim._core: the C++ engine for Python (see bindings/README.md).
//
// SimGrid allows one engine per process and keeps global state, so a run never
// happens in the Python process: run_isolated() validates the scenario here
// (a bad field raises at once, naming its path) and forks a child that runs
// the simulation and writes the results. The child touches no Python object,
// handles signals with cbsim's handlers, not Python's, follows its parent's
// death (PR_SET_PDEATHSIG) and leaves with _exit(), so neither the interpreter
// nor its threads (Dask workers have several) are disturbed. The parent waits
// with the GIL released but handles Ctrl-C: it stops and reaps the child, then
// raises KeyboardInterrupt.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/analysis/closed_forms.h"
#include "models/analysis/double_spend_race.h"
#include "models/analysis/selfish_mining_chain.h"
#include "models/network/regions.h"
#include "models/network/topology.h"
#include "models/random/rng.h"
#include "sim/engine/interruption.h"
#include "sim/output/results_writer.h"
#include "sim/runner/execute_run.h"
#include "sim/runner/preflight.h"
#include "sim/scenario/scenario_loader.h"

namespace py = pybind11;
namespace analysis = cbsim::models::analysis;
namespace network = cbsim::models::network;

namespace {

cbsim::scenario::Scenario load(const std::string& text, const std::string& origin,
                               const std::vector<std::string>& overrides) {
  cbsim::scenario::Scenario s = cbsim::scenario::load_scenario_text(text, origin, overrides);
  cbsim::sim::preflight(s);
  return s;
}

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// How the child ended, by exit status; its message comes through a pipe.
constexpr int kChildOk = 0;
constexpr int kChildFailed = 1;
constexpr int kChildOutputError = 2;  // the results folder cannot be written
constexpr int kChildOrphaned = 4;     // the parent died before the child could ask to follow it
// The child's exit status when a signal stopped it early is 128 + the signal.

// The forked child inherits the interpreter's signal handlers, which would
// touch Python's state (or a wakeup fd the parent's event loop reads): every
// handled signal goes back to its default, then SIGINT and SIGTERM get
// cbsim's (the run stops cleanly, with partial results).
void take_over_signals() {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current {};
    if (sig == SIGKILL || sig == SIGSTOP || ::sigaction(sig, nullptr, &current) != 0) continue;
    if (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN) ::signal(sig, SIG_DFL);
  }
  cbsim::sim::catch_interruptions();
}

[[noreturn]] void run_as_child(const cbsim::scenario::Scenario& s, const std::string& out_dir, int message_fd,
                               pid_t parent) {
  take_over_signals();
  // When the interpreter dies (even by SIGKILL) the run stops too, rather than
  // running on as an orphan; getppid() catches a parent that died before this.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != parent) ::_exit(kChildOrphaned);
  int code = kChildOk;
  try {
    const cbsim::sim::RunResult result = cbsim::sim::execute_run(s, out_dir, nullptr);
    if (result.early_stop) {
      write_all(message_fd, result.early_stop->reason() + " (partial results in " + out_dir + ")");
      code = result.early_stop->cause == cbsim::sim::EarlyStop::Cause::interruption ? 128 + result.early_stop->signal
                                                                                   : kChildFailed;
    } else if (!result.failure.empty()) {
      write_all(message_fd, result.failure + " (results written to " + out_dir + ")");
      code = kChildFailed;
    }
  } catch (const cbsim::sim::OutputError& e) {
    write_all(message_fd, e.what());
    code = kChildOutputError;
  } catch (const std::exception& e) {
    write_all(message_fd, e.what());
    code = kChildFailed;
  } catch (...) {
    write_all(message_fd, "unknown error");
    code = kChildFailed;
  }
  ::close(message_fd);
  ::_exit(code);  // never Python's exit handlers nor its interpreter's destructors
}

struct ChildOutcome {
  int status = 0;  // as waitpid gives it; -1: reaped by someone else
  std::string message;
};

// One step of waiting for the child, at most ~100 ms: reads what it wrote;
// true once it has been reaped.
bool wait_step(pid_t pid, int& message_fd, ChildOutcome& outcome) {
  if (message_fd >= 0) {
    pollfd readable{message_fd, POLLIN, 0};
    if (::poll(&readable, 1, 100) > 0) {
      char buf[4096];
      const ssize_t n = ::read(message_fd, buf, sizeof buf);
      if (n > 0) {
        outcome.message.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(message_fd);  // end of file: the child is leaving
        message_fd = -1;
      }
    }
    if (message_fd >= 0) return false;
  }
  const pid_t reaped = ::waitpid(pid, &outcome.status, WNOHANG);
  if (reaped == pid) return true;
  if (reaped < 0 && errno == ECHILD) {  // a SIGCHLD handler of the program reaped it
    outcome.status = -1;
    return true;
  }
  ::poll(nullptr, 0, 10);
  return false;
}

// The parent was interrupted: SIGTERM lets the child stop at its next progress
// check and write its partial results; after a grace period it is killed.
void stop_child(pid_t pid) {
  constexpr int kGraceMs = 5000, kStepMs = 10;
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int waited = 0; waited < kGraceMs; waited += kStepMs) {
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == pid || (reaped < 0 && errno == ECHILD)) return;
    ::poll(nullptr, 0, kStepMs);
  }
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

// Waits for the child with the GIL released, taking it back every step so
// that Python handles its signals: Ctrl-C raises KeyboardInterrupt here, and
// the child is stopped and reaped before the exception propagates.
ChildOutcome wait_for_child(pid_t pid, int message_fd) {
  ChildOutcome outcome;
  for (bool reaped = false; !reaped;) {
    {
      py::gil_scoped_release release;
      reaped = wait_step(pid, message_fd, outcome);
    }
    if (PyErr_CheckSignals() != 0) {
      py::error_already_set interruption;  // takes the exception out of the interpreter's state
      {
        py::gil_scoped_release release;
        if (!reaped) stop_child(pid);
        if (message_fd >= 0) ::close(message_fd);
      }
      throw interruption;
    }
  }
  return outcome;
}

// Runs the scenario in a forked child; raises what the child reports.
void run_in_child(const cbsim::scenario::Scenario& s, const std::string& origin, const std::string& out_dir) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  pid_t pid = 0;
  {
    py::gil_scoped_release release;
    pid = ::fork();
    // The child must not take the GIL back (another thread may have held it at the fork).
    if (pid == 0) {
      ::close(fds[0]);
      run_as_child(s, out_dir, fds[1], parent);
    }
  }
  ::close(fds[1]);
  if (pid < 0) {
    ::close(fds[0]);
    throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  }
  const ChildOutcome outcome = wait_for_child(pid, fds[0]);
  const std::string failed = "simulation of " + origin + " failed: ";
  if (outcome.status == -1) throw std::runtime_error(failed + "its process was reaped by another part of the program");
  if (WIFSIGNALED(outcome.status)) {
    const int sig = WTERMSIG(outcome.status);
    throw std::runtime_error(failed + "the simulation process was killed by signal " + std::to_string(sig) + " (" +
                             strsignal(sig) + ")");
  }
  const int code = WEXITSTATUS(outcome.status);
  if (code == kChildOk) return;
  const std::string message = outcome.message.empty() ? "exit status " + std::to_string(code) : outcome.message;
  if (code == kChildOutputError) {
    PyErr_SetString(PyExc_OSError, (failed + message).c_str());
    throw py::error_already_set();
  }
  throw std::runtime_error(failed + message);
}

py::object parse_json_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return py::module_::import("json").attr("loads")(ss.str());
}

py::object run_isolated(const std::string& text, const std::string& origin, const std::vector<std::string>& overrides,
                        const std::string& out_dir) {
  const cbsim::scenario::Scenario s = load(text, origin, overrides);
  run_in_child(s, origin, out_dir);
  return parse_json_file(out_dir + "/metrics.json");
}

py::dict region_table_dict(const std::string& name) {
  const network::RegionTable& t = network::region_table(name);
  py::list regions;
  for (const network::Region& r : t.regions) {
    py::dict d;
    d["name"] = r.name;
    d["download_bps"] = r.download_bps;
    d["upload_bps"] = r.upload_bps;
    d["node_share"] = r.node_share;
    regions.append(d);
  }
  py::dict out;
  out["name"] = t.name;
  out["regions"] = regions;
  out["latency_s"] = t.latency_s;
  return out;
}

std::vector<std::vector<std::uint32_t>> generate_topology(const std::string& kind, std::size_t n, std::uint64_t seed,
                                                          int degree, double edge_probability,
                                                          double rewire_probability, int max_inbound) {
  network::TopologyParams params{kind, degree, edge_probability, rewire_probability, max_inbound};
  cbsim::models::random::Rng rng(seed, "topology");  // the stream a run with this seed uses
  return network::generate_topology(params, n, rng).neighbors;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "cbsim's C++ engine: isolated simulation runs, topologies, region tables, closed-form references";
  m.attr("__version__") = "0.1.0";

  static py::exception<cbsim::scenario::ScenarioError> scenario_error(m, "ScenarioError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const cbsim::scenario::ScenarioError& e) {
      py::object type = py::reinterpret_borrow<py::object>(scenario_error.ptr());
      py::object instance = type(e.what());
      instance.attr("file") = e.file;
      instance.attr("path") = e.path;
      instance.attr("reason") = e.reason;
      PyErr_SetObject(scenario_error.ptr(), instance.ptr());
    } catch (const network::TopologyError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  m.def("run_isolated", &run_isolated, py::arg("scenario_text"), py::arg("origin"), py::arg("overrides"),
        py::arg("out_dir"),
        "Validate, then run the scenario in a child process writing its results to out_dir; returns metrics.");
  m.def(
      "resolve",
      [](const std::string& text, const std::string& origin, const std::vector<std::string>& overrides) {
        return load(text, origin, overrides).resolved.dump(2);
      },
      py::arg("scenario_text"), py::arg("origin"), py::arg("overrides") = std::vector<std::string>{},
      "The scenario with every default filled in, as JSON text.");
  m.def("generate_topology", &generate_topology, py::arg("kind"), py::arg("n"), py::arg("seed"),
        py::arg("degree") = 8, py::arg("edge_probability") = 0.01, py::arg("rewire_probability") = 0.1,
        py::arg("max_inbound") = 125, "Adjacency lists of the overlay a run with this seed builds.");
  m.def("region_table", &region_table_dict, py::arg("name") = "simblock-2019");
  m.def("region_table_names", &network::region_table_names);
  m.def("nakamoto_double_spend", &analysis::nakamoto_double_spend, py::arg("q"), py::arg("z"));
  m.def("rosenfeld_double_spend", &analysis::rosenfeld_double_spend, py::arg("q"), py::arg("z"));
  m.def("selfish_mining_revenue", &analysis::selfish_mining_revenue, py::arg("alpha"), py::arg("gamma"));
  m.def("selfish_mining_threshold", &analysis::selfish_mining_threshold, py::arg("gamma"));
  m.def(
      "double_spend_success",
      [](double q, int z, int premined_blocks, int give_up_deficit) {
        return analysis::double_spend_success({q, z, premined_blocks, give_up_deficit});
      },
      py::arg("q"), py::arg("z"), py::arg("premined_blocks") = 1, py::arg("give_up_deficit") = 0,
      "Exact success probability of the double-spend race the simulator runs (Markov chain, give-up rule).");
  m.def(
      "selfish_mining_markov",
      [](double alpha, double gamma) {
        const analysis::SelfishMiningResult r = analysis::selfish_mining_markov({alpha, gamma});
        py::dict d;
        d["relative_revenue"] = r.relative_revenue;
        d["stale_share"] = r.stale_share;
        d["honest_stale_share"] = r.honest_stale_share;
        d["pool_stale_share"] = r.pool_stale_share;
        return d;
      },
      py::arg("alpha"), py::arg("gamma"), "Eyal & Sirer's selfish-mining Markov chain solved numerically.");
  m.def("fork_probability", &analysis::fork_probability, py::arg("uninformed_integral_s"),
        py::arg("block_interval_s"));
}
