// UTF-8 decoding and honest display of token bytes: text shows as text, bytes that are not a whole
// valid character show as hex (`<E6 97>`), never as U+FFFD. Shared by the CLI and the token panels.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace gb {

// Decodes one code point at s[pos]. Returns its byte length (1–4), or 0 when the bytes there are
// not a valid, shortest-form UTF-8 character (overlong forms, surrogates, > U+10FFFF, truncated);
// then `cp` is left unspecified and the caller should treat s[pos] as one raw byte.
size_t utf8_decode(std::string_view s, size_t pos, char32_t& cp);

// True when the whole string is valid UTF-8.
bool utf8_valid(std::string_view s);

// Appends the UTF-8 encoding of `cp` (cp <= 0x10FFFF, not a surrogate) to `out`.
void utf8_append(std::string& out, char32_t cp);

// A token's bytes for display: valid characters as they are; runs of bytes that are not valid
// UTF-8 as `<E6 97>`; control characters other than tab and newline as `<1B>` too, so nothing
// shown is invisible or a replacement character.
std::string token_display(std::string_view bytes);

// The same for token chips: additionally space → `␣`, newline → `↵`, tab → `⇥`, CR → `␍`.
std::string token_display_visible(std::string_view bytes);

}  // namespace gb
