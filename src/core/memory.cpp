// Available-memory checks before large allocations.
#include "core/memory.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/error.hpp"

namespace gb {

uint64_t available_memory_bytes() {
  if (const char* e = std::getenv("GLASSBOX_MEMORY_LIMIT"); e && *e) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(e, &end, 10);
    if (end && !*end) return v;
  }
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit)
    if (key == "MemAvailable:") return kb * 1024;
  const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) return uint64_t(pages) * uint64_t(page);
  return uint64_t(1) << 34;  // unknown: assume 16 GB
}

std::string format_bytes(double b) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (b >= 1024 && u < 6) {
    b /= 1024;
    ++u;
  }
  char s[48];
  std::snprintf(s, sizeof s, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return s;
}

void check_memory(double bytes, const std::string& where, const std::string& what) {
  const uint64_t avail = available_memory_bytes();
  if (!(bytes <= double(avail)))
    fail(where + ": " + what + " needs " + format_bytes(bytes) + ", more than the " + format_bytes(double(avail)) +
         " of memory available");
}

}  // namespace gb
