// The diffusion lab's settings, declared once (see lab/setting_spec.hpp): `diffusion set NAME VALUE` (and the
// old `diffusion guidance 5` spellings), the Sampler panel's sliders and the flags of `glassbox sample diffusion`.
#include "lab/lab_settings.hpp"
#include "models/diffusion/limits.hpp"

// Rows name only the fields they set (designated initializers); the rest keep SettingSpec's defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gb {

const SettingsTable<DiffusionSettings>& diffusion_settings_table() {
  using S = DiffusionSettings;
  using T = SettingType;
  static const SettingsTable<S> table = {
      {{.name = "sampler", .type = T::choice, .choices = {"ddpm", "ddim"}, .def = 1,
        .help = "how each step removes noise: DDPM (random, needs many steps) or DDIM (can skip steps)",
        .aliases = {"sampler"}, .flag = "sample diffusion"},
       [](const S& s) { return s.sampler.kind == SamplerKind::ddpm ? 0.0 : 1.0; },
       [](S& s, double v) { s.sampler.kind = v == 0 ? SamplerKind::ddpm : SamplerKind::ddim; }},
      {{.name = "steps", .type = T::integer, .lo = kSamplerStepsRange.lo, .hi = kSamplerStepsRange.hi, .def = 50, .unit = "steps",
        .help = "denoising steps from pure noise to a picture (at most the model's T)", .aliases = {"steps"},
        .flag = "sample diffusion", .log_scale = true},
       [](const S& s) { return double(s.sampler.steps); }, [](S& s, double v) { s.sampler.steps = int(v); }},
      {{.name = "guidance", .type = T::real, .lo = kGuidanceRange.lo, .hi = kGuidanceRange.hi, .def = 2.5,
        .help = "classifier-free guidance w: how hard each step pushes towards the class (1 = plain conditional, 0 = ignore the class)",
        .aliases = {"guidance"}, .flag = "sample diffusion"},
       [](const S& s) { return double(s.sampler.guidance); }, [](S& s, double v) { s.sampler.guidance = float(v); }},
      {{.name = "eta", .type = T::real, .lo = kEtaRange.lo, .hi = kEtaRange.hi, .def = 0,
        .help = "DDIM noise η: 0 = deterministic, 1 = as noisy as DDPM", .aliases = {"eta"}, .flag = "sample diffusion"},
       [](const S& s) { return double(s.sampler.eta); }, [](S& s, double v) { s.sampler.eta = float(v); }},
      {{.name = "seed", .type = T::integer, .lo = 0, .hi = 9007199254740992.0, .def = 1,
        .help = "the starting noise's seed", .aliases = {"seed"}, .flag = "sample diffusion"},
       [](const S& s) { return double(s.sampler.seed); }, [](S& s, double v) { s.sampler.seed = uint64_t(v); }},
      {{.name = "point-count", .type = T::integer, .lo = 10, .hi = 5000, .def = 500, .unit = "points",
        .help = "2D: how many points are denoised together", .aliases = {"points"}, .log_scale = true,
        .slider_hi = 2000},
       [](const S& s) { return double(s.points); }, [](S& s, double v) { s.points = int(v); }},
  };
  return table;
}

}  // namespace gb
