// Strict command-line flags for subcommands: every flag is declared, unknown ones are errors.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gb::cli {

struct FlagSpec {
  std::string name;  // "--out"
  bool takes_value;  // false for switches like --json
  std::string help;  // "FILE.png  where to write the picture"
};

// Thrown for bad usage; main prints it with the subcommand's usage and exits 2.
struct UsageError {
  std::string message;
};

class Args {
 public:
  // Parses argv[first..]; throws UsageError for unknown flags, missing values or stray words.
  Args(int argc, char** argv, int first, const std::vector<FlagSpec>& spec);
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string str(const std::string& flag, const std::string& fallback = "") const;
  std::string required(const std::string& flag) const;
  long integer(const std::string& flag, long fallback, long lo, long hi) const;
  double number(const std::string& flag, double fallback, double lo, double hi) const;
  // "A,B" with both in [1, max] (layer widths); leaves a and b alone when the flag is absent.
  // `example` goes into the message of a bad value ("--hidden: expected two widths 1–4096 like 512,256").
  void int_pair(const std::string& flag, int max, const char* example, int& a, int& b) const;

 private:
  std::map<std::string, std::string> values_;
};

std::string usage_lines(const std::vector<FlagSpec>& spec);

}  // namespace gb::cli
