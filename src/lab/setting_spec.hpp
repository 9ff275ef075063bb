// Settings declared once. Each lab lists its settings in ONE table: name, type, range or choices,
// default, unit, one-line help, old spellings, whether `generate`/`sample`/`train` take it as a
// --flag, and the field it sets. From that table come `LAB set NAME VALUE` (the same verb in every
// lab), Help → Commands, `glassbox help commands --markdown`, the CLI flags, the sliders' ranges and
// tooltips, and the range checks. An out-of-range value gets one message everywhere
// ("temperature 9: out of range 0.05–5"), never a silent clamp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "lab/command.hpp"

namespace gb {

enum class SettingType { real, integer, toggle, choice };

struct SettingSpec {
  std::string name;                  // "temperature": `LAB set temperature 0.7`, CLI flag --temperature
  SettingType type = SettingType::real;
  double lo = 0, hi = 1;             // inclusive range (real, integer); toggle 0–1; choice 0–choices−1
  std::vector<std::string> choices;  // choice: the accepted words; the value is the word's index
  double def = 0;                    // the default (toggle: 0/1, choice: index)
  std::string unit;                  // "tokens/s" ("" when none)
  std::string help;                  // one line, in a student's words
  std::vector<std::string> aliases;  // old spellings that keep working: `LAB ALIAS VALUE`
  std::string flag;                  // CLI subcommand taking --NAME ("generate", "sample diffusion", …; "" none)
  bool log_scale = false;            // sliders: logarithmic
  double slider_hi = 0;              // > 0: sliders stop here (top-k: 200 of 100000); the command takes up to hi
  std::string value_word() const;    // "T", "K", "on|off", "ddpm|ddim" (for usage lines)
};

// "0.05–5", "on|off", "ddpm|ddim"
std::string setting_range_text(const SettingSpec& s);
// A value as a user types it: "0.7", "on", "ddim".
std::string setting_value_text(const SettingSpec& s, double v);
// Parses `word` for s: a whole-word number (a whole number for integers) within the range, on|off, or one of
// the choices. On failure returns false and writes the one message every entry point uses:
// "temperature 9: out of range 0.05–5", "top-k 2.5: not a whole number (0–100000)", "sampler x: expected ddpm|ddim".
bool parse_setting(const SettingSpec& s, const std::string& word, double& out, std::string& error);
// The same check for a value already numeric (CLI defaults, sliders, samplers); "" when in range.
std::string check_setting(const SettingSpec& s, double v);
// Throws gb::Error with check_setting's message when v is outside s.
void require_setting(const SettingSpec& s, double v);
// The spec named `name` (or one of its aliases) in `specs`; nullptr when none.
const SettingSpec* find_setting(const std::vector<SettingSpec>& specs, const std::string& name);
// Help → Commands lines for the table: {"set temperature T", "sampling temperature: 0.05–5, default 1"}.
std::vector<CommandHelp> setting_commands(const std::vector<SettingSpec>& specs);
// The summary line of one setting (help, range, unit, default).
std::string setting_summary(const SettingSpec& s);

// A setting bound to the field it sets in an object of type T (a lab or its settings struct).
template <class T>
struct Setting {
  SettingSpec spec;
  std::function<double(const T&)> get;
  std::function<void(T&, double)> set;  // called only with a value that passed parse_setting
};

template <class T>
using SettingsTable = std::vector<Setting<T>>;

template <class T>
std::vector<SettingSpec> setting_specs(const SettingsTable<T>& table) {
  std::vector<SettingSpec> v;
  for (auto& s : table) v.push_back(s.spec);
  return v;
}

template <class T>
const Setting<T>* find_setting(const SettingsTable<T>& table, const std::string& name) {
  for (auto& s : table) {
    if (s.spec.name == name) return &s;
    for (auto& a : s.spec.aliases)
      if (a == name) return &s;
  }
  return nullptr;
}

// `set NAME VALUE` against a table: parses, checks and sets; the message names the setting and its range.
// On success `changed` is the setting that changed (for the lab's own follow-up, e.g. a restart).
template <class T>
CommandResult apply_setting(const SettingsTable<T>& table, T& target, const std::string& name, const std::string& word,
                            const Setting<T>** changed = nullptr) {
  const Setting<T>* s = find_setting(table, name);
  if (!s) {
    std::string names;
    for (auto& e : table) names += (names.empty() ? "" : ", ") + e.spec.name;
    return CommandResult::bad("set: unknown setting `" + name + "` (expected " + names + ")");
  }
  double v = 0;
  std::string err;
  if (!parse_setting(s->spec, word, v, err)) return CommandResult::bad(err);
  s->set(target, v);
  if (changed) *changed = s;
  return CommandResult::good(s->spec.name + " " + setting_value_text(s->spec, v));
}

}  // namespace gb
