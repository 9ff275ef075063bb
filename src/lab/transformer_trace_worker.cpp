// The transformer lab's trace helper thread (see transformer_trace_worker.hpp).
#include "lab/transformer_trace_worker.hpp"

#include "core/error.hpp"
#include "core/threads.hpp"

namespace gb {

TraceWorker::~TraceWorker() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
    queued_.reset();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TraceWorker::post(Job job) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    queued_ = std::move(job);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  }
  cv_.notify_one();
}

bool TraceWorker::has(uint64_t key, bool lens) const {
  std::lock_guard<std::mutex> lk(mu_);
  if (queued_ && queued_->key == key && (queued_->options.logit_lens || !lens)) return true;
  return busy_ && busy_key_ == key && (busy_lens_ || !lens);
}

std::optional<TraceWorker::Done> TraceWorker::take() {
  std::lock_guard<std::mutex> lk(mu_);
  std::optional<Done> d = std::move(done_);
  done_.reset();
  return d;
}

TraceWorker::Done TraceWorker::compute(const Job& job) {
  Done d;
  d.key = job.key;
  d.logit_lens = job.options.logit_lens;
  try {
    auto tr = std::make_shared<Trace>(gpt_trace(*job.model, job.ids, job.options));
    tr->tokens = job.tokens;
    d.trace = std::move(tr);
  } catch (const Error& e) {
    d.error = e.what();
  }
  return d;
}

void TraceWorker::loop() {
  become_background_thread();
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    cv_.wait(lk, [&] { return stop_ || queued_.has_value(); });
    if (stop_) return;
    Job job = std::move(*queued_);
    queued_.reset();
    busy_ = true;
    busy_key_ = job.key;
    busy_lens_ = job.options.logit_lens;
    lk.unlock();
    Done d = compute(job);
    lk.lock();
    busy_ = false;
    done_ = std::move(d);
    wake_ui();  // the app may be asleep until input: the new trace is news
  }
}

}  // namespace gb
