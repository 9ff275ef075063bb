// Strict command-line flag parsing.
#include "cli/args.hpp"

#include <cstdio>

#include "lab/setting_spec.hpp"

namespace gb::cli {

Args::Args(int argc, char** argv, int first, const std::vector<FlagSpec>& spec) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    std::string value;
    bool inline_value = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
      inline_value = true;
    }
    const FlagSpec* f = nullptr;
    for (auto& s : spec)
      if (s.name == a) f = &s;
    if (!f) {
      if (a.rfind("-", 0) == 0) throw UsageError{"unknown option `" + a + "`"};
      throw UsageError{"unexpected argument `" + a + "`"};
    }
    if (f->takes_value) {
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError{"option " + a + " needs a value"};
        value = argv[++i];
      }
    } else if (inline_value) {
      throw UsageError{"option " + a + " takes no value"};
    }
    values_[a] = value;
  }
}

std::string Args::str(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) throw UsageError{"missing required option " + flag};
  return it->second;
}

namespace {
// A flag read with an ad-hoc range (bench and teach commands) answers like a table row: the same parser and
// the same message as `LAB set` and the table-driven flags ("threads 0: out of range 1–256").
double checked(const std::map<std::string, std::string>& values, const std::string& flag, double fallback, double lo,
               double hi, SettingType type) {
  auto it = values.find(flag);
  if (it == values.end()) return fallback;
  SettingSpec s;
  s.name = flag.rfind("--", 0) == 0 ? flag.substr(2) : flag;
  s.type = type;
  s.lo = lo;
  s.hi = hi;
  double v = 0;
  std::string err;
  if (!parse_setting(s, it->second, v, err)) throw UsageError{err};
  return v;
}
}  // namespace

long Args::integer(const std::string& flag, long fallback, long lo, long hi) const {
  return long(checked(values_, flag, double(fallback), double(lo), double(hi), SettingType::integer));
}

double Args::number(const std::string& flag, double fallback, double lo, double hi) const {
  return checked(values_, flag, fallback, lo, hi, SettingType::real);
}

void Args::int_pair(const std::string& flag, int max, const char* example, int& a, int& b) const {
  if (!has(flag)) return;
  const std::string h = str(flag);
  int h1 = 0, h2 = 0;
  char tail = 0;
  if (std::sscanf(h.c_str(), "%d,%d%c", &h1, &h2, &tail) != 2 || h1 < 1 || h2 < 1 || h1 > max || h2 > max)
    throw UsageError{flag + ": expected two widths 1–" + std::to_string(max) + " like " + example + ", got `" + h + "`"};
  a = h1;
  b = h2;
}

std::string usage_lines(const std::vector<FlagSpec>& spec) {
  std::string s;
  for (auto& f : spec) s += "  " + f.name + (f.takes_value ? " " : "") + f.help + "\n";
  return s;
}

}  // namespace gb::cli
