// Sliders whose range and tooltip are read from the labs' settings tables.
#include "app/widgets/setting_slider.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <imgui.h>

#include "core/i18n.hpp"
#include "lab/lab_settings.hpp"
#include "lab/teacher_lock.hpp"

namespace gb::ui {

namespace {
const TeacherLock* g_lock = nullptr;

void range(const SettingSpec& s, double& lo, double& hi, double want_lo, double want_hi) {
  lo = s.lo;
  hi = s.slider_hi > 0 ? std::min(s.hi, s.slider_hi) : s.hi;
  if (!std::isnan(want_lo)) lo = std::clamp(want_lo, s.lo, s.hi);
  if (!std::isnan(want_hi)) hi = std::clamp(want_hi, lo, hi);
}
// The teacher's sub-range narrows the slider (the command refuses anything outside it anyway).
void teacher_range(const char* lab, const SettingSpec& s, double& lo, double& hi) {
  if (!g_lock) return;
  if (const TeacherLimit* l = g_lock->limit(lab, s.name)) {
    lo = std::clamp(l->lo, lo, hi);
    hi = std::clamp(l->hi, lo, hi);
  }
}
ImGuiSliderFlags flags(const SettingSpec& s) {
  return ImGuiSliderFlags_AlwaysClamp | (s.log_scale ? ImGuiSliderFlags_Logarithmic : 0);
}
void tip(const char* lab, const char* name, bool on) {
  if (on && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", translated_setting_tooltip(lab, name).c_str());
}
}  // namespace

void set_slider_teacher_lock(const TeacherLock* lock) { g_lock = lock; }
std::string translated_setting_tooltip(const char* lab, const char* name) {
  const SettingSpec& s = lab_setting(lab, name);
  std::string range = setting_range_text(s);
  if (!s.unit.empty()) range += std::string(" ") + tr(s.unit.c_str());
  const std::string command = std::string(lab) + " set " + s.name + " " + s.value_word();
  return format_text(tr("%s: %s, default %s\ncommand: %s"), tr(s.help.c_str()), range.c_str(),
                     setting_value_text(s, s.def).c_str(), command.c_str());
}

void setting_slider_range(const char* lab, const char* name, double& lo, double& hi) {
  const SettingSpec& s = lab_setting(lab, name);
  range(s, lo, hi, NAN, NAN);
  teacher_range(lab, s, lo, hi);
}

namespace {
template <class V>
bool slider(const char* lab, const char* name, const char* label, V& v, const char* fmt, bool tooltip, double lo, double hi) {
  const SettingSpec& s = lab_setting(lab, name);
  if (g_lock && g_lock->hides_control(lab, s.name)) {
    const std::string_view all(label);
    const std::string shown(all.substr(0, all.find("##")));  // the label without its ImGui id
    ImGui::TextDisabled(tr("%s: fixed by the teacher"), shown.c_str());
    return false;
  }
  double a = 0, b = 0;
  range(s, a, b, lo, hi);
  teacher_range(lab, s, a, b);
  bool moved = false;
  if constexpr (std::is_same_v<V, float>)
    moved = ImGui::SliderFloat(tr(label), &v, float(a), float(b), fmt, flags(s));
  else
    moved = ImGui::SliderInt(tr(label), &v, int(a), int(b), fmt, flags(s));
  tip(lab, name, tooltip);
  return moved;
}
}  // namespace

bool setting_slider(const char* lab, const char* name, const char* label, float& v, const char* fmt, bool tooltip,
                    double lo, double hi) {
  return slider(lab, name, label, v, fmt, tooltip, lo, hi);
}

bool setting_slider(const char* lab, const char* name, const char* label, int& v, const char* fmt, bool tooltip,
                    double lo, double hi) {
  return slider(lab, name, label, v, fmt, tooltip, lo, hi);
}

}  // namespace gb::ui
