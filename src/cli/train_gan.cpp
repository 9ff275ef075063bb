// `glassbox train gan`: trains the class-conditional Fashion-MNIST GAN (default) or a 2D toy GAN
// (--data ring|grid|moons|spiral), with a progress bar; writes a .safetensors checkpoint.
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "core/error.hpp"
#include "lab/lab_settings.hpp"
#include "models/gan/gan2d.hpp"
#include "models/gan/image_gan_run.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "train gan";
// --loss and --seed come from the GAN lab's settings table (lab/gan_settings.cpp): the values and messages of
// `gan set loss …` / `gan set seed …`.
const std::vector<FlagSpec>& flag_spec() {
  static const std::vector<FlagSpec> spec = [] {
    std::vector<FlagSpec> v = {{"--data", true, "NAME     fashion-mnist (default) | ring | grid | moons | spiral"}};
    for (const FlagSpec& f : setting_flags(cli_setting_specs("train gan"))) v.push_back(f);
    for (FlagSpec f : std::vector<FlagSpec>{
             {"--preset", true, "NAME    2D preset (see `glassbox train gan --help`), e.g. mode-collapse"},
             {"--fresh", false, "        image GAN: ignore an existing OUT.ckpt.safetensors instead of resuming"},
             {"--out", true, "FILE       where to write the model (.safetensors)"},
             {"--help", false, "         show this help"},
         })
      v.push_back(f);
    return v;
  }();
  return spec;
}

void print_help() {
  std::printf("usage: glassbox train gan [--data fashion-mnist|ring|grid|moons|spiral] [--loss ns|hinge|wgan-gp]\n"
              "                          [--steps N] [--seed S] [--preset NAME] --out FILE\n\n%s\n2D presets:\n",
              usage_lines(flag_spec()).c_str());
  for (const auto& p : gan2d_presets()) std::printf("  %-14s %s\n", p.name.c_str(), p.summary.c_str());
}

// A one-line progress bar on stderr, redrawn in place.
void draw_progress(int64_t step, int64_t total, float d_loss, float g_loss) {
  const int width = 30;
  const int filled = int(double(step) / double(total) * width);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(width - filled), '.');
  std::fprintf(stderr, "\r[%s] %lld/%lld  D loss %.3f  G loss %.3f", bar.c_str(), (long long)step, (long long)total,
               double(d_loss), double(g_loss));
  if (step == total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

std::string joined_command(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}
}  // namespace

int train_gan(int argc, char** argv) {
  // argv: glassbox train gan [flags…]
  Args a(argc, argv, 3, flag_spec());
  check_setting_flags(a, kCmd);  // every number against its row, before any work
  if (a.has("--help")) {
    print_help();
    return 0;
  }
  const std::string data = a.str("--data", "fashion-mnist");
  const std::string out = a.required("--out");
  GanSettings settings;  // the lab's defaults, then --loss / --seed, each checked by its table row
  apply_setting_flags(a, gan_settings_table(), settings, "train gan");
  const uint64_t seed = settings.toy.seed;
  const GanLoss loss = settings.toy.loss;

  const bool image = a.has("--data") ? data == "fashion-mnist" : !a.has("--preset");
  if (image) {
    if (a.has("--preset")) throw UsageError{"--preset applies to the 2D GAN (--data ring|grid|moons|spiral)"};
    if (loss == GanLoss::wgan_gp) throw UsageError{"--loss wgan-gp is available for the 2D GAN only (use ns or hinge)"};
    ImageGanRun run;
    run.out = out;
    run.steps = int64_t(flag_value(a, kCmd, "steps", 12000));
    run.train.seed = seed;
    run.train.loss = loss;
    run.train.batch = int(flag_value(a, kCmd, "batch", 64));
    if (run.train.batch > 1024) throw UsageError{"batch " + a.str("--batch") + ": the image GAN takes 2\xe2\x80\x93" "1024"};
    const double lr = flag_value(a, kCmd, "lr", 2e-4);
    run.train.lr_g = run.train.lr_d = float(lr);
    run.checkpoint_every = int64_t(flag_value(a, kCmd, "checkpoint-every"));
    run.resume = !a.has("--fresh");
    run.command = joined_command(argc, argv);
    std::fprintf(stderr, "training the Fashion-MNIST GAN for %lld steps (seed %llu, loss %s) -> %s\n",
                 (long long)run.steps, (unsigned long long)seed, gan_loss_name(loss), out.c_str());
    run_image_gan_training(run, [&](int64_t step, float dl, float gl) {
      if (step % 10 == 0 || step == run.steps) draw_progress(step, run.steps, dl, gl);
    });
    std::printf("wrote %s (samples every %lld steps in %s.samples.png)\n", out.c_str(),
                (long long)run.checkpoint_every, out.c_str());
    return 0;
  }

  // 2D toy GAN
  Gan2dConfig cfg;
  try {
    if (a.has("--preset")) cfg = gan2d_preset(a.str("--preset"));
    if (a.has("--data")) cfg.data.kind = toy_dataset_from_name(data);
  } catch (const Error& e) {
    throw UsageError{e.what()};
  }
  if (a.has("--loss")) cfg.loss = loss;
  cfg.seed = seed;
  if (a.has("--batch")) cfg.batch = int(flag_value(a, kCmd, "batch", 128));
  if (a.has("--lr")) cfg.lr_g = cfg.lr_d = float(flag_value(a, kCmd, "lr", 1e-3));
  const int64_t steps = int64_t(flag_value(a, kCmd, "steps", 3000));
  Gan2d gan(cfg);
  for (int64_t s = 1; s <= steps; ++s) {
    gan.step();
    if (s % 50 == 0 || s == steps) draw_progress(s, steps, gan.history().back().d_loss, gan.history().back().g_loss);
  }
  auto cov = gan.mode_coverage(2000);
  gan.save(out);
  std::printf("wrote %s: %s on %s, %lld steps; modes covered %d of %d, %.1f%% of fakes near a mode\n", out.c_str(),
              gan_loss_name(cfg.loss), toy_dataset_name(cfg.data.kind), (long long)steps, cov.covered, cov.modes,
              100.0 * cov.quality);
  return 0;
}

}  // namespace gb::cli
