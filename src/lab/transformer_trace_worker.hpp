// A helper thread that computes gpt_trace for the transformer lab while the UI keeps drawing: the lab
// posts the newest sequence (older unstarted requests are dropped) and picks up finished traces.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "models/transformer/gpt.hpp"

namespace gb {

class TraceWorker {
 public:
  struct Job {
    std::shared_ptr<const Gpt> model;
    std::vector<int32_t> ids;          // (T) the window the model sees
    std::vector<std::string> tokens;   // (T) display strings copied into the trace
    TraceOptions options;
    uint64_t key = 0;                  // the lab's sequence version this trace belongs to
  };
  struct Done {
    uint64_t key = 0;
    bool logit_lens = false;
    std::shared_ptr<const Trace> trace;  // null when the computation failed (error says why)
    std::string error;
  };

  TraceWorker() = default;
  ~TraceWorker();  // finishes the trace under way, then joins
  TraceWorker(const TraceWorker&) = delete;
  TraceWorker& operator=(const TraceWorker&) = delete;

  // Queues a job, replacing any job not started yet. Starts the thread on first use.
  void post(Job job);
  // True when a queued or running job has this key and (if lens) computes the logit lens.
  bool has(uint64_t key, bool lens) const;
  // The latest finished trace, once (nullopt when none finished since the last call).
  std::optional<Done> take();

  // Computes one job on the calling thread (the synchronous path uses the same code).
  static Done compute(const Job& job);

 private:
  void loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
  bool stop_ = false;
  std::optional<Job> queued_;
  bool busy_ = false;
  uint64_t busy_key_ = 0;
  bool busy_lens_ = false;
  std::optional<Done> done_;
};

}  // namespace gb
