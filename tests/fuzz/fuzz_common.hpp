// Shared helpers for the libFuzzer targets: abort with a message when an invariant breaks.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/transformer/tokenizer.hpp"

namespace gb::fuzz {

[[noreturn]] inline void die(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// Every tokenizer, however odd its merges, must encode any bytes losslessly, and the merge trace
// must end where encode ends.
inline void check_tokenizer(const Tokenizer& t, const std::string& text) {
  std::vector<int> ids = t.encode(text);
  if (t.decode(ids) != text) die("decode(encode(text)) != text");
  std::vector<int> plain = t.encode(text, false);
  if (t.decode(plain) != text) die("decode(encode(text, no specials)) != text");
  if (text.size() <= 256 && t.encode_with_steps(text).final_ids() != ids) die("encode_with_steps != encode");
}

}  // namespace gb::fuzz
