// `glassbox train vae`: trains a Fashion-MNIST VAE — unconditional with a 2D latent (default) or
// class-conditional (--conditional) — with a progress bar showing both loss terms; writes the model
// (fp16) with its config and training record, plus OUT.ckpt.safetensors (fp32 + AdamW state) to resume.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "models/vae/vae_train.hpp"

namespace gb::cli {

namespace {
const std::vector<FlagSpec> kSpec = {
    {"--data", true, "NAME       fashion-mnist (the only data set for now)"},
    {"--latent", true, "Z        latent size (default 2 unconditional, 16 conditional)"},
    {"--conditional", false, "   give the class (one-hot) to encoder and decoder"},
    {"--hidden", true, "H1,H2    hidden layer widths (default 512,256)"},
    {"--beta", true, "B          weight of the KL term (default 1; 0 = plain autoencoder)"},
    {"--kl-warmup", true, "N     ramp β from 0 over the first N steps (default 0 = off)"},
    {"--steps", true, "N         training steps (default 10000)"},
    {"--batch", true, "B         images per step (default 128)"},
    {"--lr", true, "LR           peak learning rate, cosine decay to LR/10 (default 1e-3)"},
    {"--seed", true, "S          random seed (default 1)"},
    {"--checkpoint-every", true, "N  save OUT.ckpt.safetensors every N steps (default 1000; 0 = never)"},
    {"--fresh", false, "         ignore an existing OUT.ckpt.safetensors instead of resuming"},
    {"--out", true, "FILE        where to write the model (.safetensors)"},
    {"--help", false, "          show this help"},
};

void draw_progress(int64_t step, int64_t total, const VaeLoss& L, double eta) {
  const int width = 30;
  const int filled = int(double(step) / double(total) * width);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(width - filled), '.');
  std::fprintf(stderr, "\r[%s] %lld/%lld  reconstruction %.1f  KL %.2f nats  %.0fs left   ", bar.c_str(),
               (long long)step, (long long)total, L.rec, L.kl, eta);
  if (step == total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}
}  // namespace

int train_vae(int argc, char** argv) {
  Args a(argc, argv, 3, kSpec);
  if (a.has("--help")) {
    std::printf("usage: glassbox train vae --data fashion-mnist [--latent Z] [--conditional] [--beta B] [--kl-warmup N]\n"
                "                          [--steps N] [--batch B] [--lr LR] [--seed S] --out FILE\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  const std::string data = a.str("--data", "fashion-mnist");
  if (data != "fashion-mnist") throw UsageError{"--data: unknown data set `" + data + "` (fashion-mnist)"};
  VaeRun run;
  run.out = a.required("--out");
  run.model.n_classes = a.has("--conditional") ? 10 : 0;
  run.model.latent = int(a.integer("--latent", a.has("--conditional") ? 16 : 2, 1, 256));
  if (a.has("--hidden")) {
    const std::string h = a.str("--hidden");
    int h1 = 0, h2 = 0;
    char tail = 0;
    if (std::sscanf(h.c_str(), "%d,%d%c", &h1, &h2, &tail) != 2 || h1 < 1 || h2 < 1 || h1 > 4096 || h2 > 4096)
      throw UsageError{"--hidden: expected two widths 1–4096 like 512,256, got `" + h + "`"};
    run.model.hidden1 = h1;
    run.model.hidden2 = h2;
  }
  run.train.beta = float(a.number("--beta", 1.0, 0.0, 1000.0));
  run.train.kl_warmup = a.integer("--kl-warmup", 0, 0, 100000000);
  run.train.steps = a.integer("--steps", 10000, 1, 100000000);
  run.train.batch = int(a.integer("--batch", 128, 1, 4096));
  run.train.lr = float(a.number("--lr", 1e-3, 1e-7, 1.0));
  run.train.seed = uint64_t(a.integer("--seed", 1, 0, 1L << 62));
  run.checkpoint_every = a.integer("--checkpoint-every", 1000, 0, 100000000);
  run.resume = !a.has("--fresh");
  for (int i = 0; i < argc; ++i) run.command += (i ? " " : "") + std::string(argv[i]);

  std::fprintf(stderr, "training a %s VAE (latent %d, β %g) for %lld steps, batch %d, seed %llu -> %s\n",
               run.model.conditional() ? "class-conditional" : "unconditional", run.model.latent,
               double(run.train.beta), (long long)run.train.steps, run.train.batch,
               (unsigned long long)run.train.seed, run.out.c_str());
  const auto t0 = std::chrono::steady_clock::now();
  int64_t first = -1;
  const VaeLoss T = run_vae_training(run, [&](int64_t step, const VaeLoss& L) {
    if (first < 0) first = step - 1;
    if (step % 20 == 0 || step == run.train.steps) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double eta = secs / double(step - first) * double(run.train.steps - step);
      draw_progress(step, run.train.steps, L, eta);
    }
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wrote %s (%.0f s): test set reconstruction %.2f + KL %.2f = negative ELBO %.2f nats per image\n",
              run.out.c_str(), secs, T.rec, T.kl, T.rec + T.kl);
  return 0;
}

}  // namespace gb::cli
