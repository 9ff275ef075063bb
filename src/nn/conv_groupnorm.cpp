// GroupNorm forward / backward.
#include "nn/conv_groupnorm.hpp"

#include <cmath>
#include <cstddef>

#include <Eigen/Core>

namespace gb {

void groupnorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                       const GroupNormShape& s, float eps) {
  const int cg = s.C / s.G;  // channels per group
  const size_t gsize = size_t(cg) * s.HW;
  for (int n = 0; n < s.N; ++n)
    for (int g = 0; g < s.G; ++g) {
      const size_t base = (size_t(n) * s.C + size_t(g) * cg) * s.HW;
      const float* xg = x + base;  // (cg, HW)
      // two passes (mean, then squared deviations) in float lanes, vectorised by Eigen
      Eigen::Map<const Eigen::ArrayXf> X(xg, Eigen::Index(gsize));
      const double mu = double(X.sum()) / double(gsize);
      const double sum2 = double((X - float(mu)).square().sum());
      const float m = float(mu);
      const float r = float(1.0 / std::sqrt(sum2 / double(gsize) + eps));  // biased variance, like PyTorch
      if (mean) mean[n * s.G + g] = m;
      if (rstd) rstd[n * s.G + g] = r;
      for (int c = 0; c < cg; ++c) {
        const int ch = g * cg + c;
        const float a = gamma[ch] * r, b = beta[ch] - m * a;
        const float* xc = xg + size_t(c) * s.HW;
        float* yc = y + base + size_t(c) * s.HW;
        Eigen::Map<Eigen::ArrayXf>(yc, s.HW) = Eigen::Map<const Eigen::ArrayXf>(xc, s.HW) * a + b;
      }
    }
}

void groupnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* mean,
                        const float* rstd, const float* gamma, const GroupNormShape& s) {
  const int cg = s.C / s.G;
  const double gsize = double(cg) * s.HW;
  for (int n = 0; n < s.N; ++n)
    for (int g = 0; g < s.G; ++g) {
      const size_t base = (size_t(n) * s.C + size_t(g) * cg) * s.HW;
      const float m = mean[n * s.G + g], r = rstd[n * s.G + g];
      // dxhat = dy·gamma; dx = r · (dxhat − mean(dxhat) − xhat · mean(dxhat·xhat))
      double s1 = 0, s2 = 0;  // Σ dxhat, Σ dxhat·xhat
      for (int c = 0; c < cg; ++c) {
        const int ch = g * cg + c;
        const float* xc = x + base + size_t(c) * s.HW;
        const float* dyc = dy + base + size_t(c) * s.HW;
        double gs = 0, bs = 0;  // Σ dy·xhat, Σ dy for this channel
        for (int i = 0; i < s.HW; ++i) {
          float xh = (xc[i] - m) * r;
          gs += double(dyc[i]) * xh;
          bs += dyc[i];
        }
        if (dgamma) dgamma[ch] += float(gs);
        if (dbeta) dbeta[ch] += float(bs);
        s1 += bs * gamma[ch];
        s2 += gs * gamma[ch];
      }
      if (!dx) continue;
      const float k1 = float(s1 / gsize), k2 = float(s2 / gsize);
      for (int c = 0; c < cg; ++c) {
        const int ch = g * cg + c;
        const float* xc = x + base + size_t(c) * s.HW;
        const float* dyc = dy + base + size_t(c) * s.HW;
        float* dxc = dx + base + size_t(c) * s.HW;
        for (int i = 0; i < s.HW; ++i) {
          float xh = (xc[i] - m) * r;
          dxc[i] += r * (dyc[i] * gamma[ch] - k1 - xh * k2);
        }
      }
    }
}

}  // namespace gb
