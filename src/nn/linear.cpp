// Fully connected layer and activations, forward/backward pairs.
#include "nn/linear.hpp"

#include <cmath>

#include <Eigen/Core>

#include "nn/gelu.hpp"

namespace gb {

// [SECTION] linear
void linear_forward(MatMap out, CMatMap inp, CMatMap W, const float* b) {
  out.noalias() = inp * W.transpose();  // (N, In)·(In, Out) = (N, Out)
  if (b) out.rowwise() += CVecMap(b, out.cols()).transpose();
}

void linear_backward(MatMap dinp, MatMap dW, float* db, CMatMap dout, CMatMap inp, CMatMap W) {
  if (dinp.rows() > 0) dinp.noalias() += dout * W;   // (N, Out)·(Out, In) = (N, In)
  dW.noalias() += dout.transpose() * inp;             // (Out, N)·(N, In) = (Out, In)
  if (db) VecMap(db, dout.cols()) += dout.colwise().sum().transpose();  // (Out)
}

// [SECTION] activations
void act_forward(Act a, float* y, const float* x, size_t n) {
  switch (a) {
    case Act::identity: for (size_t i = 0; i < n; ++i) y[i] = x[i]; break;
    case Act::relu: for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0f; break;
    case Act::leaky_relu: for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.2f * x[i]; break;
    case Act::tanh: for (size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]); break;
    case Act::sigmoid: for (size_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i])); break;
    case Act::silu: for (size_t i = 0; i < n; ++i) y[i] = x[i] / (1.0f + std::exp(-x[i])); break;
    case Act::gelu: for (size_t i = 0; i < n; ++i) y[i] = gelu_tanh(x[i]); break;
  }
}

void act_backward(Act a, float* dx, const float* dy, const float* x, size_t n) {
  switch (a) {
    case Act::identity: for (size_t i = 0; i < n; ++i) dx[i] += dy[i]; break;
    case Act::relu: for (size_t i = 0; i < n; ++i) dx[i] += x[i] > 0 ? dy[i] : 0.0f; break;
    case Act::leaky_relu: for (size_t i = 0; i < n; ++i) dx[i] += x[i] > 0 ? dy[i] : 0.2f * dy[i]; break;
    case Act::tanh:
      for (size_t i = 0; i < n; ++i) { float t = std::tanh(x[i]); dx[i] += dy[i] * (1 - t * t); }
      break;
    case Act::sigmoid:
      for (size_t i = 0; i < n; ++i) { float s = 1.0f / (1.0f + std::exp(-x[i])); dx[i] += dy[i] * s * (1 - s); }
      break;
    case Act::silu:
      for (size_t i = 0; i < n; ++i) {
        float s = 1.0f / (1.0f + std::exp(-x[i]));
        dx[i] += dy[i] * s * (1 + x[i] * (1 - s));  // d/dx x·σ(x) = σ + x·σ·(1−σ)
      }
      break;
    case Act::gelu:
      for (size_t i = 0; i < n; ++i) dx[i] += dy[i] * gelu_tanh_grad(x[i]);
      break;
  }
}

// [SECTION] GELU on arrays (nn/gelu.hpp), with Eigen's vectorised tanh: std::tanh per element
// was a third of a transformer training step.
void gelu_forward(float* y, float* th, const float* x, size_t n) {
  Eigen::Map<const Eigen::ArrayXf> X(x, Eigen::Index(n));  // (n)
  Eigen::Map<Eigen::ArrayXf> Y(y, Eigen::Index(n)), Th(th, Eigen::Index(n));
  Th = (kGeluK * (X + kGeluC * X.cube())).tanh();
  Y = 0.5f * X * (1.0f + Th);
}

void gelu_backward(float* dx, const float* dy, const float* x, const float* th, size_t n) {
  Eigen::Map<const Eigen::ArrayXf> X(x, Eigen::Index(n)), dY(dy, Eigen::Index(n)), Th(th, Eigen::Index(n));
  Eigen::Map<Eigen::ArrayXf> dX(dx, Eigen::Index(n));
  dX += dY * (0.5f * (1.0f + Th) + 0.5f * X * (1.0f - Th * Th) * kGeluK * (1.0f + 3.0f * kGeluC * X * X));
}

const char* act_name(Act a) {
  switch (a) {
    case Act::identity: return "identity";
    case Act::relu: return "ReLU";
    case Act::leaky_relu: return "LeakyReLU(0.2)";
    case Act::tanh: return "tanh";
    case Act::sigmoid: return "sigmoid";
    case Act::silu: return "SiLU";
    case Act::gelu: return "GELU";
  }
  return "?";
}

}  // namespace gb
