// `glassbox train diffusion`: trains the class-conditional Fashion-MNIST U-Net (default) or a 2D toy
// model (--data swiss-roll|moons|rings|gaussians) with a progress bar; writes a .safetensors model
// (EMA weights) every --checkpoint-every steps and at the end, plus OUT.ckpt.safetensors to resume.
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/toy2d.hpp"
#include "models/diffusion/train.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "train diffusion";
// The numbers come from their rows (lab/command_flags.cpp): range, default, help and message.
const std::vector<FlagSpec> kSpec = with_setting_flags({
    {"--data", true, "NAME     fashion-mnist (default) | swiss-roll | moons | rings | gaussians"},
    {"--out", true, "FILE      where to write the model (.safetensors)"},
    {"--channels", true, "C0,C1 U-Net channels at 14×14 and 7×7 (default 32,64; multiples of 8)"},
    {"--schedule", true, "NAME noise schedule: linear (default) | cosine"},
    {"--fresh", false, "       ignore an existing OUT.ckpt.safetensors instead of resuming"},
    {"--f32", false, "         store weights as float32 (default: fp16 for images, f32 for 2D)"},
    {"--help", false, "        show this help"},
}, kCmd);

void draw_progress(int64_t step, int64_t total, float loss, double eta) {
  const int width = 30;
  const int filled = int(double(step) / double(total) * width);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(width - filled), '.');
  std::fprintf(stderr, "\r[%s] %lld/%lld  loss %.4f  %.0fs left   ", bar.c_str(), (long long)step, (long long)total, loss, eta);
  std::fflush(stderr);
}
}  // namespace

int train_diffusion(int argc, char** argv) {
  Args a(argc, argv, 3, kSpec);
  check_setting_flags(a, kCmd);  // every number against its row, before any work
  if (a.has("--help")) {
    std::printf("usage: glassbox train diffusion [--data fashion-mnist|swiss-roll|moons|rings|gaussians] --out FILE\n"
                "                                [--channels C0,C1] [--steps N] [--batch B] [--lr X] [--seed S]\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  DiffusionTrainConfig cfg;
  cfg.data = a.str("--data", "fashion-mnist");
  const bool image = cfg.data == "fashion-mnist";
  if (!image && !is_toy2d(cfg.data))
    throw UsageError{"--data: unknown data set `" + cfg.data + "` (fashion-mnist, swiss-roll, moons, rings, gaussians)"};
  const std::string out = a.required("--out");
  cfg.steps = int64_t(flag_value(a, kCmd, "steps", image ? 5000 : 20000));
  cfg.batch = int(flag_value(a, kCmd, "batch", image ? 32 : 256));
  cfg.lr = float(flag_value(a, kCmd, "lr", image ? 1.5e-3 : 3e-3));
  cfg.seed = uint64_t(flag_value(a, kCmd, "seed"));
  cfg.schedule = schedule_from_name(a.str("--schedule", "linear"));
  if (a.has("--channels") && !image) throw UsageError{"--channels: only for --data fashion-mnist (the U-Net)"};
  a.int_pair("--channels", 256, "48,96", cfg.unet.c0, cfg.unet.c1);
  if (cfg.unet.c0 % cfg.unet.groups || cfg.unet.c1 % cfg.unet.groups)
    throw UsageError{"--channels: both must be multiples of " + std::to_string(cfg.unet.groups) +
                     " (the GroupNorm groups), got " + a.str("--channels")};
  if (!image) {
    cfg.warmup = 100;
    cfg.label_dropout = 0;
    cfg.ema_decay = 0.995f;
  }
  const int64_t every = int64_t(flag_value(a, kCmd, "checkpoint-every"));
  const bool fp16 = image && !a.has("--f32");
  Eigen::setNbThreads(int(flag_value(a, kCmd, "threads")));
  const std::string ckpt = out + ".ckpt.safetensors";

  DiffusionTrainer trainer(cfg);
  if (image) {
    const auto ema = trainer.ema_model();
    std::fprintf(stderr, "training a class-conditional U-Net (channels %d at 14×14, %d at 7×7; %zu parameters) for %lld steps, batch %d, seed %llu -> %s\n",
                 cfg.unet.c0, cfg.unet.c1, static_cast<const UNet&>(*ema).params.count(), (long long)cfg.steps, cfg.batch,
                 (unsigned long long)cfg.seed, out.c_str());
  }
  if (!a.has("--fresh") && file_exists(ckpt)) {
    try {
      trainer.load_checkpoint(ckpt);
    } catch (const Error& e) {  // a damaged state: say what, write nothing, offer a fresh start
      std::fprintf(stderr,
                   "glassbox: cannot resume: %s\nNothing was written: %s and %s are left as they were.\n"
                   "To start fresh, use a new --out (or add --fresh to start over in place, which replaces %s at the "
                   "first checkpoint).\n",
                   e.what(), ckpt.c_str(), out.c_str(), ckpt.c_str());
      return 1;
    }
    std::fprintf(stderr, "resuming from %s at step %lld\n", ckpt.c_str(), (long long)trainer.step());
  }
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  const std::map<std::string, std::string> meta = {{"glassbox.command", command}};
  auto t0 = std::chrono::steady_clock::now();
  const int64_t first = trainer.step();
  double smooth = 0;
  while (!trainer.finished()) {
    float loss = trainer.train_step();
    smooth = trainer.step() == first + 1 ? loss : 0.98 * smooth + 0.02 * loss;
    const int64_t s = trainer.step();
    if (s % 10 == 0 || trainer.finished()) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      draw_progress(s, cfg.steps, float(smooth), secs / double(s - first) * double(cfg.steps - s));
    }
    if (s % every == 0 && !trainer.finished()) {
      trainer.save_model(out, fp16, meta);
      trainer.save_checkpoint(ckpt);
      std::fprintf(stderr, "\nstep %lld: loss %.4f, saved %s\n", (long long)s, smooth, out.c_str());
    }
  }
  trainer.save_model(out, fp16, meta);
  trainer.save_checkpoint(ckpt);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "\n");
  std::printf("trained %lld steps in %.1f s, final loss (smoothed) %.4f; wrote %s\n", (long long)(cfg.steps - first), secs,
              smooth, out.c_str());
  return 0;
}

}  // namespace gb::cli
