// Settings tables: range texts, the one parser and the one out-of-range message.
#include "lab/setting_spec.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"

namespace gb {

namespace {
// The shortest text that reads back as the same double ("0.05", "9007199254740992").
// The shortest text that reads back as v. Most settings live in float fields: a value that is exactly a float
// (0.01f is 0.009999999776… as a double) is written as the shortest text that reads back as that float ("0.01"),
// so session files and messages show what the user typed and the range check gives the same answer again.
std::string num(double v) {
  char b[48];
  const bool is_float = std::isfinite(v) && double(float(v)) == v;
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(b, sizeof b, "%.*g", digits, v);
    const double back = std::strtod(b, nullptr);
    if (back == v || (is_float && float(back) == float(v))) break;
  }
  return b;
}
std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (auto& w : v) s += (s.empty() ? "" : sep) + w;
  return s;
}
}  // namespace

std::string SettingSpec::value_word() const {
  if (type == SettingType::toggle) return "on|off";
  if (type == SettingType::choice) return join(choices, "|");
  const std::string last = name.substr(name.rfind('-') == std::string::npos ? 0 : name.rfind('-') + 1);
  return last.empty() ? "X" : std::string(1, char(std::toupper((unsigned char)last[0])));
}

std::string setting_range_text(const SettingSpec& s) {
  if (s.type == SettingType::toggle) return "on|off";
  if (s.type == SettingType::choice) return join(s.choices, "|");
  return num(s.lo) + "\xe2\x80\x93" + num(s.hi);  // "0.05–5"
}

std::string setting_value_text(const SettingSpec& s, double v) {
  if (s.type == SettingType::toggle) return v != 0 ? "on" : "off";
  if (s.type == SettingType::choice) {
    const size_t i = size_t(v);
    return v >= 0 && i < s.choices.size() ? s.choices[i] : num(v);
  }
  return num(v);
}

std::string check_setting(const SettingSpec& s, double v) {
  const std::string head = s.name + " " + setting_value_text(s, v) + ": ";
  if (!std::isfinite(v)) return s.name + ": not a finite number (" + setting_range_text(s) + ")";
  if (s.type == SettingType::integer && v != std::floor(v))
    return head + "not a whole number (" + setting_range_text(s) + ")";
  double lo = s.lo, hi = s.hi;
  if (s.type == SettingType::toggle) lo = 0, hi = 1;
  if (s.type == SettingType::choice) lo = 0, hi = double(s.choices.size()) - 1;
  if (v < lo || v > hi || ((s.type == SettingType::toggle || s.type == SettingType::choice) && v != std::floor(v)))
    return head + "out of range " + setting_range_text(s);
  return "";
}

bool parse_setting(const SettingSpec& s, const std::string& word, double& out, std::string& error) {
  if (s.type == SettingType::toggle) {
    if (word == "on" || word == "true" || word == "1" || word == "yes") return out = 1, true;
    if (word == "off" || word == "false" || word == "0" || word == "no") return out = 0, true;
    error = s.name + " " + word + ": expected on or off";
    return false;
  }
  if (s.type == SettingType::choice) {
    for (size_t i = 0; i < s.choices.size(); ++i)
      if (s.choices[i] == word) return out = double(i), true;
    error = s.name + " " + word + ": expected " + join(s.choices, ", ");
    return false;
  }
  char* end = nullptr;
  const double v = std::strtod(word.c_str(), &end);
  if (word.empty() || end != word.c_str() + word.size() || !std::isfinite(v)) {
    error = s.name + " `" + word + "`: not a number (" + setting_range_text(s) + ")";
    return false;
  }
  error = check_setting(s, v);
  if (!error.empty()) {
    error = s.name + " " + word + error.substr(error.find(':'));  // the value as typed
    return false;
  }
  out = v;
  return true;
}

void require_setting(const SettingSpec& s, double v) {
  std::string e = check_setting(s, v);
  if (!e.empty()) fail(e);
}

const SettingSpec* find_setting(const std::vector<SettingSpec>& specs, const std::string& name) {
  for (auto& s : specs) {
    if (s.name == name) return &s;
    for (auto& a : s.aliases)
      if (a == name) return &s;
  }
  return nullptr;
}

std::string setting_summary(const SettingSpec& s) {
  std::string m = s.help + ": " + setting_range_text(s);
  if (!s.unit.empty()) m += " " + s.unit;
  m += ", default " + setting_value_text(s, s.def);
  for (auto& a : s.aliases) m += " (also `" + a + " " + s.value_word() + "`)";
  return m;
}

std::vector<CommandHelp> setting_commands(const std::vector<SettingSpec>& specs) {
  std::vector<CommandHelp> v;
  for (auto& s : specs) v.push_back({"set " + s.name + " " + s.value_word(), setting_summary(s)});
  return v;
}

}  // namespace gb
