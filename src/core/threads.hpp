// Threads that work in the background of the app (traces, training, live samples).
#pragma once

namespace gb {

// Call at the start of a background thread: its OpenMP/Eigen work stays on one core, and the OS schedules it after
// the UI thread and the OpenGL rasteriser (nice +5 for this thread only), so a busy laptop keeps drawing frames.
// Harmless where lowering the priority is not allowed.
void become_background_thread();

}  // namespace gb
