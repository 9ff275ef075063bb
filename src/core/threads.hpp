// Threads that work in the background of the app (traces, training, live samples).
#pragma once
#include <omp.h>

namespace gb {

// Keeps Eigen's matrix products on the calling thread for a scope. Eigen splits large products over OpenMP threads,
// and the split changes the order of float sums; one thread makes results independent of the core count (one seed,
// one result) and avoids waits at barriers for a descheduled team thread on a busy machine. Only the calling
// thread's OpenMP setting changes, and it is restored on exit.
class SingleThreadScope {
 public:
  SingleThreadScope() : prev_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreadScope() { omp_set_num_threads(prev_); }
  SingleThreadScope(const SingleThreadScope&) = delete;
  SingleThreadScope& operator=(const SingleThreadScope&) = delete;

 private:
  int prev_;
};

// Call at the start of a background thread: its OpenMP/Eigen work stays on one core, and the OS schedules it after
// the UI thread and the OpenGL rasteriser (nice +5 for this thread only), so a busy laptop keeps drawing frames.
// Harmless where lowering the priority is not allowed.
void become_background_thread();

// Wakes the UI thread when a background thread has published something new (a trace, a training snapshot, live
// samples), so an app that sleeps until input (src/app/shell_wait.cpp) draws it. The app installs the handler
// (glfwPostEmptyEvent, which any thread may call); without one (CLI, tests) wake_ui() does nothing. Thread-safe.
void set_wake_ui_handler(void (*handler)());
void wake_ui();

}  // namespace gb
