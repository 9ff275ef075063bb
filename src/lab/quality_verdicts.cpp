#include "lab/quality_verdicts.hpp"

#include <exception>

#include "core/files.hpp"
#include "core/json_in.hpp"

namespace gb {

const QualityVerdict* QualityVerdicts::find(const std::string& family) const {
  for (const QualityVerdict& v : families)
    if (v.family == family) return &v;
  return nullptr;
}

QualityVerdicts parse_quality_verdicts(const std::string& text, const std::string& file) {
  QualityVerdicts out;
  out.file = file;
  try {
    const JsonIn j = JsonIn::parse(text, file, "");
    const std::string format = j.string("format");
    if (format != "glassbox-quality-verdicts/1")
      j.value("format").fail_here("is \"" + format + "\", expected \"glassbox-quality-verdicts/1\"");
    for (const JsonIn& e : j.array("families")) {
      QualityVerdict v;
      v.family = e.string("family");
      if (v.family != "real" && v.family != "gan" && v.family != "vae" && v.family != "diffusion")
        e.value("family").fail_here("is \"" + v.family + "\", expected real, gan, vae or diffusion");
      v.file = e.string_or("file", "");
      v.file_bytes = e.integer_or("file_bytes", 0, 0, int64_t(1) << 40);
      v.accuracy = e.number("accuracy", 0, 1);
      v.fd = e.number("fd", 0, 1e6);
      v.min_diversity = e.number("min_diversity", 0, 100);
      v.seconds_for_1000 = e.number_or("seconds_for_1000", -1, 0, 1e7);
      v.per_class = e.int32("per_class", 1, 1000000);
      v.seed = e.integer_or("seed", 0, 0, INT64_MAX);
      v.date = e.string_or("date", "");
      out.families.push_back(std::move(v));
    }
  } catch (const std::exception& e) {
    out.families.clear();
    out.error = e.what();
  }
  return out;
}

QualityVerdicts load_quality_verdicts() {
  const std::string path = assets_dir() + "/models/quality.json";
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::exception& e) {
    QualityVerdicts out;
    out.file = path;
    out.error = e.what();
    return out;
  }
  return parse_quality_verdicts(text, path);
}

}  // namespace gb
