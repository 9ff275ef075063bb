// GAN losses and their derivatives with respect to the discriminator's scores.
#include "models/gan/losses.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gb {

GanLoss gan_loss_from_name(const std::string& name) {
  if (name == "ns") return GanLoss::ns;
  if (name == "hinge") return GanLoss::hinge;
  if (name == "wgan-gp" || name == "wgan_gp") return GanLoss::wgan_gp;
  fail("unknown GAN loss `" + name + "` (accepted: ns, hinge, wgan-gp)");
}

const char* gan_loss_name(GanLoss l) {
  switch (l) {
    case GanLoss::ns: return "ns";
    case GanLoss::hinge: return "hinge";
    case GanLoss::wgan_gp: return "wgan-gp";
  }
  return "?";
}

float softplus(float x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
float sigmoid(float x) {
  if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
  const float e = std::exp(x);
  return e / (1.0f + e);
}

float gan_d_loss(GanLoss l, const float* real, int n_real, const float* fake, int n_fake, float* dreal, float* dfake) {
  double loss = 0;
  const float kr = 1.0f / float(n_real), kf = 1.0f / float(n_fake);
  for (int i = 0; i < n_real; ++i) {
    const float r = real[i];
    switch (l) {
      case GanLoss::ns: loss += kr * softplus(-r); dreal[i] = -kr * sigmoid(-r); break;  // −log σ(r)
      case GanLoss::hinge: loss += kr * std::max(0.0f, 1 - r); dreal[i] = r < 1 ? -kr : 0.0f; break;
      case GanLoss::wgan_gp: loss -= kr * r; dreal[i] = -kr; break;
    }
  }
  for (int i = 0; i < n_fake; ++i) {
    const float f = fake[i];
    switch (l) {
      case GanLoss::ns: loss += kf * softplus(f); dfake[i] = kf * sigmoid(f); break;  // −log(1 − σ(f))
      case GanLoss::hinge: loss += kf * std::max(0.0f, 1 + f); dfake[i] = f > -1 ? kf : 0.0f; break;
      case GanLoss::wgan_gp: loss += kf * f; dfake[i] = kf; break;
    }
  }
  return float(loss);
}

float gan_g_loss(GanLoss l, const float* fake, int n, float* dfake) {
  double loss = 0;
  const float k = 1.0f / float(n);
  for (int i = 0; i < n; ++i) {
    const float f = fake[i];
    if (l == GanLoss::ns) {
      loss += k * softplus(-f);  // −log σ(f)
      dfake[i] = -k * sigmoid(-f);
    } else {
      loss -= k * f;
      dfake[i] = -k;
    }
  }
  return float(loss);
}

}  // namespace gb
