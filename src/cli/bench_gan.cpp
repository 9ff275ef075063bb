// `glassbox bench gan [--json]`: speed of the GAN engines — 2D GAN training steps, image-GAN
// sampling and training steps — printed as numbers (no pass/fail).
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/bench_util.hpp"
#include "core/rng.hpp"
#include "models/gan/gan2d.hpp"
#include "models/gan/image_gan.hpp"

namespace gb::cli {

int bench_gan(int argc, char** argv) {
  const std::vector<FlagSpec> spec = {{"--json", false, "        print one JSON object"},
                                      {"--help", false, "        show this help"}};
  Args a(argc, argv, 3, spec);
  if (a.has("--help")) {
    std::printf("usage: glassbox bench gan [--json]\n\n%s", usage_lines(spec).c_str());
    return 0;
  }
  // 2D GAN: one step = one D update + one G update on 128 points (ring preset).
  Gan2d g2(gan2d_preset("ring"));
  const double t2d = per_call([&] { g2.step(); }, 0.5);
  const double tfield = per_call([&] { (void)g2.disc_field(64, -2.5f, 2.5f); }, 0.2);

  // Image GAN at the shipped size, random weights and synthetic images (no dataset needed).
  ImageGanConfig mc;
  ImageGanTrainConfig tc;
  ImageGanTrainer tr(mc, tc);
  FashionMnist fake;
  fake.count = 256;
  fake.images.resize(size_t(fake.count) * 784);
  fake.labels.resize(size_t(fake.count));
  Rng r(1);
  for (auto& p : fake.images) p = uint8_t(r.below(256));
  for (auto& l : fake.labels) l = uint8_t(r.below(10));
  const double tstep = per_call([&] { tr.train_step(fake); }, 1.0);
  std::vector<int> labels(64);
  for (int i = 0; i < 64; ++i) labels[size_t(i)] = i % 10;
  std::vector<float> z(size_t(64) * mc.z_dim);
  for (auto& v : z) v = r.normal_f();
  const double tgen = per_call([&] { (void)tr.model.generate(z, labels); }, 0.5);

  if (a.has("--json")) {
    std::printf("{\"gan2d_step_ms\": %.4f, \"gan2d_field64_ms\": %.4f, \"image_train_step_ms\": %.3f, "
                "\"image_train_batch\": %d, \"image_generate_per_image_ms\": %.4f}\n",
                1e3 * t2d, 1e3 * tfield, 1e3 * tstep, tc.batch, 1e3 * tgen / 64);
  } else {
    std::printf("2D GAN (ring preset, batch %d): %.3f ms per step (D+G), %.0f steps/s\n", g2.config().batch, 1e3 * t2d,
                1 / t2d);
    std::printf("2D GAN discriminator field 64×64: %.3f ms\n", 1e3 * tfield);
    std::printf("image GAN training step (batch %d, D+G): %.1f ms\n", tc.batch, 1e3 * tstep);
    std::printf("image GAN sampling: %.3f ms per image (batch 64), %.0f images/s\n", 1e3 * tgen / 64, 64 / tgen);
  }
  return 0;
}

}  // namespace gb::cli
