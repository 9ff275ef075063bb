// The VAE lab's settings, declared once (see lab/setting_spec.hpp): `vae set NAME VALUE` (and the old
// `vae seed 3`, `vae temperature 0.5`, `vae grid 4` spellings), the samples panel's controls and the flags of
// `glassbox sample vae`.
#include "lab/lab_settings.hpp"

// Rows name only the fields they set (designated initializers); the rest keep SettingSpec's defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gb {

const SettingsTable<VaeSettings>& vae_settings_table() {
  using S = VaeSettings;
  using T = SettingType;
  static const SettingsTable<S> table = {
      {{.name = "seed", .type = T::integer, .lo = 0, .hi = 9007199254740992.0, .def = 1,
        .help = "seed of the prior draw (sample j uses seed + j)", .aliases = {"seed"}, .flag = "sample vae"},
       [](const S& s) { return double(s.seed); }, [](S& s, double v) { s.seed = uint64_t(v); }},
      {{.name = "temperature", .type = T::real, .lo = 0, .hi = 3, .def = 1,
        .help = "scale of ε for prior samples: z = T·ε, or m_k + T·L_k·ε from a fitted prior (1 = the prior itself, 0 = its centres)", .aliases = {"temperature"},
        .flag = "sample vae"},
       [](const S& s) { return double(s.temperature); }, [](S& s, double v) { s.temperature = float(v); }},
      {{.name = "grid", .type = T::integer, .lo = 1, .hi = 16, .def = 8, .unit = "per class",
        .help = "samples drawn per class in the samples panel", .aliases = {"grid"}},
       [](const S& s) { return double(s.per_class); }, [](S& s, double v) { s.per_class = int(v); }},
      {{.name = "prior", .type = T::choice, .choices = {"fitted", "standard"}, .def = 0,
        .help = "where z is drawn from: fitted = Gaussians fitted to the training pictures' codes (when the model has "
                "them), standard = N(0, I)",
        .flag = "sample vae"},
       [](const S& s) { return double(s.prior); }, [](S& s, double v) { s.prior = int(v); }},
  };
  return table;
}

}  // namespace gb
