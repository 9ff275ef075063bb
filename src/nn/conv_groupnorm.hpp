// Group normalisation (PyTorch nn.GroupNorm semantics) for convolutional feature maps, forward and
// backward side by side. Channels are split into G groups; each (sample, group) is normalised over
// its channels and positions, then scaled and shifted per channel. Layout (N, C, HW), contiguous.
//
// API is stable (used by models/diffusion; available to models/gan).
#pragma once

namespace gb {

struct GroupNormShape {
  int N = 1;   // batch
  int C = 1;   // channels (divisible by G)
  int HW = 1;  // positions per channel
  int G = 8;   // groups
};

// y (N, C, HW) = gamma[c] · (x − mean) · rstd + beta[c]; saves mean, rstd (N, G) for backward
// (either may be null when no backward follows). eps as PyTorch (1e-5).
void groupnorm_forward(float* y, float* mean, float* rstd, const float* x, const float* gamma, const float* beta,
                       const GroupNormShape& s, float eps = 1e-5f);

// Adds dx (N, C, HW), dgamma (C), dbeta (C) from dy, the input x and the saved mean, rstd.
// dx, dgamma, dbeta may each be null.
void groupnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* x, const float* mean,
                        const float* rstd, const float* gamma, const GroupNormShape& s);

}  // namespace gb
