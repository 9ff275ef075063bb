// An inclusive numeric range and the one out-of-range message. The models layer declares its limits as
// constexpr Ranges (models/transformer/limits.hpp, models/diffusion/limits.hpp); the labs' settings tables
// (lab/*_settings.cpp) use the same constants, and both answer "temperature 9: out of range 0.05–5".
#pragma once
#include <string>

namespace gb {

struct Range {
  double lo = 0, hi = 1;
  constexpr bool contains(double v) const { return v >= lo && v <= hi; }  // false for NaN
};

// The shortest text that reads back as the same double (or, for a value that is exactly a float, as that float:
// 0.01f gives "0.01"); whole numbers in full ("0.05", "100000000").
std::string number_text(double v);
// "0.05–5"
std::string range_text(Range r);
// "temperature 9: out of range 0.05–5"
std::string out_of_range_message(const std::string& name, double v, Range r);
// Throws gb::Error with out_of_range_message when v is outside r (or NaN).
void require_in_range(const std::string& name, double v, Range r);

}  // namespace gb
