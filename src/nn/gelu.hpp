// GELU, tanh form (GPT-2's "gelu_new", PyTorch approximate="tanh"): the one definition in Glassbox.
//   y = ½x(1 + tanh(u)),  u = √(2/π)(x + 0.044715x³)
//   y' = ½(1 + tanh u) + ½x(1 − tanh²u) · √(2/π)(1 + 3·0.044715x²)
// Scalar forms (std::tanh; inference, nn/linear's Act::gelu, panels) and array forms with Eigen's
// vectorised tanh (training; they keep tanh(u) for backward).
#pragma once
#include <cmath>
#include <cstddef>

namespace gb {

inline constexpr float kGeluK = 0.7978845608028654f;  // √(2/π)
inline constexpr float kGeluC = 0.044715f;

inline float gelu_tanh(float x) { return 0.5f * x * (1.0f + std::tanh(kGeluK * (x + kGeluC * x * x * x))); }
// d GELU / dx at x.
inline float gelu_tanh_grad(float x) {
  const float t = std::tanh(kGeluK * (x + kGeluC * x * x * x));
  return 0.5f * (1 + t) + 0.5f * x * (1 - t * t) * kGeluK * (1 + 3 * kGeluC * x * x);
}

// y = GELU(x) for n values; th = tanh(u) kept for gelu_backward.
void gelu_forward(float* y, float* th, const float* x, size_t n);
// dx += dy · GELU'(x), from th = tanh(u) of gelu_forward.
void gelu_backward(float* dx, const float* dy, const float* x, const float* th, size_t n);

}  // namespace gb
