// Teacher → Set up teacher mode… / Unlock… (see teacher_dialog.hpp).
#include "app/teacher_dialog.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <imgui.h>

#include "core/i18n.hpp"
#include "lab/session.hpp"
#include "lab/setting_spec.hpp"
#include "lab/teacher_lock.hpp"
#include "lessons/lesson.hpp"

namespace gb::app {

namespace {
using Run = std::function<CommandResult(const std::string&)>;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}

void wipe(char* buf, size_t n) {  // the PIN does not stay in memory longer than needed
  volatile char* p = buf;
  for (size_t i = 0; i < n; ++i) p[i] = 0;
}

void hover(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}
}  // namespace

void TeacherDialog::draw(Session& session, const Run& run) {
  const char* title = tr("Teacher mode###teacher");
  if (want_open_) {
    lessons_.clear();
    for (const std::string& f : lesson_files(lessons_dir())) lessons_.push_back(std::filesystem::path(f).filename().string());
    std::sort(lessons_.begin(), lessons_.end());
    start_step_ = session.teacher.rules.start_step + 1;
    feedback_.clear();
    wipe(pin_, sizeof pin_);
  }
  if (want_open_) {
    ImGui::OpenPopup(title);
    want_open_ = false;
  }
  // Larger than a file dialog (a tab per workspace with its panels, settings and buttons); centred, opaque.
  const float em = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const bool unlock = session.teacher.locked();
  ImGui::SetNextWindowSize(ImVec2(std::min((unlock ? 40 : 62) * em, vp->Size.x * 0.92f),
                                  std::min((unlock ? 10 : 44) * em, vp->Size.y * 0.88f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_PopupBg);
  bg.w = 1.0f;  // opaque: the panels behind must not show through the lists
  ImGui::PushStyleColor(ImGuiCol_PopupBg, bg);
  const bool open = ImGui::BeginPopupModal(title, nullptr);
  ImGui::PopStyleColor();
  if (!open) return;
  if (session.teacher.locked())
    draw_unlock(session, run);
  else
    draw_setup(session, run);
  ImGui::EndPopup();
}

void TeacherDialog::draw_unlock(Session& session, const Run& run) {
  ImGui::TextWrapped("%s", tr("This app is locked by the teacher. Students can use everything that is shown; the teacher's PIN unlocks the rest."));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", session.teacher.summary().c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
  const float em = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(12 * em);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  bool enter = ImGui::InputText(tr("PIN##unlock"), pin_, sizeof pin_,
                                ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button(tr("Unlock")) || enter) && pin_[0]) {
    CommandResult r = run("teacher unlock " + quote_word(pin_));
    wipe(pin_, sizeof pin_);
    feedback_ = r.message;
    feedback_ok_ = r.ok;
    if (r.ok) ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel##unlock")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (!feedback_.empty())
    ImGui::TextColored(feedback_ok_ ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : ImVec4(1.0f, 0.4f, 0.35f, 1), "%s",
                       feedback_.c_str());
}

void TeacherDialog::draw_setup(Session& session, const Run& run) {
  const float em = ImGui::GetFontSize();
  const TeacherRules& rules = session.teacher.rules;
  auto issue = [&](const std::string& line) {
    CommandResult r = run(line);
    feedback_ = r.message;
    feedback_ok_ = r.ok;
    return r.ok;
  };
  ImGui::TextWrapped("%s", tr("Prepare the app for a class: choose what students may not see or change, then lock it. Only your PIN unlocks it, and the lock is saved with the session (File → Save session)."));

  // [SECTION] PIN
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(rules.pin_hash.empty() ? tr("No PIN yet.") : tr("A PIN is set (kept only as a salted hash)."));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em);
  bool enter = ImGui::InputTextWithHint("##newpin", tr("new PIN"), pin_, sizeof pin_,
                                        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue);
  hover(tr("4 to 64 characters, no spaces. Students need it to unlock the app."));
  ImGui::SameLine();
  if ((ImGui::Button(tr("Set PIN")) || enter) && pin_[0]) {
    issue("teacher pin " + quote_word(pin_));
    wipe(pin_, sizeof pin_);
  }

  // [SECTION] Model and start lesson
  bool fixed = rules.fixed_model;
  if (ImGui::Checkbox(tr("Fixed model (students cannot load another one)"), &fixed))
    issue(std::string("teacher fix-model ") + (fixed ? "on" : "off"));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("Start lesson"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(16 * em);
  const std::string current = rules.start_lesson.empty() ? std::string(tr("none")) : rules.start_lesson;
  if (ImGui::BeginCombo("##startlesson", current.c_str())) {
    if (ImGui::Selectable(tr("none"), rules.start_lesson.empty())) issue("teacher start none");
    for (const std::string& f : lessons_)
      if (ImGui::Selectable(f.c_str(), f == rules.start_lesson)) issue("teacher start " + quote_word(f) + " " + std::to_string(start_step_));
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt(tr("step##startstep"), &start_step_)) {
    start_step_ = std::clamp(start_step_, 1, 999);
    if (!rules.start_lesson.empty()) issue("teacher start " + quote_word(rules.start_lesson) + " " + std::to_string(start_step_));
  }

  // [SECTION] Per workspace: panels, settings, buttons
  // The footer: two wrapped lines of summary or feedback, then the buttons.
  const float footer = ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y;
  if (ImGui::BeginTabBar("##teacher_labs")) {
    for (Lab* lab : session.labs()) {
      if (!ImGui::BeginTabItem(lab->name().c_str())) continue;
      ImGui::BeginChild("##teacher_lab", ImVec2(0, -footer), false);
      const std::string ln = lab->name();
      ImGui::TextDisabled("%s", tr("Panels to hide"));
      if (ImGui::BeginTable("##panels", 2, ImGuiTableFlags_SizingStretchSame)) {
        for (const PanelInfo& p : lab->panels()) {
          ImGui::TableNextColumn();
          bool hidden = rules.hidden_panels.count(p.id) > 0;
          if (ImGui::Checkbox((p.title + "##hide_" + p.id).c_str(), &hidden))
            issue(std::string(hidden ? "teacher hide " : "teacher show ") + p.id);
          hover(p.id.c_str());
        }
        ImGui::EndTable();
      }
      const std::vector<SettingSpec> specs = lab->setting_table();
      if (!specs.empty()) {
        ImGui::Spacing();
        ImGui::TextDisabled("%s", tr("Settings: hide the slider (the value stays fixed) or limit it to a range"));
        const ImGuiTableFlags tf = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
        if (ImGui::BeginTable("##settings", 5, tf)) {
          ImGui::TableSetupColumn(tr("setting"));
          ImGui::TableSetupColumn(tr("hide"));
          ImGui::TableSetupColumn(tr("limit"));
          ImGui::TableSetupColumn(tr("from"));
          ImGui::TableSetupColumn(tr("to"));
          ImGui::TableHeadersRow();
          for (const SettingSpec& s : specs) {
            const std::string id = ln + "." + s.name;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(s.name.c_str());
            hover(s.help.c_str());
            ImGui::TableNextColumn();
            bool hidden = rules.hidden_controls.count(id) > 0;
            if (ImGui::Checkbox(("##hide_" + id).c_str(), &hidden)) issue(std::string(hidden ? "teacher hide " : "teacher show ") + id);
            hover(tr("Hidden: students cannot change this setting."));
            ImGui::TableNextColumn();
            const bool number = s.type == SettingType::real || s.type == SettingType::integer;
            if (!number) {
              ImGui::TextDisabled("%s", setting_range_text(s).c_str());
              continue;
            }
            auto lim = rules.limits.find(id);
            bool limited = lim != rules.limits.end();
            auto& edit = limit_edit_[id];
            if (limited) edit = {lim->second.lo, lim->second.hi};
            else if (edit.first == edit.second) edit = {s.lo, s.slider_hi > 0 ? std::min(s.hi, s.slider_hi) : s.hi};
            if (ImGui::Checkbox(("##limit_" + id).c_str(), &limited))
              issue(limited ? "teacher limit " + id + " " + num(edit.first) + " " + num(edit.second) : "teacher limit " + id + " off");
            hover(tr("Limited: students choose only from this range (the slider shows just this range)."));
            ImGui::BeginDisabled(!limited);
            ImGui::TableNextColumn();
            ImGui::SetNextItemWidth(6 * em);
            ImGui::InputDouble(("##lo_" + id).c_str(), &edit.first, 0, 0, "%.4g");
            if (ImGui::IsItemDeactivatedAfterEdit()) issue("teacher limit " + id + " " + num(edit.first) + " " + num(edit.second));
            ImGui::TableNextColumn();
            ImGui::SetNextItemWidth(6 * em);
            ImGui::InputDouble(("##hi_" + id).c_str(), &edit.second, 0, 0, "%.4g");
            if (ImGui::IsItemDeactivatedAfterEdit()) issue("teacher limit " + id + " " + num(edit.first) + " " + num(edit.second));
            ImGui::EndDisabled();
          }
          ImGui::EndTable();
        }
      }
      ImGui::Spacing();
      ImGui::TextDisabled("%s", tr("Buttons and commands to switch off"));
      for (const std::string& c : TeacherLock::controls(session, ln)) {
        if (find_setting(specs, c)) continue;
        const std::string id = ln + "." + c;
        bool hidden = rules.hidden_controls.count(id) > 0;
        if (ImGui::Checkbox((ln + " " + c + "##off_" + id).c_str(), &hidden))
          issue(std::string(hidden ? "teacher hide " : "teacher show ") + id);
      }
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }

  // [SECTION] Footer
  {
    const std::string& line = feedback_.empty() ? session.teacher.summary() : feedback_;
    const bool bad = !feedback_.empty() && !feedback_ok_;
    ImGui::PushStyleColor(ImGuiCol_Text, bad ? ImVec4(1.0f, 0.4f, 0.35f, 1) : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::BeginChild("##teacher_summary", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2), false);
    ImGui::TextWrapped("%s", line.c_str());
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  ImGui::BeginDisabled(rules.pin_hash.empty());
  if (ImGui::Button(tr("Lock for students")) && issue("teacher lock")) ImGui::CloseCurrentPopup();
  ImGui::EndDisabled();
  if (rules.pin_hash.empty()) hover(tr("Set a PIN first."));
  ImGui::SameLine();
  if (ImGui::Button(tr("Remove all rules"))) issue("teacher clear");
  ImGui::SameLine();
  if (ImGui::Button(tr("Close##teacher")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
}

}  // namespace gb::app
