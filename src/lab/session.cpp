// Session: routes commands to the global view state or to a lab.
#include "lab/session.hpp"

#include <chrono>

#include "core/error.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/teach_lab.hpp"
#include "lab/vae_lab.hpp"

namespace gb {

namespace {
// The labs, in menu order: the one list. A new lab is one line here; every message that names the workspaces
// (Session::workspace_list) and the lessons' `workspace:` check read it.
struct LabEntry {
  const char* name;
  std::unique_ptr<Lab> (*make)();
};
const std::vector<LabEntry>& lab_entries() {
  static const std::vector<LabEntry> v = {
      {"transformer", [] { return std::unique_ptr<Lab>(std::make_unique<TransformerLab>()); }},
      {"diffusion", [] { return std::unique_ptr<Lab>(std::make_unique<DiffusionLab>()); }},
      {"gan", [] { return std::unique_ptr<Lab>(std::make_unique<GanLab>()); }},
      {"vae", [] { return std::unique_ptr<Lab>(std::make_unique<VaeLab>()); }},
      {"teach", [] { return std::unique_ptr<Lab>(std::make_unique<TeachLab>()); }},
  };
  return v;
}
}  // namespace

const std::vector<std::string>& Session::lab_names() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> n;
    for (const LabEntry& e : lab_entries()) n.push_back(e.name);
    return n;
  }();
  return v;
}

std::string Session::workspace_list(const std::string& last_joiner) {
  const std::vector<std::string>& n = lab_names();
  std::string s;
  for (size_t i = 0; i < n.size(); ++i) s += (i == 0 ? "" : i + 1 == n.size() ? " " + last_joiner + " " : ", ") + n[i];
  return s;
}

Session::Session() {
  for (const LabEntry& e : lab_entries()) {
    std::unique_ptr<Lab> l = e.make();
    if (l->name() != e.name) fail(std::string("lab list: `") + e.name + "` makes a lab named `" + l->name() + "`");
    order_.push_back(l->name());
    labs_[l->name()] = std::move(l);
  }
}
Session::~Session() = default;

Lab& Session::lab(const std::string& name) {
  auto it = labs_.find(name);
  if (it == labs_.end()) fail("unknown workspace `" + name + "` (expected " + workspace_list() + ")");
  return *it->second;
}

std::vector<Lab*> Session::labs() {
  std::vector<Lab*> v;
  for (auto& n : order_) v.push_back(labs_[n].get());
  return v;
}

std::vector<PanelInfo> Session::all_panels() const {
  std::vector<PanelInfo> v{{"lessons", "Lessons"}};
  for (auto& n : order_)
    for (auto& p : labs_.at(n)->panels()) v.push_back(p);
  return v;
}

std::vector<std::string> Session::default_panels(const std::string& workspace) const {
  auto it = labs_.find(workspace);
  return it == labs_.end() ? std::vector<std::string>{} : it->second->default_panels();
}

bool Session::has_panel(const std::string& id) const {
  for (auto& p : all_panels())
    if (p.id == id) return true;
  return false;
}

std::vector<CommandHelp> Session::commands() const {
  std::vector<CommandHelp> v = {
      {"workspace NAME", "switch to the " + workspace_list() + " workspace"},
      {"open PANEL", "open a panel by id, e.g. open transformer.attention"},
      {"close PANEL", "close a panel"},
      {"highlight PANEL [SECONDS]", "draw the eye to a panel (default 4 s)"},
      {"LAB VERB …", "send a command to a lab that is not the current one, e.g. gan step"},
      {"session save FILE", "the app: write every workspace's settings and state, the open panels and the lesson step to FILE (.glassbox)"},
      {"session open FILE", "the app: open a session file; a damaged one is refused with the reason and nothing changes"},
  };
  for (auto& h : TeacherLock::commands()) v.push_back(h);
  for (auto& n : order_)
    for (auto& h : labs_.at(n)->commands()) v.push_back({n + " " + h.usage, h.summary});
  return v;
}

std::string Session::commands_markdown() const {
  auto cell = [](const std::string& t) {
    std::string o;
    for (char ch : t) o += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return o;
  };
  std::string md = "| command | what it does |\n| --- | --- |\n";
  for (auto& h : commands()) md += "| `" + cell(h.usage) + "` | " + cell(h.summary) + " |\n";
  return md;
}

CommandResult Session::run(const std::string& line) {
  try {
    return run(parse_command(line));
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  } catch (const std::exception& e) {  // never let a command's input end the app (bad_alloc, …)
    return CommandResult::bad(std::string("could not run `") + line.substr(0, 80) + "`: " + e.what());
  }
}

CommandResult Session::run_lab(const std::string& lab, const Command& c) {
  const std::string why = teacher.refuse(*this, lab, c);
  if (!why.empty()) return CommandResult::bad(why);
  CommandResult r = labs_[lab]->handle(c);
  if (r.ok && teacher.locked()) {  // a preset or a reset may have left a limited setting outside its range
    const std::string kept = teacher.keep_limits(*this);
    if (!kept.empty()) r.message += (r.message.empty() ? "" : " · ") + kept;
  }
  return r;
}

CommandResult Session::run(const Command& c) {
  const std::string& v = c.verb();
  if (v == "teacher") {
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    return teacher.handle(*this, c.argc() ? c.shifted() : Command{}, now);
  }
  if (labs_.count(v)) {
    if (c.argc() == 0) {
      view.workspace = v;
      return CommandResult::good("workspace " + v);
    }
    return run_lab(v, c.shifted());  // parsed once: the lab gets the words, not rebuilt text
  }
  if (v == "workspace") {
    if (c.argc() != 1 || !labs_.count(c.arg(0)))
      return CommandResult::bad("workspace: expected " + workspace_list());
    view.workspace = c.arg(0);
    return CommandResult::good();
  }
  if (v == "session")  // the shell runs it (it owns the lesson runner): lessons/session_io.hpp
    return CommandResult::bad("session save|open: only in the app (File → Save session / Open session)");
  if (const std::string why = teacher.refuse(*this, "", c); !why.empty()) return CommandResult::bad(why);
  if (v == "open" || v == "close") {
    if (c.argc() != 1) return CommandResult::bad(v + ": expected one panel id, e.g. transformer.attention");
    const std::string& id = c.arg(0);
    if (!has_panel(id)) return CommandResult::bad(v + ": no panel named `" + id + "`");
    if (id == "lessons") {
      view.lessons_open = v == "open";
      return CommandResult::good();
    }
    if (v == "open") {
      view.open_panels.insert(id);
      auto dot = id.find('.');
      if (dot != std::string::npos) view.workspace = id.substr(0, dot);
    } else {
      view.open_panels.erase(id);
    }
    return CommandResult::good();
  }
  if (v == "highlight") {
    if (c.argc() < 1 || c.argc() > 2) return CommandResult::bad("highlight: expected PANEL [SECONDS]");
    std::string id = c.arg(0).substr(0, c.arg(0).find(':'));
    if (!has_panel(id)) return CommandResult::bad("highlight: no panel named `" + id + "`");
    double secs = 4;
    std::string err;
    if (c.argc() == 2 && !parse_number(c.arg(1), 0, 600, secs, err, "highlight seconds"))
      return CommandResult::bad(err);
    view.highlight = c.arg(0);
    view.highlight_until = clock + secs;
    return CommandResult::good();
  }
  return run_lab(view.workspace, c);
}

std::string Session::refusal(const std::string& line) {
  if (!teacher.locked()) return "";
  try {
    const Command c = parse_command(line);
    const std::string& v = c.verb();
    if (v == "teacher" || v == "session") return "";
    if (labs_.count(v)) return c.argc() == 0 ? "" : teacher.refuse(*this, v, c.shifted());
    if (v == "workspace" || v == "open" || v == "close" || v == "highlight") return teacher.refuse(*this, "", c);
    return teacher.refuse(*this, view.workspace, c);
  } catch (const std::exception&) {
    return "";  // a line that does not parse: run() says what is wrong
  }
}

void Session::reset_to_defaults(const std::string& workspace) {
  for (auto& n : order_) labs_[n]->reset_to_defaults();
  bool lessons = view.lessons_open;
  view = ViewState{};
  view.lessons_open = lessons;
  if (labs_.count(workspace)) view.workspace = workspace;
  teacher.keep_limits(*this);  // a default outside the teacher's range goes to the nearest end
}

void Session::update(double now_seconds) {
  clock = now_seconds;
  if (!view.highlight.empty() && clock > view.highlight_until) view.highlight.clear();
  for (auto& n : order_) labs_[n]->update(now_seconds);
}

double Session::seconds_until_update() const {
  double wait = Lab::kNever;
  // A highlight pulses (about 1 Hz) until it fades: 30 frames a second are enough for a smooth pulse.
  if (!view.highlight.empty()) wait = std::min(wait, 1.0 / 30.0);
  for (auto& [name, lab] : labs_) wait = std::min(wait, lab->seconds_until_update(clock));
  return wait;
}

}  // namespace gb
