// The numeric flags of `glassbox train …`, `sample …` and `generate` that no lab setting covers (steps, batch,
// learning rate, …), declared once as rows of the same SettingSpec type as the labs' settings (see
// lab/setting_spec.hpp): the CLI reads them with cli/setting_flags.hpp's flag_value (range, default, help and
// the one out-of-range message "steps 0: out of range 1–100000000"), and a lab command that takes the same
// number (`vae train start beta B steps N warmup W every M`) checks it against the same row.
#include "lab/lab_settings.hpp"

#include "core/error.hpp"

namespace gb {

namespace {
constexpr double kMaxSteps = 1e8;
constexpr double kMaxSeed = 4611686018427387904.0;  // 2^62

SettingSpec whole(const char* sub, const char* name, double lo, double hi, double def, const char* help,
                  const char* unit = "") {
  SettingSpec s;
  s.name = name;
  s.type = SettingType::integer;
  s.lo = lo;
  s.hi = hi;
  s.def = def;
  s.unit = unit;
  s.help = help;
  s.flag = sub;
  return s;
}
SettingSpec real(const char* sub, const char* name, double lo, double hi, double def, const char* help) {
  SettingSpec s = whole(sub, name, lo, hi, def, help);
  s.type = SettingType::real;
  s.log_scale = lo > 0;
  return s;
}
}  // namespace

const std::vector<SettingSpec>& command_flag_specs() {
  static const std::vector<SettingSpec> rows = {
      // glassbox generate
      whole("generate", "max-new", 0, 1e6, 32, "tokens to generate", "tokens"),
      whole("generate", "top", 0, 1000, 5, "candidates listed per step in --json"),
      whole("generate", "threads", 1, 256, 1, "decoder threads (default when absent: OpenMP's)"),
      // glassbox sample …
      whole("sample diffusion", "n", 1, 100000, 8, "images per class (2D models: points)"),
      whole("sample diffusion", "batch", 1, 4096, 64, "images denoised together"),
      whole("sample diffusion", "threads", 1, 256, 1, "Eigen threads"),
      whole("sample gan", "n", 1, 100000, 10, "images (per class with --class all)"),
      whole("sample gan", "seed", 0, kMaxSeed, 0, "latent seed"),
      whole("sample vae", "n", 1, 100000, 8, "images (per class with --class all)"),
      // glassbox train transformer
      whole("train transformer", "layers", 1, 64, 4, "transformer blocks"),
      whole("train transformer", "heads", 1, 64, 4, "attention heads per block"),
      whole("train transformer", "width", 8, 4096, 128, "residual width (divisible by --heads)"),
      whole("train transformer", "context", 4, 4096, 128, "context length", "tokens"),
      whole("train transformer", "vocab", 260, 65536, 2048, "BPE vocabulary size to train", "tokens"),
      whole("train transformer", "steps", 1, kMaxSteps, 3000, "optimisation steps"),
      whole("train transformer", "batch", 1, 4096, 16, "sequences per step"),
      real("train transformer", "lr", 1e-7, 1, 2e-3, "peak learning rate (warm-up, then cosine to LR/10)"),
      whole("train transformer", "warmup", 0, kMaxSteps, 100, "warm-up steps"),
      whole("train transformer", "seed", 0, kMaxSeed, 1337, "seed for weights and batches"),
      whole("train transformer", "val-every", 0, kMaxSteps, 100, "steps between validation passes (0 = never)"),
      whole("train transformer", "checkpoint-every", 0, kMaxSteps, 250, "steps between checkpoints (0 = never)"),
      whole("train transformer", "threads", 1, 256, 1, "CPU threads"),
      whole("train transformer", "bench", 1, 100000, 10,
            "only measure training tokens/s over N steps on random tokens (no --out needed)"),
      // glassbox train diffusion
      whole("train diffusion", "steps", 1, kMaxSteps, 5000, "training steps (2D data: default 20000)"),
      whole("train diffusion", "batch", 1, 65536, 32, "batch size (2D data: default 256)"),
      real("train diffusion", "lr", 1e-7, 1, 1.5e-3, "peak learning rate (2D data: default 3e-3)"),
      whole("train diffusion", "seed", 0, kMaxSeed, 1, "random seed"),
      whole("train diffusion", "checkpoint-every", 1, kMaxSteps, 1000,
            "save the model and OUT.ckpt.safetensors every N steps"),
      whole("train diffusion", "threads", 1, 256, 1, "Eigen threads"),
      // glassbox train gan (--loss and --seed are the GAN lab's settings)
      whole("train gan", "steps", 1, 1e7, 12000, "training steps (2D: default 3000)"),
      whole("train gan", "batch", 2, 4096, 64, "batch size (2D: default 128; the image GAN takes up to 1024)"),
      real("train gan", "lr", 1e-7, 1, 2e-4, "learning rate of both networks (2D: default 1e-3)"),
      whole("train gan", "checkpoint-every", 0, 1e7, 500,
            "image GAN: save OUT.ckpt.safetensors and OUT.samples.png every N steps (0 = never)"),
      // glassbox train vae (also `vae train start beta B steps N warmup W every M`, with the lab's own defaults)
      whole("train vae", "latent", 1, 256, 2, "latent size (conditional: default 16)"),
      real("train vae", "beta", 0, 100, 1, "weight \xce\xb2 of the KL term (0 = plain autoencoder)"),
      whole("train vae", "kl-warmup", 0, kMaxSteps, 0, "ramp \xce\xb2 from 0 over the first N steps (0 = off)"),
      whole("train vae", "steps", 1, kMaxSteps, 10000, "training steps"),
      whole("train vae", "batch", 1, 4096, 128, "images per step"),
      real("train vae", "lr", 1e-7, 1, 1e-3, "peak learning rate, cosine decay to LR/10"),
      whole("train vae", "seed", 0, kMaxSeed, 1, "random seed"),
      whole("train vae", "checkpoint-every", 0, kMaxSteps, 1000, "save OUT.ckpt.safetensors every N steps (0 = never)"),
      whole("train vae", "prior-components", 0, 64, 0,
            "after training, fit a mixture of K Gaussians per class to the training pictures' codes (0 = keep N(0, I) only)"),
  };
  return rows;
}

const SettingSpec& command_flag(const std::string& subcommand, const std::string& name) {
  for (const SettingSpec& s : command_flag_specs())
    if (s.flag == subcommand && s.name == name) return s;
  fail("`" + subcommand + "` has no flag --" + name);
}

}  // namespace gb
