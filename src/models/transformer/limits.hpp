// The sampler's limits, declared once for the models layer and the transformer lab's settings table
// (lab/transformer_settings.cpp uses these constants for its rows): sample_step and beam search refuse a value
// outside them with the table's message ("temperature 9: out of range 0.05–5"), never a silent clamp.
#pragma once
#include "core/range.hpp"

namespace gb {

inline constexpr Range kTemperatureRange{0.05, 5};  // logits ÷ T; greedy is its own switch
inline constexpr Range kTopKRange{0, 100000};        // 0 = off; k ≥ the vocabulary keeps every token
inline constexpr Range kTopPRange{0.01, 1};          // 1 = off
inline constexpr Range kBeamRange{0, 8};             // 0 = off (sample)

}  // namespace gb
