// The classifier's verdicts the vae.compare panel shows (lab/quality_verdicts.hpp): the shipped
// assets/models/quality.json reads and covers every image family, and a damaged file gives a message naming
// the file and the field, with no verdicts (never a half-read table).
#include <doctest/doctest.h>

#include <string>

#include "core/files.hpp"
#include "lab/quality_verdicts.hpp"

using namespace gb;

namespace {
const char* kGood = R"({"format": "glassbox-quality-verdicts/1", "families": [
  {"family": "real", "file": "", "accuracy": 0.924, "fd": 1.6, "min_diversity": 0.89, "seconds_for_1000": null,
   "per_class": 100, "seed": 7, "date": "2026-12-07"},
  {"family": "gan", "file": "fashion-gan.safetensors", "file_bytes": 123, "accuracy": 0.927, "fd": 17.9,
   "min_diversity": 0.71, "seconds_for_1000": 0.6, "per_class": 100, "seed": 7, "date": "2026-12-07"}]})";

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("quality verdicts: a good table reads every field") {
  const QualityVerdicts v = parse_quality_verdicts(kGood, "q.json");
  REQUIRE(v.error.empty());
  REQUIRE(v.families.size() == 2);
  const QualityVerdict* gan = v.find("gan");
  REQUIRE(gan);
  CHECK(gan->file == "fashion-gan.safetensors");
  CHECK(gan->file_bytes == 123);
  CHECK(gan->accuracy == doctest::Approx(0.927));
  CHECK(gan->fd == doctest::Approx(17.9));
  CHECK(gan->min_diversity == doctest::Approx(0.71));
  CHECK(gan->seconds_for_1000 == doctest::Approx(0.6));
  CHECK(gan->per_class == 100);
  CHECK(gan->seed == 7);
  CHECK(v.find("real")->seconds_for_1000 == -1);  // null: not timed
  CHECK(v.find("vae") == nullptr);
}

TEST_CASE("quality verdicts: a damaged table gives no verdicts and names the file and the field") {
  struct Case {
    std::string text, expect;
  };
  const Case cases[] = {
      {"not json", "q.json"},
      {"[1, 2]", "not a JSON object"},
      {replaced(kGood, "glassbox-quality-verdicts/1", "something-else/2"), "format"},
      {replaced(kGood, "\"accuracy\": 0.927", "\"accuracy\": 1.5"), "families[1].accuracy"},
      {replaced(kGood, "\"fd\": 17.9", "\"fd\": \"17.9\""), "families[1].fd"},
      {replaced(kGood, "\"family\": \"gan\"", "\"family\": \"vq-vae\""), "expected real, gan, vae or diffusion"},
      {replaced(kGood, "\"per_class\": 100, \"seed\": 7, \"date\": \"2026-12-07\"}]", "\"seed\": 7}]"), "per_class"},
      {R"({"format": "glassbox-quality-verdicts/1"})", "families"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const QualityVerdicts v = parse_quality_verdicts(c.text, "q.json");
    CHECK(v.families.empty());
    CHECK(v.error.find("q.json") != std::string::npos);
    CHECK(v.error.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("quality verdicts: the shipped table covers the floor and every shipped image family") {
  const QualityVerdicts v = load_quality_verdicts();
  REQUIRE_MESSAGE(v.error.empty(), v.error);
  for (const char* family : {"real", "gan", "vae", "diffusion"}) {
    CAPTURE(family);
    const QualityVerdict* f = v.find(family);
    REQUIRE(f);
    CHECK(f->per_class >= 100);
    if (std::string(family) != "real") CHECK(file_exists(assets_dir() + "/models/" + f->file));
  }
  // The floor: real pictures are labelled right most of the time and are as varied as themselves.
  CHECK(v.find("real")->accuracy > 0.85);
  CHECK(v.find("real")->min_diversity > 0.8);
}
