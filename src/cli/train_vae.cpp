// `glassbox train vae`: trains a Fashion-MNIST VAE — unconditional with a 2D latent (default) or
// class-conditional (--conditional) — with a progress bar showing both loss terms; writes the model
// (fp16) with its config and training record, plus OUT.ckpt.safetensors (fp32 + AdamW state) to resume.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "core/error.hpp"
#include "models/vae/vae_train.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "train vae";
// The numbers (--latent, --beta, --kl-warmup, --steps, --batch, --lr, --seed, --checkpoint-every) are rows of
// lab/command_flags.cpp: their ranges, defaults and messages (`vae train start beta B …` checks the same rows).
const std::vector<FlagSpec>& flag_spec() {
  static const std::vector<FlagSpec> spec = [] {
    std::vector<FlagSpec> v = {
        {"--data", true, "NAME       fashion-mnist (the only data set for now)"},
        {"--conditional", false, "   give the class (one-hot) to encoder and decoder"},
        {"--hidden", true, "H1,H2    hidden layer widths (default 512,256)"},
        {"--decoder", true, "NAME    mlp (default) or conv: upsampling + 3×3 convolutions from a 7×7 grid"},
        {"--conv-channels", true, "K0,K1  conv decoder channels at 7×7 and at 14×14/28×28 (default 64,32)"},
    };
    for (const FlagSpec& f : setting_flags(cli_setting_specs("train vae"))) v.push_back(f);
    v.push_back({"--fresh", false, "         ignore an existing OUT.ckpt.safetensors instead of resuming"});
    v.push_back({"--out", true, "FILE        where to write the model (.safetensors)"});
    v.push_back({"--help", false, "          show this help"});
    return v;
  }();
  return spec;
}

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
  const std::vector<FlagSpec>& kSpec = flag_spec();
  Args a(argc, argv, 3, kSpec);
  check_setting_flags(a, "train vae");
  if (a.has("--help")) {
    std::printf("usage: glassbox train vae --data fashion-mnist [--latent Z] [--conditional] [--beta B] [--kl-warmup N]\n"
                "                          [--hidden H1,H2] [--decoder mlp|conv] [--conv-channels K0,K1]\n"
                "                          [--steps N] [--batch B] [--lr LR] [--seed S] [--prior-components K] --out FILE\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  const std::string data = a.str("--data", "fashion-mnist");
  if (data != "fashion-mnist") throw UsageError{"--data: unknown data set `" + data + "` (fashion-mnist)"};
  VaeRun run;
  run.out = a.required("--out");
  run.model.n_classes = a.has("--conditional") ? 10 : 0;
  run.model.latent = int(flag_value(a, kCmd, "latent", a.has("--conditional") ? 16 : 2));
  a.int_pair("--hidden", 4096, "512,256", run.model.hidden1, run.model.hidden2);
  const std::string decoder = a.str("--decoder", "mlp");
  if (decoder != "mlp" && decoder != "conv") throw UsageError{"--decoder: expected mlp or conv, got `" + decoder + "`"};
  run.model.conv = decoder == "conv";
  if (a.has("--conv-channels") && !run.model.conv) throw UsageError{"--conv-channels: only with --decoder conv"};
  a.int_pair("--conv-channels", 512, "64,32", run.model.conv_ch0, run.model.conv_ch1);
  run.train.beta = float(flag_value(a, kCmd, "beta"));
  run.train.kl_warmup = int64_t(flag_value(a, kCmd, "kl-warmup"));
  run.train.steps = int64_t(flag_value(a, kCmd, "steps"));
  run.train.batch = int(flag_value(a, kCmd, "batch"));
  run.train.lr = float(flag_value(a, kCmd, "lr"));
  run.train.seed = uint64_t(flag_value(a, kCmd, "seed"));
  run.checkpoint_every = int64_t(flag_value(a, kCmd, "checkpoint-every"));
  run.prior_components = int(flag_value(a, kCmd, "prior-components"));
  run.resume = !a.has("--fresh");
  for (int i = 0; i < argc; ++i) run.command += (i ? " " : "") + std::string(argv[i]);

  std::fprintf(stderr, "training a %s VAE (%s decoder, latent %d, β %g) for %lld steps, batch %d, seed %llu -> %s\n",
               run.model.conditional() ? "class-conditional" : "unconditional", run.model.conv ? "conv" : "MLP",
               run.model.latent,
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
