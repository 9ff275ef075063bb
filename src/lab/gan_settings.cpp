// The GAN lab's settings (the 2D game), declared once (see lab/setting_spec.hpp): `gan set NAME VALUE` (and the
// old `gan lr 0.001`, `gan k 3`, … spellings), the Playground panel's sliders and the flags of `glassbox train gan`.
#include "lab/lab_settings.hpp"

#include "models/gan/losses.hpp"

// Rows name only the fields they set (designated initializers); the rest keep SettingSpec's defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gb {

const SettingsTable<GanSettings>& gan_settings_table() {
  using S = GanSettings;
  using T = SettingType;
  static const SettingsTable<S> table = {
      {{.name = "loss", .type = T::choice, .choices = {"ns", "hinge", "wgan-gp"}, .def = 0,
        .help = "the game's scoring: non-saturating, hinge or Wasserstein with gradient penalty", .aliases = {"loss"},
        .flag = "train gan"},
       [](const S& s) { return double(int(s.toy.loss)); }, [](S& s, double v) { s.toy.loss = GanLoss(int(v)); }},
      {{.name = "optim", .type = T::choice, .choices = {"adam", "sgd"}, .def = 0,
        .help = "the optimiser of both networks (changing it resets its memory)", .aliases = {"optim"}},
       [](const S& s) { return double(int(s.toy.optim)); }, [](S& s, double v) { s.toy.optim = Optim(int(v)); }},
      {{.name = "lr-g", .type = T::real, .lo = 1e-5, .hi = 1, .def = 1e-3,
        .help = "the generator's learning rate (`gan lr G [D]` sets both)", .log_scale = true, .slider_hi = 0.1},
       [](const S& s) { return double(s.toy.lr_g); }, [](S& s, double v) { s.toy.lr_g = float(v); }},
      {{.name = "lr-d", .type = T::real, .lo = 1e-5, .hi = 1, .def = 1e-3,
        .help = "the discriminator's learning rate", .log_scale = true, .slider_hi = 0.1},
       [](const S& s) { return double(s.toy.lr_d); }, [](S& s, double v) { s.toy.lr_d = float(v); }},
      {{.name = "k", .type = T::integer, .lo = 1, .hi = 100, .def = 1, .unit = "D steps",
        .help = "discriminator steps per generator step", .aliases = {"k"}},
       [](const S& s) { return double(s.toy.k_d); }, [](S& s, double v) { s.toy.k_d = int(v); }},
      {{.name = "speed", .type = T::real, .lo = 1, .hi = 2000, .def = 120, .unit = "steps/s",
        .help = "Run mode speed", .aliases = {"speed"}, .log_scale = true},
       [](const S& s) { return double(s.speed); }, [](S& s, double v) { s.speed = float(v); }},
      {{.name = "seed", .type = T::integer, .lo = 0, .hi = 9007199254740992.0, .def = 1,
        .help = "2D: the seed of fresh networks and every random draw (setting it starts afresh)", .aliases = {"seed"},
        .flag = "train gan"},
       [](const S& s) { return double(s.toy.seed); }, [](S& s, double v) { s.toy.seed = uint64_t(v); }},
  };
  return table;
}

}  // namespace gb
