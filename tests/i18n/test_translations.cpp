// Translation completeness (issue 20 item 4). Reads the source tree (build::source_dir) and the catalogues
// assets/i18n/<lang>/*.po, and fails naming the msgid and the language when:
//   - a tr("…") or N_("…") literal in src/, a literal label given to ui::setting_slider, or a text the UI translates
//     at run time from a table (workspace titles, panel titles, the settings' help and units) has no translation
//     in de, es, fr or uk;
//   - a translation's printf specifiers (in order) or its "##id" suffix differ from its msgid's;
//   - a catalogue holds a msgid nothing uses any more (stale), or the same msgid twice in one language;
//   - tr() is given adjacent literals ("a" "b": the msgid must be one literal, as extractors read it).
// A second test (the lint) fails when an ImGui call in src/app that shows text (Text, Button, MenuItem, Begin…) is
// given a bare English literal instead of tr("…"); a line with `i18n: keep` (on the call's lines or the line above)
// opts out for text that must stay as it is (formulas, numbers, token text, file paths).
// To check another checkout (e.g. a trial merge) with this binary: GB_I18N_SOURCE_DIR=<its root>
// GLASSBOX_ASSETS=<its assets>.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lab/lab.hpp"
#include "lab/session.hpp"

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kLanguages = {"de", "es", "fr", "uk"};

// [SECTION] A small C++ reader: comments, string and character literals, raw strings, balanced brackets

struct Source {
  std::string path;  // relative to the source dir: "src/app/app.cpp"
  std::string text;
  int line_of(size_t pos) const { return 1 + int(std::count(text.begin(), text.begin() + long(pos), '\n')); }
  std::string where(size_t pos) const { return path + ":" + std::to_string(line_of(pos)); }
};

bool ident_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

// Skips a comment, string or character literal starting at i; returns the position after it (i when none starts).
size_t skip_token(const std::string& s, size_t i) {
  if (s.compare(i, 2, "//") == 0) {
    size_t e = s.find('\n', i);
    return e == std::string::npos ? s.size() : e;
  }
  if (s.compare(i, 2, "/*") == 0) {
    size_t e = s.find("*/", i + 2);
    return e == std::string::npos ? s.size() : e + 2;
  }
  if (s[i] == 'R' && i + 1 < s.size() && s[i + 1] == '"' && (i == 0 || !ident_char(s[i - 1]))) {
    size_t open = s.find('(', i + 2);
    if (open == std::string::npos) return s.size();
    const std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
    size_t e = s.find(close, open);
    return e == std::string::npos ? s.size() : e + close.size();
  }
  if (s[i] == '"' || s[i] == '\'') {
    const char q = s[i];
    size_t j = i + 1;
    while (j < s.size() && s[j] != q) j += s[j] == '\\' ? 2 : 1;
    return std::min(j + 1, s.size());
  }
  return i;
}

// Decodes one C++ string literal at i (s[i] == '"'): \n \t \" \\ \' \xHH \ooo. Sets `end` past the closing quote.
std::string decode_literal(const std::string& s, size_t i, size_t& end) {
  std::string out;
  size_t j = i + 1;
  while (j < s.size() && s[j] != '"') {
    if (s[j] != '\\') {
      out += s[j++];
      continue;
    }
    char c = s[j + 1];
    j += 2;
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        int v = c - '0', k = 0;
        while (k < 2 && j < s.size() && s[j] >= '0' && s[j] <= '7') v = v * 8 + (s[j++] - '0'), ++k;
        out += char(v);
        break;
      }
      case 'x': {
        int v = 0;
        while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j])))
          v = v * 16 + (std::isdigit(static_cast<unsigned char>(s[j])) ? s[j] - '0' : (std::tolower(s[j]) - 'a' + 10)), ++j;
        out += char(v);
        break;
      }
      default: out += c;  // \" \\ \' \?
    }
  }
  end = std::min(j + 1, s.size());
  return out;
}

size_t skip_space(const std::string& s, size_t i) {
  for (;;) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i < s.size() && (s.compare(i, 2, "//") == 0 || s.compare(i, 2, "/*") == 0)) i = skip_token(s, i);
    else return i;
  }
}

// The arguments of a call whose '(' is at `open`: [begin, end) of each, and the position after ')'.
std::vector<std::pair<size_t, size_t>> call_args(const std::string& s, size_t open, size_t& after) {
  std::vector<std::pair<size_t, size_t>> args;
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = open; i < s.size();) {
    size_t t = skip_token(s, i);
    if (t != i) {
      i = t;
      continue;
    }
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) {
        if (skip_space(s, start) < i) args.push_back({start, i});
        after = i + 1;
        return args;
      }
    }
    if (c == ',' && depth == 1) {
      args.push_back({start, i});
      start = i + 1;
    }
    ++i;
  }
  after = s.size();
  return args;
}

// Every position where identifier `name` is called: `name (` not preceded by an identifier character or '.'/'->'
// (so `tr(` matches `tr(` and `gb::tr(` but not `str(` or `x.tr(`). Comments and literals are skipped.
std::vector<size_t> call_sites(const std::string& s, const std::string& name, std::vector<size_t>* parens = nullptr) {
  std::vector<size_t> out;
  if (parens) parens->clear();
  for (size_t i = 0; i < s.size();) {
    size_t t = skip_token(s, i);
    if (t != i) {
      i = t;
      continue;
    }
    if (s.compare(i, name.size(), name) == 0 && (i == 0 || (!ident_char(s[i - 1]) && s[i - 1] != '.' && s[i - 1] != '>')) &&
        (i + name.size() >= s.size() || !ident_char(s[i + name.size()]))) {
      size_t p = skip_space(s, i + name.size());
      if (p < s.size() && s[p] == '(') {
        out.push_back(i);
        if (parens) parens->push_back(p);
      }
      i += name.size();
      continue;
    }
    ++i;
  }
  return out;
}

std::vector<Source> read_sources(const std::string& under) {
  std::vector<Source> out;
  const fs::path root(getenv("GB_I18N_SOURCE_DIR") ? getenv("GB_I18N_SOURCE_DIR") : gb::build::source_dir);
  for (auto& e : fs::recursive_directory_iterator(root / under)) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    out.push_back({fs::relative(e.path(), root).generic_string(), gb::read_file(e.path().string())});
  }
  std::sort(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.path < b.path; });
  return out;
}

// [SECTION] What a msgid must keep: printf specifiers and the "##id" suffix

std::vector<std::string> printf_specs(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') continue;
    if (i + 1 < s.size() && s[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < s.size() && std::string_view("-+ #0123456789.*'hlLqjzt").find(s[j]) != std::string_view::npos) ++j;
    if (j < s.size()) out.push_back(s.substr(i, j - i + 1));
    i = j;
  }
  return out;
}

std::string id_suffix(const std::string& s) {
  size_t p = s.find("##");
  return p == std::string::npos ? "" : s.substr(p);
}

// True when a text has words to translate: a run of two ASCII letters outside printf specifiers and the ##id.
bool has_words(std::string s) {
  size_t p = s.find("##");
  if (p != std::string::npos) s.resize(p);
  for (auto& spec : printf_specs(s)) {
    size_t at = s.find(spec);
    if (at != std::string::npos) s.replace(at, spec.size(), " ");
  }
  int run = 0;
  for (char c : s) {
    run = std::isalpha(static_cast<unsigned char>(c)) ? run + 1 : 0;
    if (run >= 2) return true;
  }
  return false;
}

// [SECTION] Collecting the msgids the app uses

struct Used {
  std::map<std::string, std::string> msgids;  // msgid → first place it is used
  std::vector<std::string> problems;          // malformed uses
};

void collect_source_literals(Used& used) {
  for (const Source& src : read_sources("src")) {
    const std::string& s = src.text;
    for (const std::string fn : {"tr", "N_"}) {
      std::vector<size_t> parens;
      std::vector<size_t> sites = call_sites(s, fn, &parens);
      for (size_t k = 0; k < sites.size(); ++k) {
        size_t i = skip_space(s, parens[k] + 1);
        if (i >= s.size() || s[i] != '"') continue;  // tr(variable): a table text, collected below
        size_t end = 0;
        std::string id = decode_literal(s, i, end);
        size_t next = skip_space(s, end);
        if (next < s.size() && s[next] == '"') {
          used.problems.push_back(src.where(i) + ": " + fn + "() is given adjacent literals; write one literal (the msgid)");
          continue;
        }
        if (next < s.size() && s[next] != ')') continue;  // an expression starting with a literal: not a msgid
        if (src.path == "src/core/i18n.hpp") continue;    // the documentation's examples
        if (has_words(id)) used.msgids.emplace(id, src.where(i));
      }
    }
    // ui::setting_slider shows tr(label): a literal label (its third argument) is a msgid too. TEMPORARY: only in the
    // files already wrapped (the other families' labels are in their catalogues, on their branches, until the merge).
    std::vector<size_t> parens;
    std::vector<size_t> sites = call_sites(s, "setting_slider", &parens);
    for (size_t k = 0; k < sites.size(); ++k) {
      size_t after = 0;
      auto args = call_args(s, parens[k], after);
      if (args.size() < 3) continue;
      size_t i = skip_space(s, args[2].first);
      if (s[i] != '"') continue;
      size_t end = 0;
      std::string id = decode_literal(s, i, end);
      if (skip_space(s, end) == args[2].second && has_words(id)) used.msgids.emplace(id, src.where(i));
    }
  }
}

void collect_tables(Used& used) {
  gb::Session session;
  for (gb::Lab* lab : session.labs()) {
    const std::string where = "the " + lab->name() + " lab's ";
    used.msgids.emplace(lab->title(), where + "title (workspace name)");
    for (auto& p : lab->panels()) used.msgids.emplace(p.title, where + "panel " + p.id);
    for (auto& spec : lab->setting_table()) {
      if (has_words(spec.help)) used.msgids.emplace(spec.help, where + "setting " + spec.name + " (help)");
      if (has_words(spec.unit)) used.msgids.emplace(spec.unit, where + "setting " + spec.name + " (unit)");
    }
  }
  for (auto& p : session.all_panels()) used.msgids.emplace(p.title, "panel " + p.id);
}

struct Entry {
  std::string msgid, msgstr, file;
};

std::vector<Entry> read_catalogues(const std::string& lang) {
  std::vector<Entry> out;
  const fs::path dir = fs::path(gb::assets_dir()) / "i18n" / lang;
  if (!fs::is_directory(dir)) return out;
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".po") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) {
    gb::Catalogue c;
    gb::parse_po(gb::read_file(f.string()), f.string(), c);
    const std::string rel = "assets/i18n/" + lang + "/" + f.filename().string();
    std::vector<Entry> part;
    for (auto& [id, str] : c.entries) part.push_back({id, str, rel});
    std::sort(part.begin(), part.end(), [](const Entry& a, const Entry& b) { return a.msgid < b.msgid; });
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// The problems of one language's catalogues against the msgids the app uses (empty: complete and consistent).
std::vector<std::string> check_language(const std::string& lang, const Used& used) {
  std::vector<std::string> problems;
  std::map<std::string, const Entry*> have;
  const std::vector<Entry> entries = read_catalogues(lang);
  for (const Entry& e : entries) {
    if (!have.emplace(e.msgid, &e).second)
      problems.push_back(lang + ": msgid \"" + e.msgid + "\" is in " + have[e.msgid]->file + " and again in " + e.file);
    if (printf_specs(e.msgid) != printf_specs(e.msgstr))
      problems.push_back(e.file + ": the translation of \"" + e.msgid + "\" must keep its printf specifiers in order");
    if (id_suffix(e.msgid) != id_suffix(e.msgstr))
      problems.push_back(e.file + ": the translation of \"" + e.msgid + "\" must end in the same \"" + id_suffix(e.msgid) + "\"");
    if (!used.msgids.count(e.msgid))
      problems.push_back(e.file + ": msgid \"" + e.msgid + "\" is not used by the app any more (stale: remove it)");
  }
  for (auto& [id, where] : used.msgids)
    if (!have.count(id)) problems.push_back(lang + ": no translation of \"" + id + "\" (" + where + ")");
  return problems;
}

}  // namespace

TEST_CASE("i18n: the readers find tr() literals, printf specifiers and ##ids as the checks need them") {
  size_t after = 0;
  std::string s = "x = tr(\"Step %d of %d\"); y = str(\"no\"); z = gb::tr(\"a\\\"b\\xc3\\xa4\"); // tr(\"comment\")\n"
                  "f(a, g(b, c), \"lit, with comma\");";
  std::vector<size_t> parens;
  auto sites = call_sites(s, "tr", &parens);
  REQUIRE(sites.size() == 2);
  size_t end = 0;
  CHECK(decode_literal(s, parens[0] + 1, end) == "Step %d of %d");
  CHECK(decode_literal(s, parens[1] + 1, end) == "a\"b\xc3\xa4");
  auto f = call_sites(s, "f", &parens);
  REQUIRE(f.size() == 1);
  CHECK(call_args(s, parens[0], after).size() == 3);
  CHECK(printf_specs("%.2f of %5d, 100%% %s") == std::vector<std::string>{"%.2f", "%5d", "%s"});
  CHECK(id_suffix("Lessons###lessons") == "###lessons");
  CHECK(has_words("Save##x"));
  CHECK_FALSE(has_words("%.0f%%"));
  CHECK_FALSE(has_words("##temp"));
  CHECK_FALSE(has_words("x: %s"));
}

TEST_CASE("i18n: a catalogue that lacks, changes or keeps a stale msgid is caught (the check can fail)") {
  Used used;
  used.msgids = {{"Save", "here"}, {"Step %d of %d", "here"}};
  // Uses the real catalogues' reader on a folder of our own.
  const fs::path dir = fs::temp_directory_path() / "glassbox-i18n-check" / "i18n" / "xx";
  fs::remove_all(dir.parent_path().parent_path());
  fs::create_directories(dir);
  gb::write_file_atomic((dir / "shell.po").string(),
                        "msgid \"Step %d of %d\"\nmsgstr \"Schritt %s von %d\"\n"
                        "msgid \"Old\"\nmsgstr \"Alt\"\n");
  const char* before = std::getenv("GLASSBOX_ASSETS");
  const std::string saved = before ? before : "";
  setenv("GLASSBOX_ASSETS", dir.parent_path().parent_path().c_str(), 1);
  std::vector<std::string> p = check_language("xx", used);
  if (before) setenv("GLASSBOX_ASSETS", saved.c_str(), 1);  // as it was (a run against other assets keeps them)
  else unsetenv("GLASSBOX_ASSETS");
  fs::remove_all(dir.parent_path().parent_path());
  std::string all;
  for (auto& x : p) all += x + "\n";
  CHECK(all.find("xx: no translation of \"Save\"") != std::string::npos);
  CHECK(all.find("\"Step %d of %d\" must keep its printf specifiers") != std::string::npos);
  CHECK(all.find("msgid \"Old\" is not used by the app any more") != std::string::npos);
}

TEST_CASE("i18n: every text the UI translates has a translation in de, es, fr and uk, and nothing stale") {
  Used used;
  collect_source_literals(used);
  collect_tables(used);
  INFO("msgids used by the app: " << used.msgids.size());
  CHECK(used.msgids.size() > 100);  // the reader found the shell's texts at least
  for (auto& p : used.problems) FAIL_CHECK(p);
  for (const std::string& lang : kLanguages) {
    CAPTURE(lang);
    std::vector<std::string> problems = check_language(lang, used);
    for (auto& p : problems) FAIL_CHECK(p);
    // and the app can load it (set_language refuses malformed files and duplicates)
    CHECK_NOTHROW(gb::set_language(lang));
  }
  gb::set_language("en");
}

// [SECTION] The lint: ImGui calls that show text get tr(…), not bare English

namespace {

// The calls that show text: the first argument that shows text, and whether the ones after it (printf arguments)
// show text too.
struct TextCall {
  const char* name;
  int arg;
  bool rest;
};
const std::vector<TextCall> kTextCalls = {
    {"ImGui::Text", 0, true}, {"ImGui::TextUnformatted", 0, false}, {"ImGui::TextWrapped", 0, true},
    {"ImGui::TextDisabled", 0, true}, {"ImGui::TextColored", 1, true}, {"ImGui::BulletText", 0, true},
    {"ImGui::LabelText", 0, true}, {"ImGui::SetTooltip", 0, true}, {"ImGui::Button", 0, false},
    {"ImGui::SmallButton", 0, false}, {"ImGui::MenuItem", 0, false}, {"ImGui::BeginMenu", 0, false},
    {"ImGui::Checkbox", 0, false}, {"ImGui::RadioButton", 0, false}, {"ImGui::Selectable", 0, false},
    {"ImGui::CollapsingHeader", 0, false}, {"ImGui::TreeNode", 0, true}, {"ImGui::BeginTabItem", 0, false},
    {"ImGui::Begin", 0, false}, {"ImGui::BeginPopupModal", 0, false}, {"ImGui::SliderFloat", 0, false},
    {"ImGui::SliderInt", 0, false}, {"ImGui::DragFloat", 0, false}, {"ImGui::DragInt", 0, false},
    {"ImGui::InputText", 0, false}, {"ImGui::InputTextWithHint", 1, false}, {"ImGui::InputInt", 0, false},
    {"ImGui::InputFloat", 0, false}, {"ImGui::Combo", 0, false}, {"ImGui::BeginCombo", 0, false},
    {"ImGui::ProgressBar", 2, false}, {"ImGui::TableSetupColumn", 0, false}, {"AddText", 0, true},
    {"wrapped", 0, true}, {"text_wrapped", 0, false}, {"text_wrappedf", 0, true},
};

// The literals in [a, b) that are not inside a tr(…)/N_(…) call.
std::vector<std::pair<size_t, std::string>> bare_literals(const std::string& s, size_t a, size_t b) {
  std::vector<std::pair<size_t, std::string>> out;
  for (size_t i = a; i < b;) {
    if ((s.compare(i, 3, "tr(") == 0 || s.compare(i, 3, "N_(") == 0) && (i == 0 || !ident_char(s[i - 1]))) {
      size_t after = 0;
      call_args(s, i + 2, after);
      i = after;
      continue;
    }
    if (s[i] == '"') {
      size_t end = 0;
      out.push_back({i, decode_literal(s, i, end)});
      i = end;
      continue;
    }
    size_t t = skip_token(s, i);
    i = t != i ? t : i + 1;
  }
  return out;
}

std::vector<std::string> lint(const Source& src) {
  std::vector<std::pair<size_t, std::string>> found;  // in the order of the file
  const std::string& s = src.text;
  for (const TextCall& call : kTextCalls) {
    const std::string name = call.name;
    // "ImGui::Text" must not match inside "ImGui::TextUnformatted": call_sites wants the whole identifier.
    const std::string bare = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
    std::vector<size_t> parens;
    std::vector<size_t> sites = call_sites(s, bare, &parens);
    for (size_t k = 0; k < sites.size(); ++k) {
      if (name.rfind("ImGui::", 0) == 0 && (sites[k] < 7 || s.compare(sites[k] - 7, 7, "ImGui::") != 0)) continue;
      size_t after = 0;
      auto args = call_args(s, parens[k], after);
      const int first_line = src.line_of(sites[k]), last_line = src.line_of(after);
      // opt-out: "i18n: keep" on the call's lines or the line above
      size_t from = s.rfind('\n', sites[k] == 0 ? 0 : sites[k] - 1);
      from = from == std::string::npos || from == 0 ? 0 : s.rfind('\n', from - 1);
      from = from == std::string::npos ? 0 : from;
      size_t to = s.find('\n', after);
      if (s.substr(from, (to == std::string::npos ? s.size() : to) - from).find("i18n: keep") != std::string::npos) continue;
      (void)first_line;
      (void)last_line;
      for (size_t a = 0; a < args.size(); ++a) {
        if (int(a) < call.arg || (int(a) > call.arg && !call.rest)) continue;
        for (auto& [pos, text] : bare_literals(s, args[a].first, args[a].second))
          if (has_words(text))
            found.push_back({pos, src.where(pos) + ": " + name + " shows the English literal \"" + text +
                          "\": write tr(\"…\") (and add it to assets/i18n/*/…po), or mark the line `// i18n: keep`"});
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace

TEST_CASE("i18n lint: the lint catches a bare literal and accepts tr() and the opt-out") {
  Source bad{"x.cpp", "void f() {\n  ImGui::Text(\"Hello %d\", 1);\n  ImGui::Button(ok ? \"Save\" : tr(\"Open\"));\n"
                      "  ImGui::TextColored(c == \"light\" ? red : pink, \"%s\", ok ? \"all good\" : tr(\"failed\"));\n}\n"};
  std::vector<std::string> p = lint(bad);
  REQUIRE(p.size() == 3);
  CHECK(p[0].find("x.cpp:2: ImGui::Text shows the English literal \"Hello %d\"") == 0);
  CHECK(p[1].find("x.cpp:3: ImGui::Button") == 0);
  CHECK(p[2].find("x.cpp:4: ImGui::TextColored shows the English literal \"all good\"") == 0);  // not the colour's "light"
  Source good{"y.cpp", "ImGui::Text(tr(\"Hello %d\"), 1);\nImGui::TextUnformatted(\"%s\");\n"
                       "ImGui::Begin(\"##status\");\nImGui::Text(\"%.0f fps\", f);  // i18n: keep (a unit)\n"
                       "// i18n: keep\nImGui::TextWrapped(\"p = exp(z/T)\");\nImGui::MenuItem(tr(\"Quit\"), \"Ctrl+Q\");\n"};
  CHECK(lint(good).empty());
}

TEST_CASE("i18n lint: the app's text calls use tr()") {
  std::vector<Source> sources = read_sources("src/app");
  int checked = 0;
  for (const Source& src : sources) {
    ++checked;
    for (auto& problem : lint(src)) FAIL_CHECK(problem);
  }
  CHECK(checked > 10);
}
