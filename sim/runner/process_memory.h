#pragma once
// The memory this process uses and may use, read from Linux's /proc. A run is
// refused up front when its estimate exceeds the limit, and stopped while it
// runs when its resident memory crosses it.

#include "sim/scenario/scenario.h"

namespace cbsim::sim {

// Resident set size of this process now, in MB (1 MB = 2^20 bytes); 0 if /proc cannot be read.
double current_rss_mb();

// MemAvailable of /proc/meminfo in MB: what the kernel can give without swapping; 0 if unknown.
double available_memory_mb();

// limits.max_memory_mb, or the machine's available memory when it is 0 (0 = unknown: no limit).
double memory_limit_mb(const scenario::LimitsConfig& limits);

}  // namespace cbsim::sim
