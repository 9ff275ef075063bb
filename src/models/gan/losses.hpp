// GAN losses on the discriminator's raw scores (logits): the non-saturating loss of Goodfellow et al.,
// the hinge loss, and the Wasserstein critic loss (whose gradient penalty lives with each model).
#pragma once
#include <string>

namespace gb {

enum class GanLoss {
  ns,       // non-saturating: D maximises log σ(r) + log(1 − σ(f)); G maximises log σ(f)
  hinge,    // D: relu(1 − r) + relu(1 + f); G: −f
  wgan_gp,  // critic: f − r (+ gradient penalty); G: −f
};

// "ns" | "hinge" | "wgan-gp"; throws gb::Error listing the accepted names otherwise.
GanLoss gan_loss_from_name(const std::string& name);
const char* gan_loss_name(GanLoss l);

// Discriminator loss averaged over the batch: mean over n_real real scores + mean over n_fake fake
// scores (without any gradient penalty). Writes d(loss)/d(score) into dreal (n_real), dfake (n_fake).
float gan_d_loss(GanLoss l, const float* real, int n_real, const float* fake, int n_fake, float* dreal, float* dfake);

// Generator loss averaged over n fake scores; writes d(loss)/d(score) into dfake (n).
float gan_g_loss(GanLoss l, const float* fake, int n, float* dfake);

// log(1 + e^x) without overflow, and its derivative σ(x).
float softplus(float x);
float sigmoid(float x);

}  // namespace gb
