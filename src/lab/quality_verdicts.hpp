// The independent classifier's verdict on each shipped image model, for panels: read from
// assets/models/quality.json, which `tests/quality/quality_table.py GLASSBOX --write FILE` writes (the
// classifier is a Python script and does not run in the app). One entry per family ("real" = real training
// images, the floor; "gan", "vae", "diffusion"): the share of its samples labelled as the class asked, the
// Fréchet distance of the classifier's features to the real test images, the lowest per-class diversity.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gb {

struct QualityVerdict {
  std::string family;         // real, gan, vae, diffusion
  std::string file;           // the checkpoint judged (file name in assets/models; "" for real images)
  int64_t file_bytes = 0;     // its size when judged (0 for real images): a different file is not this verdict
  double accuracy = 0;        // share labelled as the class asked, 0…1
  double fd = 0;              // Fréchet distance, classifier features (lower = closer to real)
  double min_diversity = 0;   // lowest per-class diversity ratio (1 = as varied as real pictures)
  double seconds_for_1000 = -1;  // time to draw 1000 images when measured (−1: not given)
  int per_class = 0;          // images per class judged
  int64_t seed = 0;           // seed of the samples
  std::string date;           // when measured (YYYY-MM-DD)
};

struct QualityVerdicts {
  std::vector<QualityVerdict> families;
  std::string file;   // where they were read from
  std::string error;  // why none could be read ("" when ok): names the file and the problem
  const QualityVerdict* find(const std::string& family) const;
};

// Parses the JSON text of `file`; a damaged entry or file gives no verdicts and an error naming the file,
// the field and the problem (never throws).
QualityVerdicts parse_quality_verdicts(const std::string& text, const std::string& file);
// Reads assets_dir()/models/quality.json (a missing file gives an error, never throws).
QualityVerdicts load_quality_verdicts();

}  // namespace gb
