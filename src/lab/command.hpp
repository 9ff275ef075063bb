// The command vocabulary: one user intent as one line of text ("set temperature 0.7", "step",
// "prompt \"Once upon a time\"", "open transformer.attention"). Buttons, shortcuts, lessons, the
// CLI and tests all go through commands, so anything a user can do a lesson or a test can do.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gb {

struct Command {
  std::string text;                // the line as given
  std::vector<std::string> words;  // split on spaces; "double quoted" words keep spaces; \" \\ \n \t \xHH escape
  const std::string& verb() const { return words.front(); }
  size_t argc() const { return words.size() - 1; }            // arguments after the verb
  const std::string& arg(size_t i) const { return words.at(i + 1); }
  // The same command without its first word: `diffusion guidance 5` → `guidance 5` (words as parsed, never
  // re-joined and parsed again; text is the rest of the line). Throws gb::Error when only the verb is there.
  Command shifted() const;
};

// Parses one command line. Throws gb::Error on an empty line or an unclosed quote.
Command parse_command(std::string_view line);

// Quotes a word so parse_command gives it back unchanged (for building commands in code).
std::string quote_word(std::string_view word);
// A command built in code from its words (text: the words quoted and joined), as parse_command would give it.
Command command_from_words(std::vector<std::string> words);

struct CommandResult {
  bool ok = true;
  std::string message;  // shown to the user; for errors it says what was wrong and what is accepted
  static CommandResult good(std::string m = {}) { return {true, std::move(m)}; }
  static CommandResult bad(std::string m) { return {false, std::move(m)}; }
};

struct CommandHelp {
  std::string usage;    // "set temperature T"
  std::string summary;  // "sampling temperature, 0.05–3 (1 = the model's own probabilities)"
};

// Number parsing for command arguments: strict (whole word must parse), finite, within [lo, hi].
// On failure returns false and writes a message naming the argument and the accepted range.
bool parse_number(const std::string& word, double lo, double hi, double& out, std::string& error,
                  const std::string& what);

}  // namespace gb
