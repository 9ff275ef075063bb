// The story corpus: deterministic, well-formed text (no unfilled template keys), varied enough.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "core/error.hpp"
#include "models/data/corpus.hpp"

using namespace gb;

TEST_CASE("story generator is deterministic and fills every template key") {
  CHECK(generate_story(42) == generate_story(42));
  CHECK(generate_story(42) != generate_story(43));
  std::string text = generate_stories(7, 200'000);
  CHECK(text.size() >= 200'000);
  CHECK(text == generate_stories(7, 200'000));
  // An unknown key shows up as "?key?": every real question mark ends a sentence or a quote.
  size_t unfilled = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '?' && text[i + 1] != '"' && text[i + 1] != ' ' && text[i + 1] != '\n') ++unfilled;
  CHECK(unfilled == 0);
  // An unknown key would show up as "?key?"; a lowercase sentence start as ". he".
  for (const char* bad : {"?A", "?B", "?P", ". he ", ". she ", ". his ", "  ", "\" Said"}) {
    CAPTURE(bad);
    CHECK(text.find(bad) == std::string::npos);
  }
  // A prefix of a longer corpus is the shorter corpus (stories are drawn by index).
  std::string longer = generate_stories(7, 400'000);
  CHECK(longer.compare(0, text.size(), text) == 0);
}

TEST_CASE("stories vary: many distinct sentences, names and plots") {
  std::set<std::string> stories, openings;
  for (uint64_t i = 0; i < 2000; ++i) {
    std::string s = generate_story(i);
    stories.insert(s);
    openings.insert(s.substr(0, s.find('.')));
  }
  CHECK(stories.size() == 2000);
  CHECK(openings.size() > 300);
}

TEST_CASE("load_corpus: named corpora, files, and bad input") {
  CHECK(load_corpus("tiny").size() > 500);
  CHECK(load_corpus("tiny").size() < 5000);
  CHECK_THROWS_AS(load_corpus("/nonexistent/corpus.txt"), Error);
}
