// Saving and opening a whole session (`session save FILE`, `session open FILE`, File → Save/Open session,
// `glassbox --session FILE`): the labs and the view through lab/session_file.hpp, plus the lesson position,
// which the lesson runner owns. Opening checks the whole file — container, manifest, every lab's settings
// and state, the lesson — before anything changes; on any problem the running session is untouched and the
// message names the file and the field. No ImGui here.
#pragma once
#include <string>

#include "lab/command.hpp"

namespace gb {

class Session;
class LessonRunner;

CommandResult save_session_to(Session& session, const LessonRunner* lessons, const std::string& path);
CommandResult open_session_from(Session& session, LessonRunner* lessons, const std::string& path);
// `teacher …` (lab/teacher_lock.hpp) with the lesson runner: `teacher lock` also opens the teacher's start lesson at its
// step (a session file that opens locked does the same); `teacher start LESSON.md STEP` checks the lesson exists.
CommandResult run_teacher_command(Session& session, LessonRunner* lessons, const std::string& line);

}  // namespace gb
