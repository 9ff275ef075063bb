// Batch normalisation forward (train/eval) and backward.
#include "nn/batchnorm.hpp"

#include <cmath>
#include <cstddef>

namespace gb {

// [SECTION] forward
void batchnorm_forward_train(float* y, float* xhat, float* invstd, float* running_mean, float* running_var,
                             const float* x, const float* gamma, const float* beta, const BatchNormShape& s,
                             float momentum, float eps) {
  const size_t M = size_t(s.N) * s.HW;  // values per channel
  for (int c = 0; c < s.C; ++c) {
    double sum = 0, sq = 0;
    for (int n = 0; n < s.N; ++n) {
      const float* p = x + (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) sum += p[i];
    }
    const double mean = sum / double(M);
    for (int n = 0; n < s.N; ++n) {
      const float* p = x + (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) sq += (p[i] - mean) * (p[i] - mean);
    }
    const double var = sq / double(M);  // biased, used to normalise
    const float is = float(1.0 / std::sqrt(var + eps));
    invstd[c] = is;
    for (int n = 0; n < s.N; ++n) {
      const size_t o = (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) {
        const float h = (x[o + i] - float(mean)) * is;
        xhat[o + i] = h;
        y[o + i] = gamma[c] * h + beta[c];
      }
    }
    if (running_mean && running_var) {
      const double unbiased = M > 1 ? sq / double(M - 1) : var;
      running_mean[c] = (1 - momentum) * running_mean[c] + momentum * float(mean);
      running_var[c] = (1 - momentum) * running_var[c] + momentum * float(unbiased);
    }
  }
}

void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, const BatchNormShape& s,
                            float eps) {
  for (int c = 0; c < s.C; ++c) {
    const float k = gamma[c] / std::sqrt(running_var[c] + eps);
    const float b = beta[c] - k * running_mean[c];
    for (int n = 0; n < s.N; ++n) {
      const size_t o = (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) y[o + i] = k * x[o + i] + b;
    }
  }
}

// [SECTION] backward
// dx = invstd/M · (M·g − Σg − xhat·Σ(g·xhat)) with g = dy·gamma (the mean and variance depend on x).
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* xhat,
                        const float* invstd, const float* gamma, const BatchNormShape& s) {
  const double M = double(s.N) * s.HW;
  for (int c = 0; c < s.C; ++c) {
    double sum_dy = 0, sum_dy_xhat = 0;
    for (int n = 0; n < s.N; ++n) {
      const size_t o = (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) {
        sum_dy += dy[o + i];
        sum_dy_xhat += double(dy[o + i]) * xhat[o + i];
      }
    }
    dgamma[c] += float(sum_dy_xhat);  // term: d/dgamma
    dbeta[c] += float(sum_dy);        // term: d/dbeta
    const float k = gamma[c] * invstd[c];
    const float mean_dy = float(sum_dy / M), mean_dy_xhat = float(sum_dy_xhat / M);
    for (int n = 0; n < s.N; ++n) {
      const size_t o = (size_t(n) * s.C + c) * s.HW;
      for (int i = 0; i < s.HW; ++i) dx[o + i] += k * (dy[o + i] - mean_dy - xhat[o + i] * mean_dy_xhat);
    }
  }
}

}  // namespace gb
