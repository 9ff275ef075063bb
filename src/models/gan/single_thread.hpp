// Keeps Eigen's matrix products on the calling thread for a scope. Eigen splits large products
// over OpenMP threads, and the split changes the order of float sums; pinning the GAN's products to
// one thread makes every result independent of the machine's core count (one seed, one result).
// Only the calling thread's OpenMP setting changes, and it is restored on exit.
#pragma once
#include <omp.h>

namespace gb {

class SingleThreadScope {
 public:
  SingleThreadScope() : prev_(omp_get_max_threads()) { omp_set_num_threads(1); }
  ~SingleThreadScope() { omp_set_num_threads(prev_); }
  SingleThreadScope(const SingleThreadScope&) = delete;
  SingleThreadScope& operator=(const SingleThreadScope&) = delete;

 private:
  int prev_;
};

}  // namespace gb
