// A small class-conditional U-Net that predicts the noise ε in a noisy 28×28 image x_t.
//
//   x (B,1,28,28) ─pixel-unshuffle→ (B,4,14,14) ─conv_in→ (B,c0,14,14) ─rb0→ s0 (skip)
//      ─avgpool→ (B,c0,7,7) ─rb1→ (B,c1,7,7) ─rb2→ (B,c1,7,7) ─upsample→ (B,c1,14,14)
//      ─concat s0→ (B,c1+c0,14,14) ─rb3→ (B,c0,14,14) ─GroupNorm,SiLU,conv_out→ (B,4,14,14)
//      ─pixel-shuffle→ ε (B,1,28,28)
//   Each residual block rb: GN → SiLU → conv3×3 → (+ time/class embedding per channel) → GN → SiLU →
//   conv3×3, plus the input (through a 1×1 conv when the channel count changes).
//   Embedding: sinusoidal(t) → Linear → SiLU → Linear, plus a learned class vector (label num_classes
//   is the "no class" label used for classifier-free guidance), then SiLU, projected per block.
//
// Working at 14×14 with the 2×2 pixels folded into channels keeps one forward pass near 1 ms on one
// core. forward() records every intermediate in a UNetWork so backward() can add the gradients.
#pragma once
#include <string>
#include <vector>

#include "models/diffusion/eps_model.hpp"
#include "nn/params.hpp"

namespace gb {

struct UNetConfig {
  int c0 = 32;           // channels at 14×14
  int c1 = 64;           // channels at 7×7
  int emb = 128;         // time/class embedding width
  int tdim = 32;         // sinusoidal timestep features
  int groups = 8;        // GroupNorm groups (divides c0, c1 and c0 + c1)
  int num_classes = 10;  // class labels; the null label is num_classes; 0 = unconditional model
  std::string to_json() const;
  // Checked through gb::JsonIn: throws gb::Error naming `file` and the key on a bad value.
  static UNetConfig from_json(const std::string& json, const std::string& file = "<config>");
};

// Parameter indices of one residual block.
struct UNetBlock {
  int cin = 0, cout = 0;
  bool has_skip = false;  // 1×1 conv on the residual path when cin != cout
  size_t gn1_g, gn1_b, conv1_w, conv1_b, emb_w, emb_b, gn2_g, gn2_b, conv2_w, conv2_b, skip_w = 0, skip_b = 0;
};

// What one residual block's forward recorded (B images of HW positions).
struct UNetBlockWork {
  const float* x = nullptr;  // (B, cin, HW) the block input (owned by the caller's buffers)
  std::vector<float> a1, m1, r1, s1;  // GN1 out (B, cin, HW), its mean/rstd (B, G), SiLU out (B, cin, HW)
  std::vector<float> h1, a2, m2, r2, s2;  // conv1 + emb (B, cout, HW), GN2 out, mean/rstd, SiLU out
  std::vector<float> out;    // (B, cout, HW) block output
  std::vector<float> embp;   // (B, cout) per-channel embedding projection
  std::vector<float> g_big, g_mid, g_embp;  // backward scratch
};

// Every activation of one forward pass, reused between calls (no allocation once warm).
struct UNetWork {
  int B = 0;
  std::vector<int> t, label;         // (B)
  std::vector<float> tsin;           // (B, tdim) sinusoidal features
  std::vector<float> e1, se1, e2, semb;  // (B, emb) Linear1 out, SiLU, Linear2 out + class, SiLU
  std::vector<float> x4;             // (B, 4, 14, 14) unshuffled input
  std::vector<float> h0;             // (B, c0, 14, 14) conv_in out
  UNetBlockWork rb[4];
  std::vector<float> p0;             // (B, c0, 7, 7) pooled
  std::vector<float> up, cat;        // (B, c1, 14, 14) upsampled; (B, c1 + c0, 14, 14) concat
  std::vector<float> ao, mo, ro, so; // out GN (B, c0, 196), mean/rstd (B, G), SiLU
  std::vector<float> o4;             // (B, 4, 14, 14) conv_out
  std::vector<float> g_a, g_b, g_c, g_semb, g_e1;  // backward scratch
};

class UNet : public EpsModel {
 public:
  static constexpr int kSide = 28;
  UNet(const UNetConfig& config, const NoiseSchedule& schedule);

  // Random initial weights (PyTorch-like uniform ±1/√fan_in; GroupNorm γ = 1, β = 0; conv_out zero).
  void init(Rng& rng);

  int dim() const override { return kSide * kSide; }
  int num_classes() const override { return config_.num_classes; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict(float* eps, const float* x, const int* t, const int* label, int B) const override;

  // Training pass: eps (B, 784) from x (B, 784); activations kept in `work`.
  void forward(UNetWork& work, float* eps, const float* x, const int* t, const int* label, int B) const;
  // Adds parameter gradients into params.grad given deps (B, 784) of the last forward with `work`.
  void backward(UNetWork& work, const float* deps);

  const UNetConfig& config() const { return config_; }
  ParamSet params;  // all weights, PyTorch names ("rb0.conv1.weight", …) and layouts

  // Copies weights from another U-Net of the same config (e.g. EMA weights into a sampling model).
  void copy_weights_from(const UNet& other);

 private:
  void declare();
  UNetConfig config_;
  NoiseSchedule schedule_;
  // parameter indices
  size_t t_lin1_w_, t_lin1_b_, t_lin2_w_, t_lin2_b_, class_emb_ = 0, conv_in_w_, conv_in_b_;
  UNetBlock rb_[4];
  size_t gn_out_g_, gn_out_b_, conv_out_w_, conv_out_b_;
};

}  // namespace gb
