// The panel ids that README.md and docs/**/*.md name in `code` spans (`transformer.attention`,
// `open gan.playground`, `highlight transformer.probabilities 5`) are panels the labs declare.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "core/files.hpp"
#include "lab/session.hpp"

namespace {

// Words WORKSPACE.NAME inside backtick spans of `markdown`, for the given workspace names (file names such as
// `gan.safetensors` or paths are not ids: a dot or slash before or after the word rules it out).
std::vector<std::string> panel_ids_named(const std::string& markdown, const std::vector<std::string>& workspaces) {
  std::string alt;
  for (auto& w : workspaces) alt += (alt.empty() ? "" : "|") + w;
  const std::regex span("`([^`\n]+)`");
  const std::regex id("(^|[^A-Za-z0-9_./-])((" + alt + ")\\.[a-z][a-z0-9-]*)(?![A-Za-z0-9_./])");
  std::vector<std::string> out;
  for (std::sregex_iterator s(markdown.begin(), markdown.end(), span), end; s != end; ++s) {
    const std::string text = (*s)[1];
    for (std::sregex_iterator m(text.begin(), text.end(), id); m != end; ++m) out.push_back((*m)[2]);
  }
  return out;
}

}  // namespace

TEST_CASE("docs: the panel-id finder sees ids in code spans and only there") {
  const std::vector<std::string> ws = {"transformer", "gan"};
  auto ids = panel_ids_named("Open `transformer.attention`, then `highlight gan.field 3`; transformer.block is prose; "
                             "`gan.safetensors/x` and `models/gan.playground` are paths.",
                             ws);
  REQUIRE(ids.size() == 2);
  CHECK(ids[0] == "transformer.attention");
  CHECK(ids[1] == "gan.field");
}

TEST_CASE("docs: every panel id README.md and docs/ name exists") {
  gb::Session session;
  std::vector<std::string> workspaces;
  for (gb::Lab* lab : session.labs()) workspaces.push_back(lab->name());
  std::vector<std::string> files = {std::string(gb::build::source_dir) + "/README.md"};
  for (auto& e : std::filesystem::recursive_directory_iterator(std::string(gb::build::source_dir) + "/docs"))
    if (e.path().extension() == ".md") files.push_back(e.path().string());
  int checked = 0;
  for (auto& f : files)
    for (auto& id : panel_ids_named(gb::read_file(f), workspaces)) {
      INFO(f << " names `" << id << "`");
      CHECK(session.has_panel(id));
      ++checked;
    }
  CHECK(checked > 0);  // README names some panels; a finder that found none would check nothing
}
