// `glassbox help commands [--markdown]`: the command vocabulary of every lab, its settings rows generated from
// the labs' settings tables (lab/lab_settings.hpp). The README's table is this output (a test compares them).
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "lab/session.hpp"

namespace gb::cli {

int cmd_help_commands(int argc, char** argv) {
  static const std::vector<FlagSpec> spec = {
      {"--markdown", false, "          print a Markdown table (as in the README)"},
      {"--help", false, "              show this help"},
  };
  Args a(argc, argv, 3, spec);
  if (a.has("--help")) {
    std::printf("usage: glassbox help commands [--markdown]\n\n%s", usage_lines(spec).c_str());
    return 0;
  }
  Session session;
  if (a.has("--markdown")) {
    std::fputs(session.commands_markdown().c_str(), stdout);
    return 0;
  }
  for (auto& h : session.commands()) std::printf("%-44s %s\n", h.usage.c_str(), h.summary.c_str());
  return 0;
}

}  // namespace gb::cli
