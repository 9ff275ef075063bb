// The transformer lab's settings, declared once (see lab/setting_spec.hpp): `transformer set NAME VALUE`,
// the Generate/Probabilities/Beam panels' sliders and the flags of `glassbox generate` all read this table.
#include "lab/lab_settings.hpp"
#include "models/transformer/limits.hpp"

// Rows name only the fields they set (designated initializers); the rest keep SettingSpec's defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gb {

const SettingsTable<TransformerSettings>& transformer_settings_table() {
  using S = TransformerSettings;
  using T = SettingType;
  static const SettingsTable<S> table = {
      {{.name = "temperature", .type = T::real, .lo = kTemperatureRange.lo, .hi = kTemperatureRange.hi, .def = 1,
        .help = "sampling temperature: divide the logits by T (1 = the model's own probabilities, lower = safer, higher = wilder)",
        .flag = "generate"},
       [](const S& s) { return double(s.sampler.temperature); }, [](S& s, double v) { s.sampler.temperature = float(v); }},
      {{.name = "top-k", .type = T::integer, .lo = kTopKRange.lo, .hi = kTopKRange.hi, .def = 0,
        .unit = "tokens", .help = "keep only the K most likely tokens (0 = off)", .flag = "generate",
        .slider_hi = 200},
       [](const S& s) { return double(s.sampler.top_k); }, [](S& s, double v) { s.sampler.top_k = int(v); }},
      {{.name = "top-p", .type = T::real, .lo = kTopPRange.lo, .hi = kTopPRange.hi, .def = 1,
        .help = "keep the most likely tokens until their probabilities add up to P (1 = off)", .flag = "generate"},
       [](const S& s) { return double(s.sampler.top_p); }, [](S& s, double v) { s.sampler.top_p = float(v); }},
      {{.name = "greedy", .type = T::toggle, .def = 0, .help = "always take the most likely token", .flag = "generate"},
       [](const S& s) { return s.sampler.greedy ? 1.0 : 0.0; }, [](S& s, double v) { s.sampler.greedy = v != 0; }},
      {{.name = "beam", .type = T::integer, .lo = kBeamRange.lo, .hi = kBeamRange.hi, .def = 0,
        .unit = "beams", .help = "beam search: keep the B most likely continuations and take the best (0 = off, sample)",
        .flag = "generate"},
       [](const S& s) { return double(s.sampler.beam_width); }, [](S& s, double v) { s.sampler.beam_width = int(v); }},
      {{.name = "beam-depth", .type = T::integer, .lo = 1, .hi = 12, .def = 6,
        .unit = "tokens", .help = "how far the beam tree looks ahead"},
       [](const S& s) { return double(s.beam_depth); }, [](S& s, double v) { s.beam_depth = int(v); }},
      {{.name = "speed", .type = T::real, .lo = 0.5, .hi = 30, .def = 4, .unit = "tokens/s", .help = "Run mode speed"},
       [](const S& s) { return double(s.speed); }, [](S& s, double v) { s.speed = float(v); }},
      {{.name = "max-tokens", .type = T::integer, .lo = 1, .hi = 4096, .def = 200,
        .unit = "tokens", .help = "Run mode pauses after this many generated tokens"},
       [](const S& s) { return double(s.max_tokens); }, [](S& s, double v) { s.max_tokens = int(v); }},
      {{.name = "int8", .type = T::toggle, .def = 0,
        .help = "generate with the weights stored as 8-bit integers (int8): a quarter of the bytes to read per token, a small error in the logits",
        .flag = "generate"},
       [](const S& s) { return s.int8 ? 1.0 : 0.0; }, [](S& s, double v) { s.int8 = v != 0; }},
      {{.name = "fp16", .type = T::toggle, .def = 0,
        .help = "generate with the weights stored as 16-bit floats (fp16): half the bytes to read per token, a tiny error in the logits (int8 wins when both are on)",
        .flag = "generate"},
       [](const S& s) { return s.fp16 ? 1.0 : 0.0; }, [](S& s, double v) { s.fp16 = v != 0; }},
      {{.name = "seed", .type = T::integer, .lo = 0, .hi = 9007199254740992.0, .def = 42,
        .help = "the random stream's seed (setting it goes back to the prompt)", .aliases = {"seed"}, .flag = "generate"},
       [](const S& s) { return double(s.seed); }, [](S& s, double v) { s.seed = uint64_t(v); }},
  };
  return table;
}

}  // namespace gb
