// One translation mechanism for every user-facing string: tr("English text") gives the text in the
// chosen language, or the English text itself when no catalogue has it.
//
// Catalogues are gettext PO files (the format translators' tools such as Poedit and msgfmt already
// read): <assets>/i18n/<lang>/*.po, any number of files per language (one per area of the app, so
// areas are translated independently). Only the plain subset is used: msgid/msgstr pairs, "..."
// continuation lines, # comments, the escapes \n \t \" \\. The msgid is the exact English string
// passed to tr(), printf specifiers and ImGui "##id" suffixes included; a translation keeps the same
// specifiers in the same order and the same "##id" suffix.
//
// tr() is cheap enough to call every frame. Its result stays valid until the language changes; change
// the language only between frames (set_language), never while a panel is drawing.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gb {

// The text for `english` in the current language (english itself if untranslated).
const char* tr(const char* english);

// Marks a literal in a table (keyboard shortcuts, theme names…) as a msgid without translating it
// yet: the table keeps the English text and the code shows tr(entry) later. The completeness test
// (tests/i18n) collects N_("…") literals like tr("…") ones.
constexpr const char* N_(const char* english) { return english; }

// printf into a std::string: format_text(tr("Step %d of %d"), a, b).
std::string format_text(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

// A language's name in its own language ("Deutsch", "Українська"); the code itself when unknown.
const char* language_name(const std::string& code);

// One language's entries: msgid → msgstr (untranslated entries, msgstr "", are left out).
struct Catalogue {
  std::unordered_map<std::string, std::string> entries;
};

// Parses one PO file's text. Throws gb::Error "PATH:LINE: problem" on anything malformed.
void parse_po(std::string_view text, const std::string& path, Catalogue& into);

// Loads every <assets>/i18n/<code>/*.po and makes it current; "en" (or "") means no catalogue.
// Throws gb::Error naming the file when a catalogue is malformed or the language has no folder;
// the current language is then unchanged.
void set_language(const std::string& code);
const std::string& language();

// Language codes that have a catalogue folder, plus "en", sorted.
std::vector<std::string> available_languages();

}  // namespace gb
