#include "core/threads.hpp"

#include <atomic>

#include <omp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gb {

void become_background_thread() {
  omp_set_num_threads(1);  // per-thread setting; Eigen reads it when Eigen::setNbThreads was not called
#ifdef __linux__
  // On Linux a thread id names one thread for setpriority (POSIX would say the whole process).
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  const int now = getpriority(PRIO_PROCESS, tid);
  (void)setpriority(PRIO_PROCESS, tid, now + 5 > 19 ? 19 : now + 5);
#endif
}

namespace {
std::atomic<void (*)()> g_wake_ui{nullptr};
}

void set_wake_ui_handler(void (*handler)()) { g_wake_ui.store(handler); }

void wake_ui() {
  if (auto h = g_wake_ui.load()) h();
}

}  // namespace gb
