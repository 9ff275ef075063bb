// The lessons panel's runner, shared with `glassbox screenshot --lesson ID --step K` (which opens a
// lesson at a step before the first frame). One runner per session, made on first use.
#pragma once
#include <string>

#include "lab/session.hpp"
#include "lessons/runner.hpp"

namespace gb::app {

// The runner that drives `session` for the lessons panel. `persist`: keep progress in
// config_dir()/lessons-progress.json (the app); off for screenshots. Only the first call decides.
LessonRunner& lesson_runner(Session& session, bool persist = true);

}  // namespace gb::app
