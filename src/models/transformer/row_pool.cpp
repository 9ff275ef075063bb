// Fork-join pool: per-worker generation counters, bounded spinning, then std::atomic::wait (futex).
#include "models/transformer/row_pool.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <omp.h>

namespace gb {

namespace {
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

constexpr int kSpin = 2000;  // pause iterations (~100 µs at ~140 cycles each) before sleeping

struct Worker {
  std::atomic<uint32_t> gen{0};   // bumped by the caller to start a job
  std::atomic<uint32_t> done{0};  // set to gen by the worker when the job is finished
  std::thread thread;
};

class Pool {
 public:
  ~Pool() {
    stop_.store(true);
    for (auto& w : workers_) {
      w->gen.fetch_add(1);
      w->gen.notify_one();
    }
    for (auto& w : workers_)
      if (w->thread.joinable()) w->thread.join();
  }

  void run(int parts, const std::function<void(int, int)>& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    while (int(workers_.size()) < parts - 1) {
      auto w = std::make_unique<Worker>();
      Worker* raw = w.get();
      const int index = int(workers_.size());
      workers_.push_back(std::move(w));
      raw->thread = std::thread([this, raw, index] { loop(*raw, index + 1); });
    }
    fn_ = &fn;
    parts_ = parts;
    for (int i = 0; i < parts - 1; ++i) {
      Worker& w = *workers_[size_t(i)];
      w.gen.fetch_add(1, std::memory_order_acq_rel);
      w.gen.notify_one();
    }
    {
      // Eigen parallelises its products with OpenMP (omp_get_max_threads, a per-thread setting):
      // inside a part they must stay single-threaded. Workers set it once; the caller's is restored.
      const int keep = omp_get_max_threads();
      omp_set_num_threads(1);
      fn(0, parts);
      omp_set_num_threads(keep);
    }
    for (int i = 0; i < parts - 1; ++i) {
      Worker& w = *workers_[size_t(i)];
      const uint32_t target = w.gen.load(std::memory_order_relaxed);
      for (int s = 0; s < kSpin && w.done.load(std::memory_order_acquire) != target; ++s) cpu_relax();
      for (uint32_t d; (d = w.done.load(std::memory_order_acquire)) != target;) w.done.wait(d);
    }
  }

 private:
  void loop(Worker& w, int part) {
    omp_set_num_threads(1);  // Eigen inside a part runs single-threaded
    uint32_t seen = 0;
    for (;;) {
      uint32_t g = w.gen.load(std::memory_order_acquire);
      for (int s = 0; s < kSpin && g == seen; ++s) {
        cpu_relax();
        g = w.gen.load(std::memory_order_acquire);
      }
      while (g == seen) {
        w.gen.wait(seen);
        g = w.gen.load(std::memory_order_acquire);
      }
      seen = g;
      if (stop_.load()) return;
      (*fn_)(part, parts_);
      w.done.store(seen, std::memory_order_release);
      w.done.notify_one();
    }
  }

  std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
  const std::function<void(int, int)>* fn_ = nullptr;
  int parts_ = 1;
  std::atomic<bool> stop_{false};
};

Pool& pool() {
  static Pool p;
  return p;
}
}  // namespace

void run_parts(int parts, const std::function<void(int, int)>& fn) {
  if (parts <= 1) {
    const int keep = omp_get_max_threads();  // one part: Eigen inside stays single-threaded too
    omp_set_num_threads(1);
    fn(0, 1);
    omp_set_num_threads(keep);
    return;
  }
  pool().run(parts, fn);
}

int default_decode_threads() { return omp_get_max_threads(); }

}  // namespace gb
