#include "sim/runner/process_memory.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace cbsim::sim {

namespace {
constexpr double kBytesPerMb = 1024.0 * 1024.0;
}

double current_rss_mb() {
  // statm: total program size, then resident pages.
  std::ifstream statm("/proc/self/statm");
  long total_pages = 0, resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return 0.0;
  return static_cast<double>(resident_pages) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / kBytesPerMb;
}

double available_memory_mb() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (!line.starts_with("MemAvailable:")) continue;
    std::istringstream fields(line.substr(13));
    double kib = 0.0;
    if (fields >> kib) return kib / 1024.0;
  }
  return 0.0;
}

double memory_limit_mb(const scenario::LimitsConfig& limits) {
  return limits.max_memory_mb > 0.0 ? limits.max_memory_mb : available_memory_mb();
}

}  // namespace cbsim::sim
