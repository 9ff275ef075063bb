// BackgroundTrainer<Snapshot>: the one worker-thread loop behind the three training workers
// (transformer TrainWorker, DiffusionTrainWorker, ImageGanWorker). It owns the thread, the
// start / pause / resume / stop control and the latest immutable snapshot; the worker supplies
// what one step is and what a snapshot holds.
//
//   BackgroundTrainer<MySnap> bg_;                          // declared LAST in the worker, so it
//                                                           // joins before the trainer dies
//   bg_.start({.step = [&] { return train_one(); },          // false: done (ends the loop)
//              .on_pause = [&] { publish_paused(); },        // the thread is about to wait
//              .on_end = [&](End e, const std::string& why) { publish_final(e, why); }});
//   bg_.publish(std::make_shared<const MySnap>(...));        // from any thread; wakes the UI
//   std::shared_ptr<const MySnap> s = bg_.snapshot();         // UI thread: a pointer copy
//
// Pausing happens between steps, so a paused and resumed run is bit-identical to an uninterrupted
// one. The thread runs become_background_thread() (one core, lower priority). An exception from a
// step ends the loop with End::failed and its message.
#pragma once
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/threads.hpp"

namespace gb {

template <class Snapshot>
class BackgroundTrainer {
 public:
  enum class End { finished, stopped, failed };
  struct Hooks {
    std::function<void()> on_start;                              // first call on the thread (may be empty)
    std::function<bool()> step;                                  // one training step; false when done
    std::function<void()> on_pause;                              // before waiting in pause (may be empty)
    std::function<void(End, const std::string& error)> on_end;   // last call on the thread (may be empty)
  };

  BackgroundTrainer() = default;
  BackgroundTrainer(const BackgroundTrainer&) = delete;
  BackgroundTrainer& operator=(const BackgroundTrainer&) = delete;
  ~BackgroundTrainer() { stop(); }

  // Unpauses; launches the thread unless it is already running (a loop that ended is joined and
  // started again, continuing the trainer where it stopped).
  void start(Hooks hooks) {
    {
      std::lock_guard<std::mutex> lk(ctl_mu_);
      pause_ = false;
    }
    ctl_cv_.notify_all();
    if (thread_.joinable() && !ended_) return;
    if (thread_.joinable()) thread_.join();
    {
      std::lock_guard<std::mutex> lk(ctl_mu_);
      stop_ = false;
    }
    ended_ = false;
    started_ = true;
    hooks_ = std::move(hooks);
    thread_ = std::thread([this] { loop(); });
  }
  // start() with the hooks of a worker that publishes snapshots (image GAN, VAE): publish(true) when the thread
  // starts, publish(false) before it waits in pause; a failed step calls failed(message) (record it, mark the run
  // finished) and then publish(false). A finished or stopped run publishes itself (its own train_one / stop()).
  void start_publishing(std::function<bool()> step, std::function<void(bool with_pictures)> publish,
                        std::function<void(const std::string& error)> failed) {
    start({.on_start = [publish] { publish(true); },
           .step = std::move(step),
           .on_pause = [publish] { publish(false); },
           .on_end = [publish, failed](End e, const std::string& why) {
             if (e != End::failed) return;
             failed(why);
             publish(false);
           }});
  }
  void pause() {
    std::lock_guard<std::mutex> lk(ctl_mu_);
    pause_ = true;
  }
  void resume() {
    {
      std::lock_guard<std::mutex> lk(ctl_mu_);
      pause_ = false;
    }
    ctl_cv_.notify_all();
  }
  // Asks the loop to end after its current step (does not wait).
  void request_stop() {
    {
      std::lock_guard<std::mutex> lk(ctl_mu_);
      stop_ = true;
    }
    ctl_cv_.notify_all();
  }
  void join() {
    if (thread_.joinable()) thread_.join();
  }
  void stop() {
    request_stop();
    join();
  }

  bool started() const { return started_; }               // start() was called at least once
  bool running() const { return thread_.joinable() && !ended_; }
  bool ended() const { return ended_; }                   // the last loop has returned
  bool waiting() const { return waiting_; }                // the thread sits in pause
  bool pause_requested() const {
    std::lock_guard<std::mutex> lk(ctl_mu_);
    return pause_;
  }

  void publish(std::shared_ptr<const Snapshot> s) {
    {
      std::lock_guard<std::mutex> lk(snap_mu_);
      snap_ = std::move(s);
    }
    wake_ui();  // an app asleep until input draws the new snapshot
  }
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard<std::mutex> lk(snap_mu_);
    return snap_;
  }

 private:
  void loop() {
    become_background_thread();
    End end = End::finished;
    std::string error;
    try {
      if (hooks_.on_start) hooks_.on_start();
      for (;;) {
        {
          std::unique_lock<std::mutex> lk(ctl_mu_);
          if (pause_ && !stop_) {
            waiting_ = true;
            lk.unlock();
            if (hooks_.on_pause) hooks_.on_pause();
            lk.lock();
            ctl_cv_.wait(lk, [this] { return !pause_ || stop_; });
            waiting_ = false;
          }
          if (stop_) {
            end = End::stopped;
            break;
          }
        }
        if (!hooks_.step()) break;
      }
    } catch (const std::exception& e) {
      end = End::failed;
      error = e.what();
    }
    waiting_ = false;
    if (hooks_.on_end) hooks_.on_end(end, error);
    ended_ = true;
  }

  Hooks hooks_;
  std::thread thread_;
  mutable std::mutex ctl_mu_;
  std::condition_variable ctl_cv_;
  bool pause_ = false, stop_ = false;
  std::atomic<bool> started_{false}, ended_{false}, waiting_{false};
  mutable std::mutex snap_mu_;
  std::shared_ptr<const Snapshot> snap_;
};

}  // namespace gb
