// How much memory a file may make Glassbox allocate: checked before allocating, so a header that
// promises terabytes gets a message instead of std::bad_alloc or the kernel's OOM killer.
#pragma once
#include <cstdint>
#include <string>

namespace gb {

// Bytes the system can give us now (MemAvailable from /proc/meminfo, else physical pages free);
// $GLASSBOX_MEMORY_LIMIT (bytes) overrides it for tests.
uint64_t available_memory_bytes();

// "1.5 GB", "320 KB": for messages.
std::string format_bytes(double bytes);

// Throws gb::Error "WHERE: WHAT needs N GB, more than the M GB of memory available" when `bytes`
// exceeds the available memory.
void check_memory(double bytes, const std::string& where, const std::string& what);

}  // namespace gb
