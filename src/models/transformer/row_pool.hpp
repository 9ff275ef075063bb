// A tiny fork-join pool for the decoder's row-parallel matrix–vector products. Workers spin briefly
// after each job (the next GEMV of the same token follows within microseconds) and then sleep on a
// futex, so a busy shared machine is not flooded with spinning threads between tokens (OpenMP's
// default active wait made decoding 10x slower under load).
#pragma once
#include <functional>

namespace gb {

// Runs fn(part, parts) for part = 0 … parts−1, part 0 on the calling thread, the others on pool
// workers (started on first use, kept for the life of the process). Returns when all are done.
// Calls from different threads are serialised. parts ≤ 1 just calls fn(0, 1). Inside fn, OpenMP's
// max threads is 1, so Eigen products there run single-threaded (the parts are the parallelism).
void run_parts(int parts, const std::function<void(int part, int parts)>& fn);

// Threads the decoder uses by default: OpenMP's max threads (OMP_NUM_THREADS, else the core count).
int default_decode_threads();

}  // namespace gb
