// CLI flags from the labs' settings tables (lab/setting_spec.hpp): `--NAME VALUE` for every setting whose
// table row names the subcommand, with the table's help, range, default and error message.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "lab/lab_settings.hpp"
#include "lab/setting_spec.hpp"

namespace gb::cli {

// FlagSpecs for `specs` (on|off settings become switches: --greedy).
inline std::vector<FlagSpec> setting_flags(const std::vector<SettingSpec>& specs) {
  std::vector<FlagSpec> v;
  for (const SettingSpec& s : specs) {
    const bool toggle = s.type == SettingType::toggle;
    // aligned with the hand-written flags: the help starts 21 columns after "--"
    std::string word = toggle ? "" : s.value_word();
    const size_t used = s.name.size() + 2 + (toggle ? 0 : 1) + word.size();
    word.append(used < 20 ? 21 - used : 1, ' ');
    v.push_back({"--" + s.name, !toggle, word + setting_summary(s)});
  }
  return v;
}

// A subcommand's hand-written flags with its table rows' flags (cli_setting_specs) inserted before --help.
inline std::vector<FlagSpec> with_setting_flags(std::vector<FlagSpec> own, const std::string& subcommand) {
  auto at = own.begin();
  while (at != own.end() && at->name != "--help") ++at;
  const std::vector<FlagSpec> rows = setting_flags(cli_setting_specs(subcommand));
  own.insert(at, rows.begin(), rows.end());
  return own;
}

// Sets `target`'s fields from the flags given for `subcommand`; a bad value throws UsageError with the
// table's message ("temperature 9: out of range 0.05–5"), exactly as `LAB set` answers.
template <class T>
void apply_setting_flags(const Args& a, const SettingsTable<T>& table, T& target, const std::string& subcommand) {
  for (const Setting<T>& s : table) {
    if (s.spec.flag != subcommand || !a.has("--" + s.spec.name)) continue;
    const std::string word = s.spec.type == SettingType::toggle ? "on" : a.str("--" + s.spec.name);
    double v = 0;
    std::string err;
    if (!parse_setting(s.spec, word, v, err)) throw UsageError{err};
    s.set(target, v);
  }
}

// Checks every flag of `subcommand` given in `a` against its row (the labs' settings and the subcommand's own
// rows, lab/command_flags.cpp) before any work starts; throws UsageError with the row's message.
inline void check_setting_flags(const Args& a, const std::string& subcommand) {
  for (const SettingSpec& s : cli_setting_specs(subcommand)) {
    if (s.type == SettingType::toggle || !a.has("--" + s.name)) continue;
    double v = 0;
    std::string err;
    if (!parse_setting(s, a.str("--" + s.name), v, err)) throw UsageError{err};
  }
}

// The value of --NAME of `subcommand` (a row of cli_setting_specs): `fallback` (else the row's default) when
// the flag is absent, else the value given, checked against the row ("steps 0: out of range 1–100000000").
inline double flag_value(const Args& a, const std::string& subcommand, const std::string& name,
                         std::optional<double> fallback = std::nullopt) {
  for (const SettingSpec& s : cli_setting_specs(subcommand)) {
    if (s.name != name) continue;
    if (!a.has("--" + name)) return fallback ? *fallback : s.def;
    double v = 0;
    std::string err;
    if (!parse_setting(s, a.str("--" + name), v, err)) throw UsageError{err};
    return v;
  }
  throw UsageError{"`" + subcommand + "` has no flag --" + name};
}

}  // namespace gb::cli
