// The teach lab's settings, declared once (see lab/setting_spec.hpp): `teach set NAME VALUE` (and the old
// `teach lr 0.001`, `teach beta 0.1`, `teach seed 3`, `teach mix 0.8` spellings) and the panels' sliders.
#include "lab/lab_settings.hpp"

// Rows name only the fields they set (designated initializers); the rest keep SettingSpec's defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gb {

const SettingsTable<TeachSettings>& teach_settings_table() {
  using S = TeachSettings;
  using T = SettingType;
  static const SettingsTable<S> table = {
      {{.name = "lr", .type = T::real, .lo = 1e-6, .hi = 0.1, .def = 1e-3,
        .help = "learning rate: how big each fine-tuning or DPO step is (AdamW)", .aliases = {"lr"}, .log_scale = true},
       [](const S& s) { return double(s.lr); }, [](S& s, double v) { s.lr = float(v); }},
      {{.name = "beta", .type = T::real, .lo = 1e-3, .hi = 10, .def = 0.1,
        .help = "DPO \xce\xb2: how strongly the frozen base holds the model back", .aliases = {"beta"}, .log_scale = true},
       [](const S& s) { return double(s.beta); }, [](S& s, double v) { s.beta = float(v); }},
      {{.name = "seed", .type = T::integer, .lo = 0, .hi = 9007199254740992.0, .def = 1,
        .help = "seed of LoRA's start, the batches, the A/B samples and the mixed corpus", .aliases = {"seed"}},
       [](const S& s) { return double(s.seed); }, [](S& s, double v) { s.seed = uint64_t(v); }},
      {{.name = "mix", .type = T::real, .lo = 0, .hi = 1, .def = 0.5,
        .help = "share of doctor stories where the doctor is \"she\" (the mixed corpus)", .aliases = {"mix"}},
       [](const S& s) { return s.mix; }, [](S& s, double v) { s.mix = v; }},
      {{.name = "rank", .type = T::integer, .lo = 0, .hi = 64, .def = 0,
        .help = "LoRA rank r: small adapters of rank r on every matrix (0: train every weight)"},
       [](const S& s) { return double(s.rank); }, [](S& s, double v) { s.rank = int(v); }},
      {{.name = "steps", .type = T::integer, .lo = 1, .hi = 2000, .def = 30, .unit = "steps",
        .help = "fine-tuning steps of one run (`teach finetune` without a number, and the bias runs)"},
       [](const S& s) { return double(s.steps); }, [](S& s, double v) { s.steps = int(v); }},
  };
  return table;
}

}  // namespace gb
