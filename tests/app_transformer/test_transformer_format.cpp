// Worked arithmetic and token labels of the transformer panels (app/panels/transformer_format).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "app/panels/transformer_format.hpp"

using namespace gb::app;

TEST_CASE("worked_division prints the sum with enough digits for the division to be right") {
  // The most likely token: numerator exp(0) = 1, the sum 1.0004 (old output: "1 / 1 = 0.9996").
  std::string s = worked_division(1.0, 1.0004);
  CHECK(s == "1 / 1.0004 = 0.9996");
  CHECK(s.find("1 / 1 =") == std::string::npos);
  std::string sum;
  worked_division(1.0, 1.0004, &sum);
  CHECK(sum == "1.0004");  // what the formula repeats as the Σ
  CHECK(worked_division(0.5, 2.0) == "0.5 / 2 = 0.2500");
  CHECK(worked_division(1e-5, 3.25) == "1e-05 / 3.25 = 3.08e-06");
}

TEST_CASE("worked_division: what is printed divides to what is printed, over many values") {
  uint32_t r = 12345;
  auto next = [&] { return (r = r * 1664525u + 1013904223u) / 4294967296.0; };
  for (int i = 0; i < 2000; ++i) {
    double denom = 1.0 + next() * (next() < 0.5 ? 0.002 : 40.0);
    double num = next() < 0.3 ? 1.0 : denom * next();
    std::string s = worked_division(num, denom);
    size_t slash = s.find(" / "), eq = s.find(" = ");
    REQUIRE(slash != std::string::npos);
    REQUIRE(eq != std::string::npos);
    double pn = std::strtod(s.substr(0, slash).c_str(), nullptr);
    double pd = std::strtod(s.substr(slash + 3, eq - slash - 3).c_str(), nullptr);
    INFO(s);
    CHECK(format_probability(pn / pd) == s.substr(eq + 3));
    CHECK(s.substr(eq + 3) == format_probability(num / denom));
  }
}

TEST_CASE("visible_punctuation brackets lone punctuation only") {
  CHECK(visible_punctuation(".") == "\xe2\x80\xb9.\xe2\x80\xba");
  CHECK(visible_punctuation(",") == "\xe2\x80\xb9,\xe2\x80\xba");
  CHECK(visible_punctuation("\xe2\x90\xa3,") == "\xe2\x90\xa3\xe2\x80\xb9,\xe2\x80\xba");  // ␣,
  CHECK(visible_punctuation(".\"") == "\xe2\x80\xb9.\"\xe2\x80\xba");
  CHECK(visible_punctuation("cat") == "cat");
  CHECK(visible_punctuation("\xe2\x90\xa3She") == "\xe2\x90\xa3She");
  CHECK(visible_punctuation("a.") == "a.");
  CHECK(visible_punctuation("....") == "....");  // long enough to see
  CHECK(visible_punctuation("\xe2\x90\xa3") == "\xe2\x90\xa3");
  CHECK(visible_punctuation("") == "");
  CHECK(visible_punctuation("<E6 97>") == "<E6 97>");
}

TEST_CASE("strip_colour_slot: neighbouring slices of the strip never share a colour") {
  // Token ids 0..9 in strip order with these ranks (the old colouring by id parity gave ids 3 and 5
  // the same colour whatever lay between; here any two neighbours differ).
  const int ranks[] = {7, 0, 9, 6, 1, 8, 2, 3, 5, 4};
  for (int i = 0; i + 1 < 10; ++i) CHECK(strip_colour_slot(ranks[i], i) != strip_colour_slot(ranks[i + 1], i + 1));
  for (int r = 0; r < 5; ++r) CHECK(strip_colour_slot(r, 3) == r);  // the top five have their own colours
  CHECK(strip_colour_slot(6, 0) != strip_colour_slot(12, 1));
  CHECK(strip_colour_slot(5, 0) == strip_colour_slot(40, 2));  // the rest share two greys
}
