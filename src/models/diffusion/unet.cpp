// The U-Net ε-model: parameter layout, forward pass recording activations, backward pass.
#include "models/diffusion/unet.hpp"

#include <cmath>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/tensor.hpp"
#include "nn/conv2d.hpp"
#include "nn/conv_groupnorm.hpp"
#include "nn/linear.hpp"

namespace gb {

static constexpr int kHW = 14 * 14;  // positions at the top level (after pixel-unshuffle)
static constexpr int kHW2 = 7 * 7;   // positions at the bottom level

// [SECTION] config
std::string UNetConfig::to_json() const {
  nlohmann::json j = {{"c0", c0}, {"c1", c1}, {"emb", emb}, {"tdim", tdim}, {"groups", groups}, {"num_classes", num_classes}};
  return j.dump();
}

UNetConfig UNetConfig::from_json(const std::string& text, const std::string& file) {
  UNetConfig c;
  const JsonIn j = JsonIn::parse(text, file, "glassbox.config");
  c.c0 = j.int32("c0", 1, 1024);
  c.c1 = j.int32("c1", 1, 1024);
  c.emb = j.int32("emb", 1, 4096);
  c.tdim = j.int32("tdim", 2, 4096);
  c.groups = j.int32("groups", 1, 64);
  c.num_classes = j.int32("num_classes", 0, 1000);
  if (c.c0 % c.groups || c.c1 % c.groups)
    fail_file(file, "glassbox.config: channels c0 " + std::to_string(c.c0) + " and c1 " + std::to_string(c.c1) +
                        " must be multiples of groups " + std::to_string(c.groups));
  if (c.tdim % 2) fail_file(file, "glassbox.config.tdim " + std::to_string(c.tdim) + " must be even");
  return c;
}

// [SECTION] small helpers: SiLU (vectorised through Eigen), broadcast adds
static void silu_fwd(float* y, const float* x, size_t n) {
  Eigen::Map<const Eigen::ArrayXf> X(x, Eigen::Index(n));
  Eigen::Map<Eigen::ArrayXf>(y, Eigen::Index(n)) = X / (1.0f + (-X).exp());
}
// dx = dy · σ(x) · (1 + x·(1 − σ(x)))   (overwrites dx)
static void silu_bwd_set(float* dx, const float* dy, const float* x, size_t n) {
  Eigen::Map<const Eigen::ArrayXf> X(x, Eigen::Index(n)), DY(dy, Eigen::Index(n));
  Eigen::ArrayXf s = 1.0f / (1.0f + (-X).exp());
  Eigen::Map<Eigen::ArrayXf>(dx, Eigen::Index(n)) = DY * s * (1.0f + X * (1.0f - s));
}

static void zero(std::vector<float>& v, size_t n) { v.assign(n, 0.0f); }
static void size_to(std::vector<float>& v, size_t n) { v.resize(n); }

// [SECTION] construction
UNet::UNet(const UNetConfig& config, const NoiseSchedule& schedule) : config_(config), schedule_(schedule) {
  declare();
  params.allocate();
}

void UNet::declare() {
  const UNetConfig& c = config_;
  t_lin1_w_ = params.declare("time.lin1.weight", {c.emb, c.tdim});
  t_lin1_b_ = params.declare("time.lin1.bias", {c.emb}, false);
  t_lin2_w_ = params.declare("time.lin2.weight", {c.emb, c.emb});
  t_lin2_b_ = params.declare("time.lin2.bias", {c.emb}, false);
  if (c.num_classes > 0) class_emb_ = params.declare("class_emb.weight", {c.num_classes + 1, c.emb}, false);
  conv_in_w_ = params.declare("conv_in.weight", {c.c0, 4, 3, 3});
  conv_in_b_ = params.declare("conv_in.bias", {c.c0}, false);
  const int io[4][2] = {{c.c0, c.c0}, {c.c0, c.c1}, {c.c1, c.c1}, {c.c1 + c.c0, c.c0}};
  for (int i = 0; i < 4; ++i) {
    UNetBlock& b = rb_[i];
    b.cin = io[i][0];
    b.cout = io[i][1];
    b.has_skip = b.cin != b.cout;
    std::string p = "rb" + std::to_string(i) + ".";
    b.gn1_g = params.declare(p + "gn1.weight", {b.cin}, false);
    b.gn1_b = params.declare(p + "gn1.bias", {b.cin}, false);
    b.conv1_w = params.declare(p + "conv1.weight", {b.cout, b.cin, 3, 3});
    b.conv1_b = params.declare(p + "conv1.bias", {b.cout}, false);
    b.emb_w = params.declare(p + "emb.weight", {b.cout, c.emb});
    b.emb_b = params.declare(p + "emb.bias", {b.cout}, false);
    b.gn2_g = params.declare(p + "gn2.weight", {b.cout}, false);
    b.gn2_b = params.declare(p + "gn2.bias", {b.cout}, false);
    b.conv2_w = params.declare(p + "conv2.weight", {b.cout, b.cout, 3, 3});
    b.conv2_b = params.declare(p + "conv2.bias", {b.cout}, false);
    if (b.has_skip) {
      b.skip_w = params.declare(p + "skip.weight", {b.cout, b.cin, 1, 1});
      b.skip_b = params.declare(p + "skip.bias", {b.cout}, false);
    }
  }
  gn_out_g_ = params.declare("gn_out.weight", {c.c0}, false);
  gn_out_b_ = params.declare("gn_out.bias", {c.c0}, false);
  conv_out_w_ = params.declare("conv_out.weight", {4, c.c0, 3, 3});
  conv_out_b_ = params.declare("conv_out.bias", {4}, false);
}

void UNet::init(Rng& rng) {
  for (size_t i = 0; i < params.views().size(); ++i) {
    const ParamView& v = params.views()[i];
    float* p = params.ptr(i);
    const std::string& n = v.name;
    auto ends = [&](const char* s) { return n.size() >= std::strlen(s) && n.compare(n.size() - std::strlen(s), std::string::npos, s) == 0; };
    if (n.find(".gn") != std::string::npos || n.rfind("gn_out", 0) == 0) {
      for (size_t k = 0; k < v.size; ++k) p[k] = ends(".weight") ? 1.0f : 0.0f;
    } else if (n.rfind("conv_out", 0) == 0) {
      for (size_t k = 0; k < v.size; ++k) p[k] = 0.0f;  // the untrained model predicts ε = 0
    } else if (n == "class_emb.weight") {
      for (size_t k = 0; k < v.size; ++k) p[k] = 0.5f * rng.normal_f();
    } else {
      // fan_in: product of the weight's shape after the first dim; biases use their weight's
      std::string wname = ends(".bias") ? n.substr(0, n.size() - 5) + ".weight" : n;
      const ParamView& w = params.view(wname);
      size_t fan_in = w.size / size_t(w.shape[0]);
      float bound = 1.0f / std::sqrt(float(fan_in));
      for (size_t k = 0; k < v.size; ++k) p[k] = bound * (2.0f * rng.uniform_f() - 1.0f);
    }
  }
}

void UNet::copy_weights_from(const UNet& other) {
  if (other.params.data.size() != params.data.size()) fail("U-Net: copy_weights_from a model of another size");
  params.data = other.params.data;
}

// [SECTION] residual block forward / backward
static void block_forward(const UNet& net, const UNetBlock& b, UNetBlockWork& w, const float* x, const float* semb,
                          int B, int HW, int G, int emb) {
  const ParamSet& P = net.params;
  const size_t nin = size_t(B) * b.cin * HW, nout = size_t(B) * b.cout * HW;
  w.x = x;
  size_to(w.a1, nin); size_to(w.s1, nin); size_to(w.m1, B * G); size_to(w.r1, B * G);
  size_to(w.h1, nout); size_to(w.a2, nout); size_to(w.s2, nout); size_to(w.m2, B * G); size_to(w.r2, B * G);
  size_to(w.out, nout); size_to(w.embp, size_t(B) * b.cout);
  // embedding projection: embp (B, cout) = semb (B, emb) · Wᵀ + b
  linear_forward(MatMap(w.embp.data(), B, b.cout), CMatMap(semb, B, emb), P.mat(b.emb_w), P.ptr(b.emb_b));
  GroupNormShape g1{B, b.cin, HW, G}, g2{B, b.cout, HW, G};
  groupnorm_forward(w.a1.data(), w.m1.data(), w.r1.data(), x, P.ptr(b.gn1_g), P.ptr(b.gn1_b), g1);
  silu_fwd(w.s1.data(), w.a1.data(), nin);
  const int side = HW == kHW ? 14 : 7;
  Conv2dShape c1{B, b.cin, side, side, b.cout, 3, 1, 1}, c2{B, b.cout, side, side, b.cout, 3, 1, 1};
  conv2d_forward(w.h1.data(), w.s1.data(), P.ptr(b.conv1_w), P.ptr(b.conv1_b), c1);
  for (int n = 0; n < B; ++n)
    for (int c = 0; c < b.cout; ++c) {
      float e = w.embp[size_t(n) * b.cout + c];
      float* h = w.h1.data() + (size_t(n) * b.cout + c) * HW;
      for (int i = 0; i < HW; ++i) h[i] += e;
    }
  groupnorm_forward(w.a2.data(), w.m2.data(), w.r2.data(), w.h1.data(), P.ptr(b.gn2_g), P.ptr(b.gn2_b), g2);
  silu_fwd(w.s2.data(), w.a2.data(), nout);
  conv2d_forward(w.out.data(), w.s2.data(), P.ptr(b.conv2_w), P.ptr(b.conv2_b), c2);
  if (b.has_skip) {
    size_to(w.g_big, nout);
    Conv2dShape sk{B, b.cin, side, side, b.cout, 1, 1, 0};
    conv2d_forward(w.g_big.data(), x, P.ptr(b.skip_w), P.ptr(b.skip_b), sk);
    for (size_t i = 0; i < nout; ++i) w.out[i] += w.g_big[i];
  } else {
    for (size_t i = 0; i < nout; ++i) w.out[i] += x[i];
  }
}

// Adds dx (B, cin, HW) and dsemb (B, emb) and the block's parameter gradients, given dout (B, cout, HW).
static void block_backward(UNet& net, const UNetBlock& b, UNetBlockWork& w, float* dx, float* dsemb,
                           const float* dout, const float* semb, int B, int HW, int G, int emb) {
  ParamSet& P = net.params;
  const size_t nin = size_t(B) * b.cin * HW, nout = size_t(B) * b.cout * HW;
  const int side = HW == kHW ? 14 : 7;
  Conv2dShape c1{B, b.cin, side, side, b.cout, 3, 1, 1}, c2{B, b.cout, side, side, b.cout, 3, 1, 1};
  GroupNormShape g1{B, b.cin, HW, G}, g2{B, b.cout, HW, G};
  // residual path
  if (b.has_skip) {
    Conv2dShape sk{B, b.cin, side, side, b.cout, 1, 1, 0};
    conv2d_backward(dx, P.grad_ptr(b.skip_w), P.grad_ptr(b.skip_b), dout, w.x, P.ptr(b.skip_w), sk);
  } else {
    for (size_t i = 0; i < nout; ++i) dx[i] += dout[i];
  }
  // conv2 → SiLU → GN2
  zero(w.g_big, nout);
  conv2d_backward(w.g_big.data(), P.grad_ptr(b.conv2_w), P.grad_ptr(b.conv2_b), dout, w.s2.data(), P.ptr(b.conv2_w), c2);
  size_to(w.g_mid, nout);
  silu_bwd_set(w.g_mid.data(), w.g_big.data(), w.a2.data(), nout);  // d a2
  zero(w.g_big, nout);                                               // d h1
  groupnorm_backward(w.g_big.data(), P.grad_ptr(b.gn2_g), P.grad_ptr(b.gn2_b), w.g_mid.data(), w.h1.data(),
                     w.m2.data(), w.r2.data(), P.ptr(b.gn2_g), g2);
  // embedding: d embp (B, cout) = Σ_hw d h1
  size_to(w.g_embp, size_t(B) * b.cout);
  for (int n = 0; n < B; ++n)
    for (int c = 0; c < b.cout; ++c) {
      const float* h = w.g_big.data() + (size_t(n) * b.cout + c) * HW;
      float s = 0;
      for (int i = 0; i < HW; ++i) s += h[i];
      w.g_embp[size_t(n) * b.cout + c] = s;
    }
  linear_backward(MatMap(dsemb, B, emb), P.grad_mat(b.emb_w), P.grad_ptr(b.emb_b), CMatMap(w.g_embp.data(), B, b.cout),
                  CMatMap(semb, B, emb), std::as_const(P).mat(b.emb_w));
  // conv1 → SiLU → GN1
  zero(w.g_mid, nin);  // d s1
  conv2d_backward(w.g_mid.data(), P.grad_ptr(b.conv1_w), P.grad_ptr(b.conv1_b), w.g_big.data(), w.s1.data(),
                  P.ptr(b.conv1_w), c1);
  size_to(w.g_big, nin);
  silu_bwd_set(w.g_big.data(), w.g_mid.data(), w.a1.data(), nin);  // d a1
  groupnorm_backward(dx, P.grad_ptr(b.gn1_g), P.grad_ptr(b.gn1_b), w.g_big.data(), w.x, w.m1.data(), w.r1.data(),
                     P.ptr(b.gn1_g), g1);
}

// [SECTION] pixel (un)shuffle: (B, 1, 28, 28) ↔ (B, 4, 14, 14), channel = 2·dy + dx
static void unshuffle(float* out, const float* in, int B) {
  for (int n = 0; n < B; ++n)
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx)
        for (int i = 0; i < 14; ++i)
          for (int j = 0; j < 14; ++j)
            out[((size_t(n) * 4 + 2 * dy + dx) * 14 + i) * 14 + j] = in[(size_t(n) * 28 + 2 * i + dy) * 28 + 2 * j + dx];
}
static void shuffle(float* out, const float* in, int B) {
  for (int n = 0; n < B; ++n)
    for (int dy = 0; dy < 2; ++dy)
      for (int dx = 0; dx < 2; ++dx)
        for (int i = 0; i < 14; ++i)
          for (int j = 0; j < 14; ++j)
            out[(size_t(n) * 28 + 2 * i + dy) * 28 + 2 * j + dx] = in[((size_t(n) * 4 + 2 * dy + dx) * 14 + i) * 14 + j];
}

// [SECTION] forward
void UNet::forward(UNetWork& w, float* eps, const float* x, const int* t, const int* label, int B) const {
  const UNetConfig& c = config_;
  const int G = c.groups, E = c.emb;
  w.B = B;
  w.t.assign(t, t + B);
  w.label.assign(B, c.num_classes);
  if (label)
    for (int n = 0; n < B; ++n) w.label[n] = (label[n] < 0 || label[n] >= c.num_classes) ? c.num_classes : label[n];
  // time + class embedding
  size_to(w.tsin, size_t(B) * c.tdim);
  for (int n = 0; n < B; ++n) timestep_embedding(w.tsin.data() + size_t(n) * c.tdim, float(t[n]), c.tdim);
  size_to(w.e1, size_t(B) * E); size_to(w.se1, size_t(B) * E); size_to(w.e2, size_t(B) * E); size_to(w.semb, size_t(B) * E);
  linear_forward(MatMap(w.e1.data(), B, E), CMatMap(w.tsin.data(), B, c.tdim), params.mat(t_lin1_w_), params.ptr(t_lin1_b_));
  silu_fwd(w.se1.data(), w.e1.data(), w.e1.size());
  linear_forward(MatMap(w.e2.data(), B, E), CMatMap(w.se1.data(), B, E), params.mat(t_lin2_w_), params.ptr(t_lin2_b_));
  if (c.num_classes > 0)
    for (int n = 0; n < B; ++n) {
      const float* ce = params.ptr(class_emb_) + size_t(w.label[n]) * E;
      for (int k = 0; k < E; ++k) w.e2[size_t(n) * E + k] += ce[k];
    }
  silu_fwd(w.semb.data(), w.e2.data(), w.e2.size());
  // down
  size_to(w.x4, size_t(B) * 4 * kHW);
  unshuffle(w.x4.data(), x, B);
  size_to(w.h0, size_t(B) * c.c0 * kHW);
  conv2d_forward(w.h0.data(), w.x4.data(), params.ptr(conv_in_w_), params.ptr(conv_in_b_), {B, 4, 14, 14, c.c0, 3, 1, 1});
  block_forward(*this, rb_[0], w.rb[0], w.h0.data(), w.semb.data(), B, kHW, G, E);
  size_to(w.p0, size_t(B) * c.c0 * kHW2);
  avgpool2_forward(w.p0.data(), w.rb[0].out.data(), B * c.c0, 14, 14);
  block_forward(*this, rb_[1], w.rb[1], w.p0.data(), w.semb.data(), B, kHW2, G, E);
  block_forward(*this, rb_[2], w.rb[2], w.rb[1].out.data(), w.semb.data(), B, kHW2, G, E);
  // up
  size_to(w.up, size_t(B) * c.c1 * kHW);
  upsample2_forward(w.up.data(), w.rb[2].out.data(), B * c.c1, 7, 7);
  size_to(w.cat, size_t(B) * (c.c1 + c.c0) * kHW);
  for (int n = 0; n < B; ++n) {
    float* dst = w.cat.data() + size_t(n) * (c.c1 + c.c0) * kHW;
    std::memcpy(dst, w.up.data() + size_t(n) * c.c1 * kHW, sizeof(float) * c.c1 * kHW);
    std::memcpy(dst + size_t(c.c1) * kHW, w.rb[0].out.data() + size_t(n) * c.c0 * kHW, sizeof(float) * c.c0 * kHW);
  }
  block_forward(*this, rb_[3], w.rb[3], w.cat.data(), w.semb.data(), B, kHW, G, E);
  // out
  const size_t n0 = size_t(B) * c.c0 * kHW;
  size_to(w.ao, n0); size_to(w.so, n0); size_to(w.mo, B * G); size_to(w.ro, B * G);
  groupnorm_forward(w.ao.data(), w.mo.data(), w.ro.data(), w.rb[3].out.data(), params.ptr(gn_out_g_), params.ptr(gn_out_b_),
                    {B, c.c0, kHW, G});
  silu_fwd(w.so.data(), w.ao.data(), n0);
  size_to(w.o4, size_t(B) * 4 * kHW);
  conv2d_forward(w.o4.data(), w.so.data(), params.ptr(conv_out_w_), params.ptr(conv_out_b_), {B, c.c0, 14, 14, 4, 3, 1, 1});
  shuffle(eps, w.o4.data(), B);
}

void UNet::predict(float* eps, const float* x, const int* t, const int* label, int B) const {
  thread_local UNetWork work;
  forward(work, eps, x, t, label, B);
}

// [SECTION] backward
void UNet::backward(UNetWork& w, const float* deps) {
  const UNetConfig& c = config_;
  const int B = w.B, G = c.groups, E = c.emb;
  const size_t n0 = size_t(B) * c.c0 * kHW;
  zero(w.g_semb, size_t(B) * E);
  // out: shuffle⁻¹ → conv_out → SiLU → GN
  std::vector<float>& d_o4 = w.g_a;
  size_to(d_o4, size_t(B) * 4 * kHW);
  unshuffle(d_o4.data(), deps, B);  // the adjoint of shuffle is unshuffle (a permutation)
  std::vector<float>& d_so = w.g_b;
  zero(d_so, n0);
  conv2d_backward(d_so.data(), params.grad_ptr(conv_out_w_), params.grad_ptr(conv_out_b_), d_o4.data(), w.so.data(),
                  params.ptr(conv_out_w_), {B, c.c0, 14, 14, 4, 3, 1, 1});
  std::vector<float>& d_ao = w.g_c;
  size_to(d_ao, n0);
  silu_bwd_set(d_ao.data(), d_so.data(), w.ao.data(), n0);
  std::vector<float> d_r3(n0, 0.0f);  // (B, c0, 196)
  groupnorm_backward(d_r3.data(), params.grad_ptr(gn_out_g_), params.grad_ptr(gn_out_b_), d_ao.data(), w.rb[3].out.data(),
                     w.mo.data(), w.ro.data(), params.ptr(gn_out_g_), {B, c.c0, kHW, G});
  // rb3 → split concat into d up and d s0
  std::vector<float> d_cat(size_t(B) * (c.c1 + c.c0) * kHW, 0.0f);
  block_backward(*this, rb_[3], w.rb[3], d_cat.data(), w.g_semb.data(), d_r3.data(), w.semb.data(), B, kHW, G, E);
  std::vector<float> d_s0(n0, 0.0f), d_up(size_t(B) * c.c1 * kHW);
  for (int n = 0; n < B; ++n) {
    const float* src = d_cat.data() + size_t(n) * (c.c1 + c.c0) * kHW;
    std::memcpy(d_up.data() + size_t(n) * c.c1 * kHW, src, sizeof(float) * c.c1 * kHW);
    std::memcpy(d_s0.data() + size_t(n) * c.c0 * kHW, src + size_t(c.c1) * kHW, sizeof(float) * c.c0 * kHW);
  }
  std::vector<float> d_r2(size_t(B) * c.c1 * kHW2, 0.0f);
  upsample2_backward(d_r2.data(), d_up.data(), B * c.c1, 7, 7);
  std::vector<float> d_r1(size_t(B) * c.c1 * kHW2, 0.0f);
  block_backward(*this, rb_[2], w.rb[2], d_r1.data(), w.g_semb.data(), d_r2.data(), w.semb.data(), B, kHW2, G, E);
  std::vector<float> d_p0(size_t(B) * c.c0 * kHW2, 0.0f);
  block_backward(*this, rb_[1], w.rb[1], d_p0.data(), w.g_semb.data(), d_r1.data(), w.semb.data(), B, kHW2, G, E);
  avgpool2_backward(d_s0.data(), d_p0.data(), B * c.c0, 14, 14);
  std::vector<float> d_h0(n0, 0.0f);
  block_backward(*this, rb_[0], w.rb[0], d_h0.data(), w.g_semb.data(), d_s0.data(), w.semb.data(), B, kHW, G, E);
  conv2d_backward(nullptr, params.grad_ptr(conv_in_w_), params.grad_ptr(conv_in_b_), d_h0.data(), w.x4.data(),
                  params.ptr(conv_in_w_), {B, 4, 14, 14, c.c0, 3, 1, 1});
  // embedding: semb = SiLU(e2), e2 = Linear2(SiLU(Linear1(tsin))) + class_emb[label]
  std::vector<float> d_e2(size_t(B) * E);
  silu_bwd_set(d_e2.data(), w.g_semb.data(), w.e2.data(), d_e2.size());
  if (c.num_classes > 0)
    for (int n = 0; n < B; ++n) {
      float* g = params.grad_ptr(class_emb_) + size_t(w.label[n]) * E;
      for (int k = 0; k < E; ++k) g[k] += d_e2[size_t(n) * E + k];
    }
  std::vector<float> d_se1(size_t(B) * E, 0.0f);
  linear_backward(MatMap(d_se1.data(), B, E), params.grad_mat(t_lin2_w_), params.grad_ptr(t_lin2_b_),
                  CMatMap(d_e2.data(), B, E), CMatMap(w.se1.data(), B, E), std::as_const(params).mat(t_lin2_w_));
  std::vector<float> d_e1(size_t(B) * E);
  silu_bwd_set(d_e1.data(), d_se1.data(), w.e1.data(), d_e1.size());
  linear_backward(MatMap(nullptr, 0, c.tdim), params.grad_mat(t_lin1_w_), params.grad_ptr(t_lin1_b_),
                  CMatMap(d_e1.data(), B, E), CMatMap(w.tsin.data(), B, c.tdim), std::as_const(params).mat(t_lin1_w_));
}

}  // namespace gb
