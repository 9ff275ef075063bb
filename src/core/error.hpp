// Errors the user can read: what went wrong, and with which file.
#pragma once
#include <stdexcept>
#include <string>

namespace gb {

// Every recoverable failure (bad file, bad input, bad command) is thrown as gb::Error.
// what() reads "FILE: problem" when a file is involved, so messages can be shown as they are.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }
[[noreturn]] inline void fail_file(const std::string& path, const std::string& problem) {
  throw Error(path + ": " + problem);
}

}  // namespace gb
