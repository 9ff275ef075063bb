// UTF-8 decoding, encoding and the hex-or-text display of token bytes.
#include "core/utf8.hpp"

#include <cstdint>

namespace gb {

size_t utf8_decode(std::string_view s, size_t pos, char32_t& cp) {
  if (pos >= s.size()) return 0;
  auto byte = [&](size_t i) { return uint8_t(s[i]); };
  const uint8_t b0 = byte(pos);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;  // continuation byte or 0xF8..0xFF
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    const uint8_t b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool utf8_valid(std::string_view s) {
  char32_t cp;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_decode(s, i, cp);
    if (!n) return false;
    i += n;
  }
  return true;
}

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

static std::string display(std::string_view bytes, bool visible) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  bool in_hex = false;  // inside an open `<.. ..` group
  auto close_hex = [&] {
    if (in_hex) out += '>';
    in_hex = false;
  };
  auto add_hex = [&](uint8_t b) {
    out += in_hex ? ' ' : '<';
    out += hex[b >> 4];
    out += hex[b & 15];
    in_hex = true;
  };
  char32_t cp;
  for (size_t i = 0; i < bytes.size();) {
    size_t n = utf8_decode(bytes, i, cp);
    if (!n) {
      add_hex(uint8_t(bytes[i]));
      ++i;
      continue;
    }
    const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
    if (visible && (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r')) {
      close_hex();
      out += cp == ' ' ? "␣" : cp == '\n' ? "↵" : cp == '\t' ? "⇥" : "␍";
    } else if (control && cp != '\n' && cp != '\t') {
      for (size_t k = 0; k < n; ++k) add_hex(uint8_t(bytes[i + k]));
    } else {
      close_hex();
      out.append(bytes.substr(i, n));
    }
    i += n;
  }
  close_hex();
  return out;
}

std::string token_display(std::string_view bytes) { return display(bytes, false); }
std::string token_display_visible(std::string_view bytes) { return display(bytes, true); }

}  // namespace gb
