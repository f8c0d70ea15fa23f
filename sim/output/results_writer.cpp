#include "sim/output/results_writer.h"

#include <fstream>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace cbsim::sim {

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path tmp =
      path.parent_path() / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << content;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      throw std::runtime_error("failed writing " + tmp.string());
    }
  }
  std::filesystem::rename(tmp, path);
}

void write_results(const std::filesystem::path& dir, const scenario::Scenario& scenario, const RunResult& result) {
  std::filesystem::create_directories(dir);
  // A stale metrics.json from an earlier run must not pass for this run's
  // while the new files are being written.
  std::error_code ignored;
  std::filesystem::remove(dir / "metrics.json", ignored);
  write_file_atomically(dir / "scenario.resolved.json", scenario.resolved.dump(2) + "\n");
  for (const auto& [name, table] : result.tables) write_file_atomically(dir / name, table.text());
  write_file_atomically(dir / "metrics.json", result.metrics.dump(2) + "\n");
}

}  // namespace cbsim::sim
