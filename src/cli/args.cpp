// Strict command-line flag parsing.
#include "cli/args.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

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

long Args::integer(const std::string& flag, long fallback, long lo, long hi) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end) throw UsageError{flag + ": `" + it->second + "` is not a whole number"};
  if (v < lo || v > hi)
    throw UsageError{flag + ": " + it->second + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")"};
  return v;
}

double Args::number(const std::string& flag, double fallback, double lo, double hi) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end || !std::isfinite(v)) throw UsageError{flag + ": `" + it->second + "` is not a number"};
  if (v < lo || v > hi) {
    std::ostringstream s;
    s << flag << ": " << it->second << " is out of range (" << lo << " to " << hi << ")";
    throw UsageError{s.str()};
  }
  return v;
}

std::string usage_lines(const std::vector<FlagSpec>& spec) {
  std::string s;
  for (auto& f : spec) s += "  " + f.name + (f.takes_value ? " " : "") + f.help + "\n";
  return s;
}

}  // namespace gb::cli
