// cbsim._core: the C++ engine for Python (see bindings/README.md).
//
// SimGrid allows one engine per process and keeps global state, so a run never
// happens in the Python process: run_isolated() validates the scenario here
// (a bad field raises at once, naming its path) and forks a child that runs
// the simulation and writes the results. The child touches no Python object
// and leaves with _exit(), so neither the interpreter nor its threads (Dask
// workers have several) are disturbed.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
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

std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

// Runs the scenario in a forked child; returns "" on success or the child's error.
std::string run_in_child(const cbsim::scenario::Scenario& s, const std::string& out_dir) {
  int fds[2];
  if (::pipe(fds) != 0) return std::string("cannot create a pipe: ") + std::strerror(errno);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::string("cannot fork: ") + std::strerror(errno);
  }
  if (pid == 0) {
    ::close(fds[0]);
    int code = 0;
    try {
      const cbsim::sim::RunResult result = cbsim::sim::execute_run(s, out_dir, nullptr);
      if (!result.failure.empty()) {
        write_all(fds[1], result.failure + " (results written to " + out_dir + ")");
        code = 1;
      }
    } catch (const std::exception& e) {
      write_all(fds[1], e.what());
      code = 1;
    } catch (...) {
      write_all(fds[1], "unknown error");
      code = 1;
    }
    ::close(fds[1]);
    ::_exit(code);
  }
  ::close(fds[1]);
  std::string error = read_all(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    return "the simulation process was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  if (WEXITSTATUS(status) != 0 && error.empty()) error = "exit status " + std::to_string(WEXITSTATUS(status));
  return error;
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
  std::string error;
  {
    py::gil_scoped_release release;
    error = run_in_child(s, out_dir);
  }
  if (!error.empty()) throw std::runtime_error("simulation of " + origin + " failed: " + error);
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
