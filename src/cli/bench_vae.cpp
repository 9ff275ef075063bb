// `glassbox bench vae [--json]`: speed of the VAE at the shipped sizes (random weights, synthetic
// images; no dataset needed) — a training step, encoding and decoding per image.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/bench_util.hpp"
#include "core/rng.hpp"
#include "models/vae/vae_train.hpp"

namespace gb::cli {

int bench_vae(int argc, char** argv) {
  const std::vector<FlagSpec> spec = {{"--json", false, "        print one JSON object"},
                                      {"--help", false, "        show this help"}};
  Args a(argc, argv, 3, spec);
  if (a.has("--help")) {
    std::printf("usage: glassbox bench vae [--json]\n\n%s", usage_lines(spec).c_str());
    return 0;
  }
  FashionMnist fake;
  fake.count = 512;
  fake.images.resize(size_t(fake.count) * 784);
  fake.labels.resize(size_t(fake.count));
  Rng r(1);
  for (auto& p : fake.images) p = uint8_t(r.below(256));
  for (auto& l : fake.labels) l = uint8_t(r.below(10));
  struct Row {
    const char* name;
    double step, enc, dec;
  };
  std::vector<Row> rows;
  const int B = 64;
  auto x = vae_pixels(fake, 0, B);
  std::vector<int> labels(static_cast<size_t>(B));
  for (int i = 0; i < B; ++i) labels[size_t(i)] = i % 10;
  for (bool cond : {false, true}) {
    VaeConfig mc;
    mc.n_classes = cond ? 10 : 0;
    mc.latent = cond ? 8 : 2;  // the shipped sizes
    VaeTrainer tr(mc, VaeTrainConfig{});
    const double tstep = per_call([&] { tr.train_step(fake); }, 1.0);
    const int* lp = cond ? labels.data() : nullptr;
    const double tenc = per_call([&] { (void)tr.model.encode(x.data(), lp, B); }, 0.3) / B;
    auto z = tr.model.prior_latents(B, 1, 1.0f);
    const double tdec = per_call([&] { (void)tr.model.decode(z.data(), lp, B); }, 0.3) / B;
    rows.push_back({cond ? "conditional (latent 8)" : "2D latent", tstep, tenc, tdec});
  }
  const int batch = VaeTrainConfig{}.batch;
  if (a.has("--json")) {
    std::printf("{\"train_batch\": %d, \"vae2d_train_step_ms\": %.3f, \"vae2d_encode_per_image_ms\": %.4f, "
                "\"vae2d_decode_per_image_ms\": %.4f, \"cvae_train_step_ms\": %.3f, \"cvae_encode_per_image_ms\": %.4f, "
                "\"cvae_decode_per_image_ms\": %.4f}\n",
                batch, 1e3 * rows[0].step, 1e3 * rows[0].enc, 1e3 * rows[0].dec, 1e3 * rows[1].step, 1e3 * rows[1].enc,
                1e3 * rows[1].dec);
  } else {
    for (const Row& row : rows)
      std::printf("VAE %-24s training step (batch %d) %.1f ms; encode %.3f ms/image; decode %.3f ms/image (%.0f images/s)\n",
                  row.name, batch, 1e3 * row.step, 1e3 * row.enc, 1e3 * row.dec, 1 / row.dec);
  }
  return 0;
}

}  // namespace gb::cli
