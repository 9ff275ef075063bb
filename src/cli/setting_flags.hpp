// CLI flags from the labs' settings tables (lab/setting_spec.hpp): `--NAME VALUE` for every setting whose
// table row names the subcommand, with the table's help, range, default and error message.
#pragma once
#include <string>
#include <vector>

#include "cli/args.hpp"
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

}  // namespace gb::cli
