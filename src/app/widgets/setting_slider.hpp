// Sliders for lab settings: the range, log scale and tooltip come from the lab's settings table
// (lab/lab_settings.hpp), so a slider cannot offer a value the command refuses.
#pragma once
#include <cmath>
#include <string>

namespace gb {
class TeacherLock;
}

namespace gb::ui {

// Teacher mode (lab/teacher_lock.hpp): while it is locked, sliders show only the teacher's sub-range, and a hidden
// setting draws "LABEL: fixed by the teacher" instead of a slider. The shell sets it once (nullptr: no lock).
void set_slider_teacher_lock(const TeacherLock* lock);

// The slider's range: the setting's range (its slider_hi when set), narrowed to [lo, hi] when given (e.g. the model's
// T), never widened. Returns true when the user moved it (then run `LAB set NAME VALUE`). tooltip: the table's help.
// The label is shown as tr(label) (a literal label is a msgid like a tr() literal; passing tr("…") works too), the
// tooltip with the table's help and unit translated (assets/i18n/<lang>/settings.po).
bool setting_slider(const char* lab, const char* name, const char* label, float& v, const char* fmt = "%.3g",
                    bool tooltip = true, double lo = NAN, double hi = NAN);
bool setting_slider(const char* lab, const char* name, const char* label, int& v, const char* fmt = "%d",
                    bool tooltip = true, double lo = NAN, double hi = NAN);
// The slider's tooltip in the current language: "help: range unit, default D\ncommand: LAB set NAME V".
std::string translated_setting_tooltip(const char* lab, const char* name);
// The range setting_slider uses (tests and slider_mark).
void setting_slider_range(const char* lab, const char* name, double& lo, double& hi);

}  // namespace gb::ui
