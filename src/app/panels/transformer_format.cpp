// Pure text for the transformer panels: worked divisions with enough digits, visible punctuation.
#include "app/panels/transformer_format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace gb::app {

namespace {

std::string print(const char* fmt, double v) {
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

std::string sig(double v, int digits) {
  char fmt[16];
  std::snprintf(fmt, sizeof fmt, "%%.%dg", digits);
  return print(fmt, v);
}

}  // namespace

std::string format_probability(double p) { return print(std::abs(p) >= 0.001 || p == 0 ? "%.4f" : "%.3g", p); }

std::string worked_division(double num, double denom, std::string* denom_shown) {
  const std::string shown = format_probability(denom != 0 ? num / denom : 0.0);
  std::string n, d;
  for (int digits = 4; digits <= 17; ++digits) {
    n = sig(num, digits);
    d = sig(denom, digits);
    double pn = std::strtod(n.c_str(), nullptr), pd = std::strtod(d.c_str(), nullptr);
    if (pd != 0 && format_probability(pn / pd) == shown) break;
  }
  if (denom_shown) *denom_shown = d;
  return n + " / " + d + " = " + shown;
}

std::string visible_punctuation(const std::string& label) {
  static const std::string kSpace = "\xe2\x90\xa3";  // ␣
  size_t start = label.compare(0, kSpace.size(), kSpace) == 0 ? kSpace.size() : 0;
  size_t n = label.size() - start;
  if (n < 1 || n > 3) return label;
  for (size_t i = start; i < label.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(label[i]);
    if (c >= 0x80 || !std::strchr(".,;:!?'\"-()", c) || c == 0) return label;
  }
  return label.substr(0, start) + "\xe2\x80\xb9" + label.substr(start) + "\xe2\x80\xba";  // ‹ ›
}

int strip_colour_slot(int rank, int position) { return rank >= 0 && rank < 5 ? rank : 5 + (position & 1); }

}  // namespace gb::app
