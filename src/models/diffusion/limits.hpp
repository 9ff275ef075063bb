// The diffusion sampler's limits, declared once for the models layer and the diffusion lab's settings table
// (lab/diffusion_settings.cpp uses these constants for its rows): Sampler refuses a value outside them with the
// table's message ("guidance 25: out of range 0–20"), never a silent clamp.
#pragma once
#include "core/range.hpp"

namespace gb {

inline constexpr Range kGuidanceRange{0, 20};       // classifier-free guidance w (1 = plain conditional)
inline constexpr Range kEtaRange{0, 1};             // DDIM noise η (0 = deterministic, 1 ≈ DDPM)
inline constexpr Range kSamplerStepsRange{1, 1000}; // and at most the model's T

}  // namespace gb
