// Batch normalisation over channels (PyTorch nn.BatchNorm2d / BatchNorm1d semantics): training mode
// normalises with the batch's statistics and updates running averages; eval mode uses the averages.
// Layout (N, C, HW), contiguous; HW = 1 for a plain (N, C) matrix.
#pragma once

namespace gb {

struct BatchNormShape {
  int N = 1;   // batch
  int C = 1;   // channels (one mean/variance each)
  int HW = 1;  // positions per channel per sample
};

// Training mode. y, xhat (N, C, HW); invstd (C) saved for backward; running_mean/var (C) updated with
// `momentum` (unbiased variance, like PyTorch). running_* may be null to skip the update.
void batchnorm_forward_train(float* y, float* xhat, float* invstd, float* running_mean, float* running_var,
                             const float* x, const float* gamma, const float* beta, const BatchNormShape& s,
                             float momentum = 0.1f, float eps = 1e-5f);

// Eval mode: y = gamma · (x − running_mean) / sqrt(running_var + eps) + beta.
void batchnorm_forward_eval(float* y, const float* x, const float* gamma, const float* beta,
                            const float* running_mean, const float* running_var, const BatchNormShape& s,
                            float eps = 1e-5f);

// Adds dx (N, C, HW), dgamma (C), dbeta (C) for training mode, from dy and the saved xhat, invstd.
void batchnorm_backward(float* dx, float* dgamma, float* dbeta, const float* dy, const float* xhat,
                        const float* invstd, const float* gamma, const BatchNormShape& s);

}  // namespace gb
