// Settings declared once (issue 16): walks every lab's settings table. Each setting is set to its minimum, maximum
// and default through `LAB set NAME VALUE` (read back through the field the table names), one value outside the
// range is refused with the one message, old spellings still work, the CLI flag (where there is one) takes the same
// values and gives the same message, and the slider's range lies inside the command's. Also: Help → Commands lists
// every setting, and the README's command table is `glassbox help commands --markdown`.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/setting_flags.hpp"
#include "build_info.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/lab_settings.hpp"
#include "lab/session.hpp"
#include "models/diffusion/limits.hpp"
#include "models/diffusion/mlp2d.hpp"
#include "models/transformer/limits.hpp"
#include "models/transformer/sampler.hpp"

using namespace gb;

namespace {

std::string num(double v) {
  char b[48];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

// A value just outside the range (and a word that is not a value for toggles and choices).
std::string outside(const SettingSpec& s) {
  if (s.type == SettingType::toggle) return "maybe";
  if (s.type == SettingType::choice) return "nonesuch";
  return num(s.hi + std::max(1.0, std::abs(s.hi)));
}

bool same(double a, double b) { return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)); }

// Runs `--NAME WORD` of subcommand `sub` through the table's flag parser; returns the value set or the error.
template <class T>
bool run_flag(const SettingsTable<T>& table, const std::string& sub, const SettingSpec& s, const std::string& word,
              double& value, std::string& error) {
  std::vector<std::string> words = {"glassbox", "x", "--" + s.name};
  if (s.type != SettingType::toggle) words.push_back(word);
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  try {
    cli::Args a(int(argv.size()), argv.data(), 2, cli::setting_flags(cli_setting_specs(sub)));
    T target{};
    cli::apply_setting_flags(a, table, target, sub);
    value = find_setting(table, s.name)->get(target);
    return true;
  } catch (const cli::UsageError& e) {
    error = e.message;
    return false;
  }
}

template <class T>
void walk_flags(const SettingsTable<T>& table, const SettingSpec& s, const std::string& cmd_error) {
  if (s.flag.empty()) return;
  double v = 0;
  std::string err;
  if (s.type == SettingType::toggle) {
    REQUIRE(run_flag(table, s.flag, s, "", v, err));
    CHECK(v == 1);
    return;
  }
  std::vector<double> values = {s.lo, s.hi, s.def};
  if (s.type == SettingType::choice) values = {0, double(s.choices.size() - 1), s.def};
  for (double want : values) {
    INFO("flag --" << s.name << " " << setting_value_text(s, want));
    REQUIRE(run_flag(table, s.flag, s, setting_value_text(s, want), v, err));
    CHECK(same(v, want));
  }
  CHECK_FALSE(run_flag(table, s.flag, s, outside(s), v, err));
  CHECK(err == cmd_error);  // the flag and the command answer alike
}

// The table row behind a lab's spec, for the flag walk.
void walk_flags_of(const std::string& lab, const SettingSpec& s, const std::string& cmd_error) {
  if (lab == "transformer") walk_flags(transformer_settings_table(), s, cmd_error);
  if (lab == "diffusion") walk_flags(diffusion_settings_table(), s, cmd_error);
  if (lab == "gan") walk_flags(gan_settings_table(), s, cmd_error);
  if (lab == "vae") walk_flags(vae_settings_table(), s, cmd_error);
}

}  // namespace

TEST_CASE("settings tables: every setting at min, max, default and out of range, by command, alias, flag and slider") {
  Session session;
  REQUIRE(session.run("transformer load random 1").ok);  // fast: no shipped model needed for the walk
  REQUIRE(session.run("diffusion data moons").ok);
  size_t walked = 0;
  for (Lab* lab : session.labs()) {
    const std::string name = lab->name();
    const std::vector<SettingSpec> specs = lab->setting_table();
    for (const SettingSpec& s : specs) {
      INFO(name << " " << s.name);
      ++walked;
      // the field holds the table's default in a fresh lab
      Session fresh;
      CHECK(same(fresh.lab(name).setting_value(s.name), s.def));
      // the range is a range, the default inside it, the slider inside it
      if (s.type == SettingType::real || s.type == SettingType::integer) {
        CHECK(s.lo < s.hi);
        CHECK(check_setting(s, s.def).empty());
        if (s.slider_hi > 0) CHECK((s.slider_hi > s.lo && s.slider_hi <= s.hi));
      }
      if (s.type == SettingType::choice) CHECK(s.choices.size() >= 2);
      CHECK_FALSE(s.help.empty());
      // min, max, default through `LAB set NAME VALUE`
      std::vector<double> values = {s.lo, s.hi, s.def};
      if (s.type == SettingType::toggle) values = {0, 1, s.def};
      if (s.type == SettingType::choice) values = {0, double(s.choices.size() - 1), s.def};
      for (double want : values) {
        const std::string line = name + " set " + s.name + " " + setting_value_text(s, want);
        CommandResult r = session.run(line);
        INFO(line << " → " << r.message);
        CHECK(r.ok);
        CHECK(same(lab->setting_value(s.name), want));
      }
      // out of range: refused, the one message, nothing changed
      const double before = lab->setting_value(s.name);
      CommandResult bad = session.run(name + " set " + s.name + " " + outside(s));
      CHECK_FALSE(bad.ok);
      std::string err;
      double ignored = 0;
      CHECK_FALSE(parse_setting(s, outside(s), ignored, err));
      CHECK(bad.message == err);
      if (s.type == SettingType::real || s.type == SettingType::integer)
        CHECK(bad.message == s.name + " " + outside(s) + ": out of range " + setting_range_text(s));
      CHECK(same(lab->setting_value(s.name), before));
      // old spellings (`diffusion guidance 5`) reach the same field
      for (const std::string& alias : s.aliases) {
        CommandResult r = session.run(name + " " + alias + " " + setting_value_text(s, s.def));
        INFO("alias " << alias << " → " << r.message);
        CHECK(r.ok);
        CHECK(same(lab->setting_value(s.name), s.def));
      }
      walk_flags_of(name, s, bad.message);
    }
  }
  CHECK(walked >= 20);
}

TEST_CASE("settings tables: the ranges a teacher asked for; no silent clamp anywhere") {
  CHECK(lab_setting("transformer", "temperature").hi >= 5);
  CHECK(lab_setting("diffusion", "guidance").hi >= 20);
  Session s;
  REQUIRE(s.run("transformer load random 1").ok);
  CommandResult r = s.run("transformer set temperature 9");
  CHECK_FALSE(r.ok);
  CHECK(r.message == "temperature 9: out of range 0.05\xe2\x80\x93" "5");
  r = s.run("transformer compare temperatures 0.5 1 9");
  CHECK_FALSE(r.ok);
  CHECK(r.message.find("temperature 9: out of range") != std::string::npos);
  r = s.run("diffusion set guidance 25");
  CHECK_FALSE(r.ok);
  CHECK(r.message == "guidance 25: out of range 0\xe2\x80\x93" "20");
  CHECK(s.run("diffusion set guidance 20").ok);
}

TEST_CASE("settings tables: the samplers in src/models refuse with the table's ranges and message (one Range each)") {
  struct Row {
    const char* lab;
    const char* name;
    Range model;
  };
  for (Row r : {Row{"transformer", "temperature", kTemperatureRange}, Row{"transformer", "top-k", kTopKRange},
                Row{"transformer", "top-p", kTopPRange}, Row{"transformer", "beam", kBeamRange},
                Row{"diffusion", "guidance", kGuidanceRange}, Row{"diffusion", "eta", kEtaRange},
                Row{"diffusion", "steps", kSamplerStepsRange}}) {
    INFO(r.lab << " " << r.name);
    const SettingSpec& s = lab_setting(r.lab, r.name);
    CHECK(s.lo == r.model.lo);
    CHECK(s.hi == r.model.hi);
  }
  // the transformer sampler: the command's message, thrown instead of a clamp
  Session session;
  REQUIRE(session.run("transformer load random 1").ok);
  const std::string cmd = session.run("transformer set temperature 9").message;
  SamplerSettings hot;
  hot.temperature = 9;
  std::vector<float> logits = {0.f, 1.f, 2.f};
  Rng rng(1);
  try {
    sample_step(logits.data(), 3, hot, rng);
    FAIL("temperature 9 accepted by the sampler");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == cmd);
  }
  // the diffusion sampler: guidance 25 refused with the command's message
  const std::string g = session.run("diffusion set guidance 25").message;
  auto model = std::make_shared<const Mlp2d>(Mlp2dConfig{}, NoiseSchedule::make(ScheduleKind::linear, 100));
  SamplerConfig cfg;
  cfg.guidance = 25;
  cfg.steps = 10;
  try {
    Sampler smp(model, cfg, {-1});
    FAIL("guidance 25 accepted by the sampler");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == g);
  }
}

TEST_CASE("settings tables: Help → Commands lists `set NAME VALUE` for every setting of every lab") {
  Session s;
  std::vector<CommandHelp> all = s.commands();
  for (Lab* lab : s.labs())
    for (const SettingSpec& spec : lab->setting_table()) {
      const std::string usage = lab->name() + " set " + spec.name + " " + spec.value_word();
      bool found = false;
      for (auto& h : all) found = found || h.usage == usage;
      INFO(usage);
      CHECK(found);
    }
}

TEST_CASE("Session::run hands the lab the parsed words (a quoted prompt with quotes and spaces survives)") {
  Command c = parse_command("diffusion  guidance   5");
  Command sh = c.shifted();
  CHECK(sh.words == std::vector<std::string>{"guidance", "5"});
  CHECK(sh.text == "guidance   5");
  Session s;
  REQUIRE(s.run("transformer load random 1").ok);
  REQUIRE(s.run("transformer prompt \"a \\\"b\\\"  c\\\\\"").ok);
  auto& t = dynamic_cast<TransformerLab&>(s.lab("transformer"));
  CHECK(t.prompt() == "a \"b\"  c\\");
}

TEST_CASE("README: the command table is `glassbox help commands --markdown`") {
  const std::string readme = read_file(std::string(build::source_dir) + "/README.md");
  const std::string begin = "<!-- commands:begin (glassbox help commands --markdown) -->\n", end = "<!-- commands:end -->";
  const size_t a = readme.find(begin), b = readme.find(end);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  const std::string in_readme = readme.substr(a + begin.size(), b - a - begin.size());
  Session s;
  CHECK(in_readme == s.commands_markdown());  // after a change: glassbox help commands --markdown, paste into README
}

TEST_CASE("workspace messages list every lab of the session (a new lab appears without edits)") {
  Session s;
  std::vector<std::string> names;
  for (Lab* lab : s.labs()) names.push_back(lab->name());
  CHECK(names == Session::lab_names());
  REQUIRE(names.size() >= 4);
  const CommandResult r = s.run("workspace nonesuch");
  CHECK_FALSE(r.ok);
  std::string help;
  for (auto& h : s.commands())
    if (h.usage == "workspace NAME") help = h.summary;
  std::string unknown;
  try {
    s.lab("nonesuch");
  } catch (const Error& e) {
    unknown = e.what();
  }
  for (const std::string& n : names) {
    INFO(n);
    CHECK(r.message.find(n) != std::string::npos);
    CHECK(help.find(n) != std::string::npos);
    CHECK(unknown.find(n) != std::string::npos);
  }
  CHECK(Session::workspace_list() == [&] {
    std::string w;
    for (size_t i = 0; i < names.size(); ++i) w += (i ? (i + 1 == names.size() ? " or " : ", ") : "") + names[i];
    return w;
  }());
}
