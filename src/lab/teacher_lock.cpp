// Teacher mode: PIN hashing (libsodium) and the lock's rules (see teacher_lock.hpp).
#include "lab/teacher_lock.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <sodium.h>

#include "core/error.hpp"
#include "lab/session.hpp"
#include "lab/setting_spec.hpp"

namespace gb {

// [SECTION] PINs
namespace {
void sodium_ready() {
  static const int ok = sodium_init();  // thread-safe, idempotent; -1 only when the library cannot work at all
  if (ok < 0) fail("libsodium could not start (sodium_init failed)");
}
}  // namespace

std::string pin_problem(const std::string& pin) {
  if (pin.size() < 4) return "a PIN needs at least 4 characters";
  if (pin.size() > 64) return "a PIN has at most 64 characters";
  for (unsigned char ch : pin)
    if (ch < 0x21 || ch == 0x7f) return "a PIN has no spaces or control characters";
  return "";
}

std::string hash_pin(const std::string& pin) {
  const std::string why = pin_problem(pin);
  if (!why.empty()) fail(why);
  sodium_ready();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    fail("the PIN could not be hashed (out of memory?)");
  return out;
}

bool is_pin_hash(const std::string& hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || hash.rfind("$argon2id$", 0) != 0) return false;
  sodium_ready();
  // 0: a well-formed hash with exactly the limits hash_pin uses (so verifying it costs what hashing did).
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool verify_pin(const std::string& hash, const std::string& pin) {
  if (!is_pin_hash(hash) || !pin_problem(pin).empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

// [SECTION] Rules
namespace {
const std::string kLocked = "locked by the teacher: ";

// "transformer.temperature" → {"transformer", "temperature"}; false without a dot.
bool split_id(const std::string& id, std::string& lab, std::string& name) {
  const size_t dot = id.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == id.size()) return false;
  lab = id.substr(0, dot);
  name = id.substr(dot + 1);
  return true;
}

bool is_lab(Session& s, const std::string& lab) {
  const auto& w = s.workspaces();
  return std::find(w.begin(), w.end(), lab) != w.end();
}

std::string range_text(const SettingSpec& spec, double lo, double hi) {
  return setting_value_text(spec, lo) + "\xe2\x80\x93" + setting_value_text(spec, hi);  // "0.2–1.5"
}

// A limit is only meaningful for numbers: toggles and choices are hidden (fixed) instead.
bool limitable(const SettingSpec& spec) { return spec.type == SettingType::real || spec.type == SettingType::integer; }

// What the setting-changing forms of a lab command set: `set NAME VALUE` or an old spelling `NAME VALUE`.
bool setting_of(const std::vector<SettingSpec>& specs, const Command& c, const SettingSpec*& spec, std::string& value) {
  const std::string& v = c.verb();
  if (v == "set") {
    if (c.argc() < 1) return false;
    spec = find_setting(specs, c.arg(0));
    value = c.argc() >= 2 ? c.arg(1) : "";
    return spec != nullptr;
  }
  spec = find_setting(specs, v);
  value = c.argc() >= 1 ? c.arg(0) : "";
  return spec != nullptr;
}
}  // namespace

const TeacherLimit* TeacherLock::limit(const std::string& lab, const std::string& name) const {
  if (!rules.locked) return nullptr;
  auto it = rules.limits.find(lab + "." + name);
  return it == rules.limits.end() ? nullptr : &it->second;
}

std::string TeacherLock::summary() const {
  if (rules.empty()) return "no teacher rules";
  auto count = [](size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  std::string s = rules.locked ? "locked by the teacher" : "teacher rules set, not locked";
  s += ": hidden " + count(rules.hidden_panels.size(), "panel", "panels") + " and " +
       count(rules.hidden_controls.size(), "control", "controls") + ", " +
       count(rules.limits.size(), "setting", "settings") + " limited";
  if (rules.fixed_model) s += ", model fixed";
  if (!rules.start_lesson.empty()) s += ", starts in " + rules.start_lesson + " step " + std::to_string(rules.start_step + 1);
  if (rules.pin_hash.empty()) s += " (no PIN yet)";
  return s;
}

std::vector<std::string> TeacherLock::controls(Session& session, const std::string& lab) {
  std::vector<std::string> out;
  Lab& l = session.lab(lab);
  const std::vector<SettingSpec> specs = l.setting_table();
  for (const SettingSpec& s : specs) out.push_back(s.name);
  for (const CommandHelp& h : l.commands()) {
    const std::string verb = h.usage.substr(0, h.usage.find(' '));
    if (verb == "set" || verb.empty() || find_setting(specs, verb)) continue;
    if (std::find(out.begin(), out.end(), verb) == out.end()) out.push_back(verb);
  }
  return out;
}

std::string TeacherLock::refuse(Session& session, const std::string& lab, const Command& c) const {
  if (!rules.locked || c.words.empty()) return "";
  if (lab.empty()) {
    const std::string& v = c.verb();
    if ((v == "open" || v == "highlight") && c.argc() >= 1) {
      const std::string id = c.arg(0).substr(0, c.arg(0).find(':'));
      if (rules.hidden_panels.count(id)) return kLocked + std::string("the panel ") + id + " is hidden";
    }
    return "";
  }
  Lab& l = session.lab(lab);
  const std::vector<SettingSpec> specs = l.setting_table();
  const SettingSpec* spec = nullptr;
  std::string value;
  if (setting_of(specs, c, spec, value)) {
    if (rules.hidden_controls.count(lab + "." + spec->name))
      return kLocked + spec->name + " stays at " + setting_value_text(*spec, l.setting_value(spec->name));
    const TeacherLimit* lim = limit(lab, spec->name);
    double x = 0;
    std::string err;
    if (lim && parse_setting(*spec, value, x, err) && (x < lim->lo || x > lim->hi))
      return kLocked + spec->name + " is limited to " + range_text(*spec, lim->lo, lim->hi);
    return "";  // a bad value: the lab's own message says what is accepted
  }
  const std::string& v = c.verb();
  if (rules.hidden_controls.count(lab + "." + v)) return kLocked + "`" + lab + " " + v + "` is switched off";
  if (rules.fixed_model && v == "load") return kLocked + "the model is fixed (no `" + lab + " load`)";
  return "";
}

std::string TeacherLock::keep_limits(Session& session) {
  if (!rules.locked) return "";
  std::string changed;
  for (auto& [id, lim] : rules.limits) {
    std::string lab, name;
    if (!split_id(id, lab, name) || !is_lab(session, lab)) continue;
    Lab& l = session.lab(lab);
    const std::vector<SettingSpec> specs = l.setting_table();
    const SettingSpec* spec = find_setting(specs, name);
    if (!spec) continue;
    const double v = l.setting_value(spec->name);
    if (v >= lim.lo && v <= lim.hi) continue;
    const double to = v < lim.lo ? lim.lo : lim.hi;
    CommandResult r = l.handle(command_from_words({"set", spec->name, setting_value_text(*spec, to)}));
    if (r.ok) changed += (changed.empty() ? "" : ", ") + spec->name + " kept at " + setting_value_text(*spec, to);
  }
  for (auto it = session.view.open_panels.begin(); it != session.view.open_panels.end();)
    it = rules.hidden_panels.count(*it) ? session.view.open_panels.erase(it) : std::next(it);
  if (rules.hidden_panels.count("lessons")) session.view.lessons_open = false;
  return changed.empty() ? "" : kLocked + changed;
}

CommandResult TeacherLock::unlock(const std::string& pin, double now) {
  if (!rules.locked) return CommandResult::good("not locked");
  if (now < retry_at_) {
    char b[96];
    std::snprintf(b, sizeof b, "too many wrong PINs: wait %.0f s, then try again", std::ceil(retry_at_ - now));
    return CommandResult::bad(b);
  }
  if (verify_pin(rules.pin_hash, pin)) {
    rules.locked = false;
    wrong_tries_ = 0;
    retry_at_ = 0;
    return CommandResult::good("unlocked: the teacher's rules are off until the next `teacher lock`");
  }
  ++wrong_tries_;
  std::string msg = "wrong PIN: still locked";
  if (wrong_tries_ >= 3) {
    const double wait = std::min(30.0, std::ldexp(1.0, std::min(wrong_tries_ - 3, 5)));
    retry_at_ = now + wait;
    char b[64];
    std::snprintf(b, sizeof b, " (next try in %.0f s)", wait);
    msg += b;
  }
  return CommandResult::bad(msg);
}

std::vector<CommandHelp> TeacherLock::commands() {
  return {
      {"teacher pin PIN", "teacher mode: set the PIN that unlocks the app (4–64 characters; only a salted hash is kept)"},
      {"teacher hide PANEL|LAB.CONTROL", "teacher mode: hide a panel, a setting (transformer.temperature) or a button's command (transformer.train) while locked"},
      {"teacher show PANEL|LAB.CONTROL", "teacher mode: undo a hide"},
      {"teacher limit LAB.SETTING LO HI|off", "teacher mode: while locked, the setting (and its slider) stays within LO–HI"},
      {"teacher fix-model on|off", "teacher mode: while locked, no other model can be loaded"},
      {"teacher start LESSON.md STEP|none", "teacher mode: the lesson and step (1 = first) the locked app starts in"},
      {"teacher clear", "teacher mode: remove every rule and the PIN (only when unlocked)"},
      {"teacher lock", "teacher mode: lock the app for students (needs a PIN)"},
      {"teacher unlock PIN", "teacher mode: unlock with the teacher's PIN (wrong PINs make the next try wait)"},
      {"teacher status", "teacher mode: what is locked"},
  };
}

CommandResult TeacherLock::handle(Session& session, const Command& c, double now) {
  if (c.words.empty()) return CommandResult::bad("teacher: expected a verb (see Help → Commands)");
  const std::string& v = c.verb();
  if (v == "status") return CommandResult::good(summary());
  if (v == "unlock") {
    if (c.argc() != 1) return CommandResult::bad("teacher unlock: expected the PIN");
    return unlock(c.arg(0), now);
  }
  if (rules.locked) return CommandResult::bad(kLocked + std::string("`teacher ") + v + "` needs the app unlocked first (teacher unlock PIN)");
  if (v == "pin") {
    if (c.argc() != 1) return CommandResult::bad("teacher pin: expected the new PIN");
    const std::string why = pin_problem(c.arg(0));
    if (!why.empty()) return CommandResult::bad("teacher pin: " + why);
    rules.pin_hash = hash_pin(c.arg(0));
    return CommandResult::good("teacher PIN set (kept only as a salted hash)");
  }
  if (v == "hide" || v == "show") {
    if (c.argc() != 1) return CommandResult::bad("teacher " + v + ": expected a panel id or LAB.CONTROL");
    const std::string& id = c.arg(0);
    std::string lab, name;
    const bool panel = session.has_panel(id);
    bool control = false;
    if (!panel && split_id(id, lab, name) && is_lab(session, lab)) {
      auto all = controls(session, lab);
      control = std::find(all.begin(), all.end(), name) != all.end();
    }
    if (!panel && !control)
      return CommandResult::bad("teacher " + v + ": `" + id + "` is neither a panel nor a control (LAB.SETTING or LAB.VERB)");
    auto& set = panel ? rules.hidden_panels : rules.hidden_controls;
    if (v == "hide") set.insert(id);
    else set.erase(id);
    return CommandResult::good(id + (v == "hide" ? " hidden while locked" : " shown"));
  }
  if (v == "limit") {
    std::string lab, name;
    if (c.argc() < 2 || !split_id(c.arg(0), lab, name) || !is_lab(session, lab))
      return CommandResult::bad("teacher limit: expected LAB.SETTING LO HI or LAB.SETTING off");
    const std::vector<SettingSpec> specs = session.lab(lab).setting_table();
    const SettingSpec* spec = find_setting(specs, name);
    if (!spec) return CommandResult::bad("teacher limit: the " + lab + " lab has no setting `" + name + "`");
    const std::string id = lab + "." + spec->name;
    if (c.argc() == 2 && c.arg(1) == "off") {
      rules.limits.erase(id);
      return CommandResult::good(id + ": no limit");
    }
    if (c.argc() != 3) return CommandResult::bad("teacher limit: expected LAB.SETTING LO HI or LAB.SETTING off");
    if (!limitable(*spec)) return CommandResult::bad("teacher limit: " + spec->name + " is not a number (hide it to fix it)");
    double lo = 0, hi = 0;
    std::string err;
    if (!parse_setting(*spec, c.arg(1), lo, err) || !parse_setting(*spec, c.arg(2), hi, err))
      return CommandResult::bad("teacher limit: " + err);
    if (lo > hi) return CommandResult::bad("teacher limit: LO is above HI");
    rules.limits[id] = {lo, hi};
    return CommandResult::good(id + " limited to " + range_text(*spec, lo, hi) + " while locked");
  }
  if (v == "fix-model") {
    if (c.argc() != 1 || (c.arg(0) != "on" && c.arg(0) != "off")) return CommandResult::bad("teacher fix-model: expected on or off");
    rules.fixed_model = c.arg(0) == "on";
    return CommandResult::good(rules.fixed_model ? "the model is fixed while locked" : "the model can be changed");
  }
  if (v == "start") {
    if (c.argc() == 1 && c.arg(0) == "none") {
      rules.start_lesson.clear();
      rules.start_step = 0;
      return CommandResult::good("no start lesson");
    }
    double step = 0;
    std::string err;
    if (c.argc() != 2 || c.arg(0).empty() || c.arg(0).find('/') != std::string::npos || c.arg(0)[0] == '.' ||
        !parse_number(c.arg(1), 1, 100000, step, err, "step") || step != std::floor(step))
      return CommandResult::bad("teacher start: expected a lesson's file name and a step, e.g. teacher start 04-attention.md 2");
    rules.start_lesson = c.arg(0);
    rules.start_step = int(step) - 1;
    return CommandResult::good("the locked app starts in " + rules.start_lesson + " step " + c.arg(1));
  }
  if (v == "clear") {
    rules = TeacherRules{};
    wrong_tries_ = 0;
    retry_at_ = 0;
    return CommandResult::good("teacher rules and PIN removed");
  }
  if (v == "lock") {
    if (rules.pin_hash.empty()) return CommandResult::bad("teacher lock: set a PIN first (teacher pin PIN)");
    rules.locked = true;
    keep_limits(session);
    return CommandResult::good("locked for students: " + summary());
  }
  return CommandResult::bad("teacher: unknown command `" + v + "` (see Help → Commands)");
}

std::string TeacherLock::check(Session& session, const TeacherRules& r, const std::string& where) {
  if (r.locked && r.pin_hash.empty())
    return where + ".pin_hash is missing: a locked session needs the teacher's PIN hash (a hand-edited file?)";
  if (!r.pin_hash.empty() && !is_pin_hash(r.pin_hash))
    return where + ".pin_hash is not a PIN hash this Glassbox writes (Argon2id, interactive limits)";
  for (auto& p : r.hidden_panels)
    if (!session.has_panel(p)) return where + ".hidden_panels names \"" + p + "\", which is not a panel";
  for (auto& id : r.hidden_controls) {
    std::string lab, name;
    if (!split_id(id, lab, name) || !is_lab(session, lab))
      return where + ".hidden_controls names \"" + id + "\": expected LAB.SETTING or LAB.VERB";
    auto all = controls(session, lab);
    if (std::find(all.begin(), all.end(), name) == all.end())
      return where + ".hidden_controls names \"" + id + "\", which the " + lab + " lab does not have";
  }
  for (auto& [id, lim] : r.limits) {
    const std::string f = where + ".limits." + id;
    std::string lab, name;
    if (!split_id(id, lab, name) || !is_lab(session, lab)) return f + ": expected LAB.SETTING";
    const std::vector<SettingSpec> specs = session.lab(lab).setting_table();
    const SettingSpec* spec = find_setting(specs, name);
    if (!spec || spec->name != name) return f + ": the " + lab + " lab has no setting called \"" + name + "\"";
    if (!limitable(*spec)) return f + ": " + name + " is not a number, so it cannot be limited";
    if (!std::isfinite(lim.lo) || !std::isfinite(lim.hi) || lim.lo > lim.hi)
      return f + ": expected LO ≤ HI";
    if (!check_setting(*spec, lim.lo).empty() || !check_setting(*spec, lim.hi).empty())
      return f + ": " + range_text(*spec, lim.lo, lim.hi) + " is outside " + name + "'s range " + setting_range_text(*spec);
  }
  return "";
}

}  // namespace gb
