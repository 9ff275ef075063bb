// `LAB train pause|resume|stop|use` for the labs with a live training worker (GAN, VAE): the shared control
// and messages in one place (the worker is a BackgroundTrainer-backed worker: core/background_trainer.hpp).
// Each lab keeps only `train start` (its own options) and what `use` swaps in.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "lab/command.hpp"

namespace gb {

// For `what` = pause, resume or stop: does it and returns the answer. For `use`: stops the worker, takes its
// last snapshot and returns nullopt (the lab then swaps in its model). Any other word: nullopt.
// Without a worker every one of the four answers "train: nothing is training (HINT)".
template <class Worker, class Snapshot>
std::optional<CommandResult> train_control(Worker* worker, const std::string& what,
                                           std::shared_ptr<const Snapshot>& snap, const std::string& hint) {
  if (what != "pause" && what != "resume" && what != "stop" && what != "use") return std::nullopt;
  if (!worker) return CommandResult::bad("train: nothing is training (" + hint + ")");
  if (what == "pause") {
    worker->pause();
    return CommandResult::good("training pauses after the current step");
  }
  if (what == "resume") {
    worker->resume();
    return CommandResult::good("training resumed");
  }
  worker->stop();
  snap = worker->snapshot();
  if (what == "stop") return CommandResult::good("training stopped at step " + std::to_string(snap->step));
  return std::nullopt;  // use: the lab swaps in its model
}

}  // namespace gb
