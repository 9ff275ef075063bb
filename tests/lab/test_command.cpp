// parse_command: words, quotes and escapes (lessons and the command line type these).
#include <doctest/doctest.h>

#include "core/error.hpp"
#include "lab/command.hpp"

using gb::parse_command;

TEST_CASE("parse_command splits words and keeps quoted spaces") {
  auto c = parse_command("transformer  prompt \"Mia had a  ball.\"");
  REQUIRE(c.words.size() == 3);
  CHECK(c.verb() == "transformer");
  CHECK(c.arg(1) == "Mia had a  ball.");
}

TEST_CASE("parse_command escapes: \\n \\t \\\" \\\\ and \\xHH bytes") {
  auto c = parse_command(R"(prompt "a\nb\tc \"q\" back\\slash \xff\xE6\x97 end")");
  REQUIRE(c.argc() == 1);
  CHECK(c.arg(0) == std::string("a\nb\tc \"q\" back\\slash \xff\xE6\x97 end"));
  // an incomplete \x keeps the x literally
  CHECK(parse_command(R"(p "\xZ1")").arg(0) == "xZ1");
  CHECK(parse_command(R"(p "\x4")").arg(0) == "x4");
}

TEST_CASE("quote_word round-trips any bytes") {
  std::string raw = "say \"hi\"\\ \n \xff\x01 done";
  auto c = parse_command("p " + gb::quote_word(raw));
  CHECK(c.arg(0) == raw);
}

TEST_CASE("parse_command errors") {
  CHECK_THROWS_AS(parse_command("   "), gb::Error);
  CHECK_THROWS_AS(parse_command("prompt \"open"), gb::Error);
}
