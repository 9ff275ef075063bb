// Ranges: their text and the one out-of-range message.
#include "core/range.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"

namespace gb {

std::string number_text(double v) {
  char b[48];
  if (v == std::floor(v) && std::fabs(v) < 1e19) {  // whole numbers in full: "100000000", not "1e+08"
    std::snprintf(b, sizeof b, "%.0f", v);
    return b;
  }
  // Most settings live in float fields: a value that is exactly a float (0.01f is 0.009999999776… as a double) is
  // written as the shortest text that reads back as that float ("0.01"), so session files and messages show what
  // the user typed and a range check of the text gives the same answer again.
  const bool is_float = std::isfinite(v) && double(float(v)) == v;
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(b, sizeof b, "%.*g", digits, v);
    const double back = std::strtod(b, nullptr);
    if (back == v || (is_float && float(back) == float(v))) break;
  }
  return b;
}

std::string range_text(Range r) { return number_text(r.lo) + "\xe2\x80\x93" + number_text(r.hi); }

std::string out_of_range_message(const std::string& name, double v, Range r) {
  return name + " " + number_text(v) + ": out of range " + range_text(r);
}

void require_in_range(const std::string& name, double v, Range r) {
  if (!r.contains(v)) fail(out_of_range_message(name, v, r));
}

}  // namespace gb
