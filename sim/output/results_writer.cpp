#include "sim/output/results_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/engine/interruption.h"

namespace cbsim::sim {

namespace {

namespace fs = std::filesystem;

constexpr const char* kPartial = "PARTIAL";
constexpr const char* kMetrics = "metrics.json";
constexpr const char* kPartialMetrics = "metrics.partial.json";
constexpr const char* kTemporaryMark = ".tmp-";

// Every file a run may write: what an earlier run into the same folder may have
// left. A table missing here is an error of the program (see write_results).
const std::set<std::string>& result_file_names() {
  static const std::set<std::string> names = {
      kMetrics,          kPartialMetrics, "scenario.resolved.json", "blocks.csv",      "propagation.csv",
      "transactions.csv", "nodes.csv",    "requests.csv",           "cloud_hosts.csv", "allocations.csv",
      "allocation_calls.csv"};
  return names;
}

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw OutputError("cannot " + what + " " + path.string() + ": " + std::strerror(error));
}

fs::path temporary_name(const fs::path& path) {
  return path.parent_path() / ("." + path.filename().string() + kTemporaryMark + std::to_string(::getpid()));
}

// Writes `content` to a new file `path`; 0, or the errno of what failed (the file is then removed).
int write_new_file(const fs::path& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  int error = 0;
  for (std::size_t done = 0; done < content.size() && error == 0;) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n > 0)
      done += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR)
      error = errno;
  }
  if (::close(fd) != 0 && error == 0) error = errno;  // NFS and quotas report here
  if (error != 0) ::unlink(path.c_str());
  return error;
}

// Writes `path` under its temporary name, then renames it into place; 0, or the errno of what failed.
int try_write_atomically(const fs::path& path, const std::string& content) {
  const fs::path tmp = temporary_name(path);
  if (const int error = write_new_file(tmp, content); error != 0) return error;
  if (::rename(tmp.c_str(), path.c_str()) == 0) return 0;
  const int error = errno;
  ::unlink(tmp.c_str());
  return error;
}

void remove_file(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("remove", path, errno);
}

// The process that wrote ".NAME.tmp-PID", or 0 if `name` is not such a file.
pid_t temporary_file_owner(const std::string& name) {
  const std::size_t mark = name.rfind(kTemporaryMark);
  if (!name.starts_with('.') || mark == std::string::npos || mark == 0) return 0;
  const std::string digits = name.substr(mark + std::strlen(kTemporaryMark));
  const auto is_digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  if (digits.empty() || digits.size() > 10 || !std::all_of(digits.begin(), digits.end(), is_digit)) return 0;
  const long pid = std::strtol(digits.c_str(), nullptr, 10);
  return pid > 0 && pid <= INT_MAX ? static_cast<pid_t>(pid) : 0;
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// Temporary files of processes killed while writing (a live one may be writing its own).
void remove_stale_temporaries(const fs::path& dir) {
  try {
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
      const pid_t owner = temporary_file_owner(entry.path().filename().string());
      if (owner != 0 && owner != ::getpid() && !process_alive(owner)) remove_file(entry.path());
    }
  } catch (const fs::filesystem_error& e) {
    fail("list", dir, e.code().value());
  }
}

std::string partial_note(const nlohmann::json& note) { return note.dump(2) + "\n"; }

nlohmann::json stopped_note(const EarlyStop& stop) {
  nlohmann::json note = {{"state", "stopped"}, {"reason", stop.reason()}, {"sim_time_s", stop.sim_time_s}};
  if (stop.cause == EarlyStop::Cause::interruption) {
    note["cause"] = "interruption";
    note["signal"] = signal_name(stop.signal);
  } else {
    note["cause"] = "memory_limit";
    note["rss_mb"] = stop.rss_mb;
    note["limit_mb"] = stop.limit_mb;
  }
  return note;
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& content) {
  if (const int error = try_write_atomically(path, content); error != 0) fail("write", path, error);
}

void prepare_results_dir(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw OutputError("cannot create the results folder " + dir.string() + ": " + error.message());
  // PARTIAL first: from now until metrics.json is written, the folder says it
  // holds no complete run. Writing it also proves the folder writable.
  const nlohmann::json running = {{"state", "running"}, {"pid", ::getpid()}};
  if (const int e = try_write_atomically(dir / kPartial, partial_note(running)); e != 0)
    throw OutputError("cannot write into the results folder " + dir.string() + ": " + std::strerror(e));
  remove_file(dir / kMetrics);  // first: an earlier run's metrics must not pass for this run's
  for (const std::string& name : result_file_names()) remove_file(dir / name);
  remove_stale_temporaries(dir);
}

void write_results(const fs::path& dir, const scenario::Scenario& scenario, const RunResult& result) {
  for (const auto& [name, table] : result.tables)
    if (!result_file_names().contains(name))
      throw std::logic_error("table " + name + " is missing from result_file_names(): an earlier run's would be left");
  write_file_atomically(dir / "scenario.resolved.json", scenario.resolved.dump(2) + "\n");
  for (const auto& [name, table] : result.tables) write_file_atomically(dir / name, table.text());
  if (result.early_stop) {
    write_file_atomically(dir / kPartialMetrics, result.metrics.dump(2) + "\n");
    write_file_atomically(dir / kPartial, partial_note(stopped_note(*result.early_stop)));
    return;
  }
  write_file_atomically(dir / kMetrics, result.metrics.dump(2) + "\n");
  remove_file(dir / kPartial);
}

}  // namespace cbsim::sim
