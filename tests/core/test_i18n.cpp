// The PO subset the translation catalogues use: entries, continuation lines, escapes, comments, and a
// clear "file:line: problem" for each kind of malformed input.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/i18n.hpp"

static std::string parse_error(const std::string& text) {
  gb::Catalogue c;
  try {
    gb::parse_po(text, "x.po", c);
  } catch (const gb::Error& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("i18n: PO entries, continuation lines, escapes and comments") {
  gb::Catalogue c;
  gb::parse_po("# a comment\n"
               "msgid \"Temperature\"\nmsgstr \"Temperatur\"\n\n"
               "msgid \"\"\n\"Step %d \"\n\"of %d\"\nmsgstr \"Schritt %d von %d\"\n"
               "msgid \"say \\\"hi\\\"\\n\"\nmsgstr \"sag \\\"hallo\\\"\\n\"\n"
               "msgid \"untranslated\"\nmsgstr \"\"\n",
               "x.po", c);
  CHECK(c.entries.size() == 3);
  CHECK(c.entries.at("Temperature") == "Temperatur");
  CHECK(c.entries.at("Step %d of %d") == "Schritt %d von %d");
  CHECK(c.entries.at("say \"hi\"\n") == "sag \"hallo\"\n");
  CHECK(c.entries.count("untranslated") == 0);
}

TEST_CASE("i18n: malformed catalogues name the file and line") {
  CHECK(parse_error("msgid \"a\"\n") == "x.po:1: msgid without msgstr");
  CHECK(parse_error("msgstr \"a\"\n") == "x.po:1: msgstr without msgid");
  CHECK(parse_error("msgid \"a\nmsgstr \"b\"\n") == "x.po:1: string has no closing quote");
  CHECK(parse_error("msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n") == "x.po:3: msgid \"a\" appears twice");
  CHECK(parse_error("msgid \"a\\q\"\nmsgstr \"b\"\n") == "x.po:1: unknown escape \\q");
  CHECK(parse_error("hello\n") == "x.po:1: expected msgid, msgstr, a quoted line or a # comment");
  CHECK(parse_error("\"x\"\n") == "x.po:1: string outside an entry");
  CHECK(parse_error("msgid \"a\"\nmsgstr[0] \"b\"\n") == "x.po:2: contexts and plural forms are not used by Glassbox catalogues");
}

TEST_CASE("i18n: tr gives the English text when no language is set, and an unknown language is refused") {
  gb::set_language("en");
  const char* s = "Temperature";
  CHECK(gb::tr(s) == s);
  CHECK_THROWS_AS(gb::set_language("xx-nonexistent"), gb::Error);
  CHECK(gb::language() == "en");
  CHECK_THROWS_AS(gb::set_language("../models"), gb::Error);
}
