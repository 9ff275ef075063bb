// Command-line parsing for the command vocabulary.
#include "lab/command.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/error.hpp"

namespace gb {

Command parse_command(std::string_view line) {
  Command c;
  c.text = std::string(line);
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string w;
    if (line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char ch = line[i++];
        if (ch == '\\' && i < line.size()) {
          char n = line[i++];
          auto hex = [](char h) { return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1; };
          if (n == 'x' && i + 2 <= line.size() && hex(line[i]) >= 0 && hex(line[i + 1]) >= 0) {
            w += char(hex(line[i]) * 16 + hex(line[i + 1]));  // \xHH: any byte, e.g. invalid UTF-8
            i += 2;
          } else {
            w += n == 'n' ? '\n' : n == 't' ? '\t' : n;
          }
        } else if (ch == '"') {
          closed = true;
          break;
        } else {
          w += ch;
        }
      }
      if (!closed) fail("command `" + std::string(line) + "`: a quote \" is not closed");
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') w += line[i++];
    }
    c.words.push_back(std::move(w));
  }
  if (c.words.empty()) fail("empty command");
  return c;
}

Command Command::shifted() const {
  if (words.size() < 2) fail("command `" + text + "`: nothing after `" + (words.empty() ? "" : words.front()) + "`");
  Command c;
  c.words.assign(words.begin() + 1, words.end());
  size_t i = text.find_first_not_of(" \t");
  if (i != std::string::npos && text.compare(i, words.front().size(), words.front()) == 0) {
    i = text.find_first_not_of(" \t", i + words.front().size());
    c.text = i == std::string::npos ? "" : text.substr(i);
  } else {
    c.text = text;  // built in code (no line): keep what there is
  }
  return c;
}

std::string quote_word(std::string_view word) {
  std::string q = "\"";
  for (char ch : word) {
    if (ch == '"' || ch == '\\') q += '\\';
    if (ch == '\n') { q += "\\n"; continue; }
    q += ch;
  }
  return q + "\"";
}

bool parse_number(const std::string& word, double lo, double hi, double& out, std::string& error,
                  const std::string& what) {
  char* end = nullptr;
  double v = std::strtod(word.c_str(), &end);
  std::ostringstream range;
  range << lo << " to " << hi;
  if (word.empty() || end != word.c_str() + word.size() || !std::isfinite(v)) {
    error = what + ": `" + word + "` is not a number (expected " + range.str() + ")";
    return false;
  }
  if (v < lo || v > hi) {
    error = what + ": " + word + " is out of range (expected " + range.str() + ")";
    return false;
  }
  out = v;
  return true;
}

Command command_from_words(std::vector<std::string> words) {
  Command c;
  for (auto& w : words) {
    if (!c.text.empty()) c.text += ' ';
    c.text += quote_word(w);
  }
  c.words = std::move(words);
  return c;
}

}  // namespace gb
