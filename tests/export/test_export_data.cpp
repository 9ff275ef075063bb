// Data exports: the tables each panel saves, written as CSV and JSON and parsed back (CSV by a small RFC 4180
// reader here, JSON through gb::JsonIn), compared with the numbers the labs hold.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/export_data.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/vae_lab.hpp"

using namespace gb;

namespace {

// An independent CSV reader: quoted fields with "" inside, commas and line breaks in quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
      continue;
    }
    if (c == '"') quoted = true, any = true;
    else if (c == ',') row.push_back(field), field.clear(), any = true;
    else if (c == '\n') {
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
    } else field += c, any = true;
  }
  if (any) row.push_back(field), rows.push_back(row);
  return rows;
}

double cell(const std::string& s) { return s.empty() ? NAN : std::stod(s); }

}  // namespace

TEST_CASE("export: probabilities with their tokens, CSV and JSON agree with the lab") {
  Session s;
  REQUIRE(s.run("transformer load random 3").ok);
  REQUIRE(s.run("transformer prompt \"hello\"").ok);
  REQUIRE(s.run("transformer set temperature 0.7").ok);
  REQUIRE(s.run("transformer set top-k 5").ok);
  auto& lab = dynamic_cast<TransformerLab&>(s.lab("transformer"));
  const SampleStep* st = lab.next();
  REQUIRE(st);
  ExportTable t = export_table(s, "transformer.probabilities");
  const int V = int(st->logits.size());
  REQUIRE(int(t.rows.size()) == V);

  auto csv = parse_csv(export_csv(t));
  REQUIRE(int(csv.size()) == V + 1);
  CHECK(csv[0][0] == "rank");
  CHECK(csv[0][2] == "token");
  CHECK(csv[0][7] == "prob_final");
  double sum = 0;
  int kept = 0;
  for (int r = 1; r <= V; ++r) {
    REQUIRE(csv[size_t(r)].size() == 9);
    int id = std::stoi(csv[size_t(r)][1]);
    CHECK(cell(csv[size_t(r)][7]) == doctest::Approx(st->probs_final[size_t(id)]).epsilon(1e-6));
    CHECK(cell(csv[size_t(r)][3]) == doctest::Approx(st->logits[size_t(id)]).epsilon(1e-6));
    CHECK(csv[size_t(r)][2] == export_token_text(lab.tokenizer().token_bytes(id)));
    sum += cell(csv[size_t(r)][7]);
    kept += std::stoi(csv[size_t(r)][8]);
    if (r > 1) CHECK(cell(csv[size_t(r)][7]) <= cell(csv[size_t(r - 1)][7]));  // most likely first
  }
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
  CHECK(kept == 5);  // top-k 5

  JsonIn j = JsonIn::parse(export_json(t), "probs.json", "");
  CHECK(j.integer("glassbox_export", 1, 1) == 1);
  CHECK(j.string("panel") == "transformer.probabilities");
  CHECK(j.object("meta").number("temperature", 0, 10) == doctest::Approx(0.7));
  CHECK(j.object("meta").integer("top_k", 0, 1000000) == 5);
  auto cols = j.array("columns");
  REQUIRE(cols.size() == 9);
  CHECK(cols[7].string("name") == "prob_final");
  auto rows = j.array("rows");
  REQUIRE(int(rows.size()) == V);
  int id0 = int(rows[0].at(1).as_integer(0, V - 1));
  CHECK(rows[0].at(7).as_number(0, 1) == doctest::Approx(st->probs_final[size_t(id0)]).epsilon(1e-6));
}

TEST_CASE("export: bytes that are not UTF-8 become <E6 97>; CSV quotes commas and quotes") {
  CHECK(export_token_text("\xe6\x97") == "<E6 97>");
  CHECK(export_token_text("ok") == "ok");
  ExportTable t;
  t.columns = {"a", "b,c"};
  t.rows = {{ExportCell(std::string("say \"hi\", then\nleave")), ExportCell(NAN)}};
  auto csv = parse_csv(export_csv(t));
  REQUIRE(csv.size() == 2);
  CHECK(csv[0][1] == "b,c");
  CHECK(csv[1][0] == "say \"hi\", then\nleave");
  CHECK(csv[1][1] == "");
  JsonIn j = JsonIn::parse(export_json(t), "t.json", "");
  CHECK(j.array("rows")[0].at(1).is_null());
}

TEST_CASE("export: attention matrix with token labels, rows sum to 1, masked future is 0") {
  Session s;
  REQUIRE(s.run("transformer load random 3").ok);
  REQUIRE(s.run("transformer prompt \"one two three\"").ok);
  REQUIRE(s.run("transformer select layer 1 head 1").ok);
  auto& lab = dynamic_cast<TransformerLab&>(s.lab("transformer"));
  auto tr = lab.trace_now();
  const int T = int(tr->ids.size());
  REQUIRE(T >= 2);
  auto csv = parse_csv(export_csv(export_table(s, "transformer.attention")));
  REQUIRE(int(csv.size()) == T + 1);
  REQUIRE(int(csv[0].size()) == T + 2);
  CHECK(csv[0][2] == "0:" + export_token_text(lab.tokenizer().token_bytes(tr->ids[0])));
  const Mat& w = tr->layers[1].attn_weights[1];
  for (int q = 0; q < T; ++q) {
    double sum = 0;
    CHECK(csv[size_t(q + 1)][1] == export_token_text(lab.tokenizer().token_bytes(tr->ids[size_t(q)])));
    for (int k = 0; k < T; ++k) {
      double v = cell(csv[size_t(q + 1)][size_t(k + 2)]);
      CHECK(v == doctest::Approx(w(q, k)).epsilon(1e-6));
      if (k > q) CHECK(v == 0.0);
      sum += v;
    }
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
  }
  JsonIn j = JsonIn::parse(export_json(export_table(s, "transformer.attention")), "a.json", "");
  CHECK(j.object("meta").integer("layer", 0, 100) == 1);
  CHECK(j.object("meta").integer("head", 0, 100) == 1);
}

TEST_CASE("export: generated tokens, GAN points and losses, diffusion schedule, VAE latent map") {
  Session s;
  REQUIRE(s.run("transformer load random 3").ok);
  REQUIRE(s.run("transformer prompt \"a\"").ok);
  REQUIRE(s.run("transformer step 3").ok);
  auto& tl = dynamic_cast<TransformerLab&>(s.lab("transformer"));
  auto gen = parse_csv(export_csv(export_table(s, "transformer.generate")));
  REQUIRE(gen.size() == tl.all_ids().size() + 1);
  CHECK(gen.back()[3] == "drawn");
  CHECK(cell(gen.back()[4]) == doctest::Approx(tl.steps().back().prob).epsilon(1e-6));

  // GAN: points and the loss curve after a few steps.
  REQUIRE(s.run("gan step 5").ok);
  auto& gl = dynamic_cast<GanLab&>(s.lab("gan"));
  ExportTable pts = export_table(s, "gan.playground");
  const Gan2dView& v = gl.view2d();
  CHECK(pts.rows.size() == v.real.size() / 2 + v.fake.size() / 2);
  auto pcsv = parse_csv(export_csv(pts));
  size_t first_fake = 1 + v.real.size() / 2;
  CHECK(pcsv[first_fake][0] == "fake");
  CHECK(cell(pcsv[first_fake][2]) == doctest::Approx(v.fake[0]).epsilon(1e-6));
  CHECK(cell(pcsv[1][3]) == doctest::Approx(v.real[1]).epsilon(1e-6));
  auto losses = parse_csv(export_csv(export_table(s, "gan.losses")));
  CHECK(losses.size() == gl.toy().history().size() + 1);
  CHECK(cell(losses.back()[2]) == doctest::Approx(gl.toy().history().back().d_loss).epsilon(1e-6));

  // Diffusion schedule of the shipped 2D model: ᾱ is the running product of α.
  REQUIRE(s.run("diffusion data moons").ok);
  auto sched = parse_csv(export_csv(export_table(s, "diffusion.schedule")));
  REQUIRE(sched.size() > 10);
  CHECK(sched[0][3] == "alpha_bar");
  double prod = 1;
  int visits = 0;
  for (size_t r = 1; r < sched.size(); ++r) {
    prod *= cell(sched[r][2]);
    CHECK(cell(sched[r][3]) == doctest::Approx(prod).epsilon(1e-4));
    CHECK(cell(sched[r][1]) + cell(sched[r][2]) == doctest::Approx(1.0));
    visits += std::stoi(sched[r][6]);
  }
  auto& dl = dynamic_cast<DiffusionLab&>(s.lab("diffusion"));
  CHECK(visits == dl.sampler_config().steps);

  // VAE latent map: z1, z2, class, σ for every point.
  auto& vl = dynamic_cast<VaeLab&>(s.lab("vae"));
  vl.ensure_loaded();
  const VaeMap& m = vl.map();
  REQUIRE(m.count > 0);
  JsonIn j = JsonIn::parse(export_json(export_table(s, "vae.map")), "map.json", "");
  auto rows = j.array("rows");
  REQUIRE(int(rows.size()) == m.count);
  for (int i : {0, m.count / 2, m.count - 1}) {
    CHECK(rows[size_t(i)].at(1).as_integer(0, 9) == m.labels[size_t(i)]);
    CHECK(rows[size_t(i)].at(3).as_number(-100, 100) == doctest::Approx(m.mu[size_t(2 * i)]).epsilon(1e-6));
    CHECK(rows[size_t(i)].at(6).as_number(0, 100) == doctest::Approx(m.sigma[size_t(2 * i + 1)]).epsilon(1e-6));
  }
}

TEST_CASE("export: panels without data or without numbers yet say so") {
  Session s;
  CHECK(export_has_data("transformer.probabilities"));
  CHECK_FALSE(export_has_data("vae.atlas"));
  CHECK_THROWS_WITH_AS(export_table(s, "vae.atlas"), doctest::Contains("no table of numbers"), Error);
  CHECK_THROWS_WITH_AS(export_table(s, "nope.panel"), doctest::Contains("no panel"), Error);
  CHECK_THROWS_WITH_AS(export_table(s, "gan.training"), doctest::Contains("no training has run yet"), Error);
  CHECK_THROWS_WITH_AS(export_table(s, "transformer.training"), doctest::Contains("transformer train start"), Error);
  for (auto& id : export_data_panels()) CHECK(s.has_panel(id));
}
