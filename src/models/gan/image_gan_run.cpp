// Headless image-GAN training run (checkpoints, sample grids) and seeded sampling.
#include "models/gan/image_gan_run.hpp"

#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/gan/image_io.hpp"

namespace gb {

std::vector<uint8_t> sample_image_gan(const ImageGan& m, const std::vector<int>& labels, uint64_t seed) {
  const int Z = m.config().z_dim;
  Rng rng(seed);
  std::vector<float> z(labels.size() * size_t(Z));
  for (auto& v : z) v = rng.normal_f();
  std::vector<uint8_t> out(labels.size() * 784);
  const size_t chunk = 256;  // bounded memory for large N
  for (size_t start = 0; start < labels.size(); start += chunk) {
    const size_t n = std::min(chunk, labels.size() - start);
    std::vector<float> zc(z.begin() + long(start * Z), z.begin() + long((start + n) * Z));
    std::vector<int> lc(labels.begin() + long(start), labels.begin() + long(start + n));
    auto img = m.generate(zc, lc);
    for (size_t i = 0; i < img.size(); ++i) out[start * 784 + i] = model_to_pixel(img[i]);
  }
  return out;
}

void write_class_grid_png(const ImageGan& m, const std::string& path, int per_class, uint64_t seed) {
  std::vector<int> labels;
  for (int c = 0; c < m.config().n_classes; ++c)
    for (int j = 0; j < per_class; ++j) labels.push_back(c);
  auto px = sample_image_gan(m, labels, seed);
  int w = 0, h = 0;
  auto grid = tile_images(px.data(), int(labels.size()), 28, per_class, w, h);
  write_png_gray(path, grid.data(), w, h);
}

void run_image_gan_training(const ImageGanRun& run, const std::function<void(int64_t, float, float)>& progress) {
  if (run.out.empty()) fail("train gan: no output path");
  if (run.steps < 1) fail("train gan: steps must be at least 1");
  const FashionMnist data = load_fashion_mnist("train");
  const std::string ckpt = run.out + ".ckpt.safetensors";
  auto start = [&] {
    if (!(run.resume && file_exists(ckpt))) return ImageGanTrainer(run.model, run.train);
    try {
      return ImageGanTrainer::load_checkpoint(ckpt);
    } catch (const Error& e) {  // a damaged state: say what, write nothing, offer a fresh start
      fail(std::string("cannot resume: ") + e.what() + "\nNothing was written: " + ckpt + " and " + run.out +
           " are left as they were.\nTo start fresh, use a new --out (or add --fresh to start over in place, which replaces " +
           ckpt + " at the first checkpoint).");
    }
  };
  ImageGanTrainer tr = start();
  auto save_final = [&] {
    std::map<std::string, std::string> meta = {{"glassbox.steps", std::to_string(tr.step)},
                                               {"glassbox.seed", std::to_string(tr.tc.seed)},
                                               {"glassbox.loss", gan_loss_name(tr.tc.loss)},
                                               {"glassbox.command", run.command}};
    tr.averaged_model().save(run.out, true, meta);
  };
  while (tr.step < run.steps) {
    auto [dl, gl] = tr.train_step(data);
    if (progress) progress(tr.step, dl, gl);
    if (run.checkpoint_every > 0 && (tr.step % run.checkpoint_every == 0 || tr.step == run.steps)) {
      tr.save_checkpoint(ckpt);
      write_class_grid_png(tr.averaged_model(), run.out + ".samples.png", 10, 7);
    }
  }
  save_final();
}

}  // namespace gb
