// Class-conditional DCGAN for 28×28 images: forward/backward of generator and discriminator,
// sampling helpers, training step and checkpoints.
#include "models/gan/image_gan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/safetensors.hpp"
#include "core/threads.hpp"
#include "models/data/fashion_mnist.hpp"
#include "nn/batchnorm.hpp"
#include "nn/conv2d.hpp"
#include "nn/conv_transpose.hpp"
#include "nn/linear.hpp"
#include "nn/param_file.hpp"

namespace gb {

// [SECTION] config, class names, pixels
std::string ImageGanConfig::to_json() const {
  nlohmann::json j = {{"z_dim", z_dim}, {"n_classes", n_classes}, {"emb_dim", emb_dim}, {"g_ch0", g_ch0},
                      {"g_ch1", g_ch1},  {"d_ch0", d_ch0},         {"d_ch1", d_ch1},     {"d_feat", d_feat}};
  return j.dump();
}

ImageGanConfig ImageGanConfig::from_json(const std::string& text, const std::string& file) {
  ImageGanConfig c;
  const JsonIn j = JsonIn::parse(text, file, "glassbox.config");
  c.z_dim = j.int32("z_dim", 1, 4096);
  c.n_classes = j.int32("n_classes", 1, 4096);
  c.emb_dim = j.int32("emb_dim", 1, 4096);
  c.g_ch0 = j.int32("g_ch0", 1, 4096);
  c.g_ch1 = j.int32("g_ch1", 1, 4096);
  c.d_ch0 = j.int32("d_ch0", 1, 4096);
  c.d_ch1 = j.int32("d_ch1", 1, 4096);
  c.d_feat = j.int32("d_feat", 1, 4096);
  return c;
}

int fashion_class_from_name(const std::string& name) {
  const int c = fashion_class_from_string(name);
  if (c >= 0) return c;
  std::string list;
  for (const char* n : kFashionClassNames) list += std::string(list.empty() ? "" : ", ") + n;
  fail("unknown class `" + name + "` (accepted: 0-9 or " + list + ")");
}

uint8_t model_to_pixel(float v) {
  float p = (v + 1.0f) * 127.5f;
  if (!(p > 0)) return 0;  // also NaN
  if (p >= 255) return 255;
  return uint8_t(std::lround(p));
}

// [SECTION] construction
ImageGan::ImageGan(const ImageGanConfig& c) : cfg_(c) {
  const int in = c.z_dim + c.emb_dim;
  g_emb_ = g.declare("g.emb", {c.n_classes, c.emb_dim}, false);
  g_fc_w_ = g.declare("g.fc.weight", {c.g_ch0 * 49, in});
  g_fc_b_ = g.declare("g.fc.bias", {c.g_ch0 * 49}, false);
  g_bn0_w_ = g.declare("g.bn0.weight", {c.g_ch0}, false);
  g_bn0_b_ = g.declare("g.bn0.bias", {c.g_ch0}, false);
  g_up1_w_ = g.declare("g.up1.weight", {c.g_ch0, c.g_ch1, 4, 4});
  g_up1_b_ = g.declare("g.up1.bias", {c.g_ch1}, false);
  g_bn1_w_ = g.declare("g.bn1.weight", {c.g_ch1}, false);
  g_bn1_b_ = g.declare("g.bn1.bias", {c.g_ch1}, false);
  g_up2_w_ = g.declare("g.up2.weight", {c.g_ch1, 1, 4, 4});
  g_up2_b_ = g.declare("g.up2.bias", {1}, false);
  g.allocate();
  g_rm0_ = g_buf.declare("g.bn0.running_mean", {c.g_ch0});
  g_rv0_ = g_buf.declare("g.bn0.running_var", {c.g_ch0});
  g_rm1_ = g_buf.declare("g.bn1.running_mean", {c.g_ch1});
  g_rv1_ = g_buf.declare("g.bn1.running_var", {c.g_ch1});
  g_buf.allocate();
  d_c0_w_ = d.declare("d.conv0.weight", {c.d_ch0, 1, 4, 4});
  d_c0_b_ = d.declare("d.conv0.bias", {c.d_ch0}, false);
  d_c1_w_ = d.declare("d.conv1.weight", {c.d_ch1, c.d_ch0, 4, 4});
  d_c1_b_ = d.declare("d.conv1.bias", {c.d_ch1}, false);
  d_fc_w_ = d.declare("d.fc.weight", {c.d_feat, c.d_ch1 * 49});
  d_fc_b_ = d.declare("d.fc.bias", {c.d_feat}, false);
  d_out_w_ = d.declare("d.out.weight", {1, c.d_feat});
  d_out_b_ = d.declare("d.out.bias", {1}, false);
  d_emb_ = d.declare("d.emb", {c.n_classes, c.d_feat}, false);
  d.allocate();
}

void ImageGan::init(uint64_t seed) {
  Rng rng(seed);
  auto fill = [&](ParamSet& p, size_t i, float mean, float std) {
    float* w = p.ptr(i);
    for (size_t k = 0; k < p.views()[i].size; ++k) w[k] = mean + std * rng.normal_f();
  };
  std::fill(g.data.begin(), g.data.end(), 0.0f);
  std::fill(d.data.begin(), d.data.end(), 0.0f);
  fill(g, g_emb_, 0, 1);
  fill(g, g_fc_w_, 0, 0.02f);
  fill(g, g_bn0_w_, 1, 0.02f);
  fill(g, g_up1_w_, 0, 0.02f);
  fill(g, g_bn1_w_, 1, 0.02f);
  fill(g, g_up2_w_, 0, 0.02f);
  fill(d, d_c0_w_, 0, 0.02f);
  fill(d, d_c1_w_, 0, 0.02f);
  fill(d, d_fc_w_, 0, 0.02f);
  fill(d, d_out_w_, 0, 0.02f);
  fill(d, d_emb_, 0, 0.02f);
  std::fill(g_buf.data.begin(), g_buf.data.end(), 0.0f);
  std::fill(g_buf.ptr(g_rv0_), g_buf.ptr(g_rv0_) + cfg_.g_ch0, 1.0f);
  std::fill(g_buf.ptr(g_rv1_), g_buf.ptr(g_rv1_) + cfg_.g_ch1, 1.0f);
}

// Shapes of the generator's transposed convolutions and the discriminator's strided convolutions.
static ConvTransposeShape up1_shape(const ImageGanConfig& c, int N) { return {N, c.g_ch0, 7, 7, c.g_ch1, 4, 2, 1}; }
static ConvTransposeShape up2_shape(const ImageGanConfig& c, int N) { return {N, c.g_ch1, 14, 14, 1, 4, 2, 1}; }
static Conv2dShape down0_shape(const ImageGanConfig& c, int N) { return {N, 1, 28, 28, c.d_ch0, 4, 2, 1}; }
static Conv2dShape down1_shape(const ImageGanConfig& c, int N) { return {N, c.d_ch0, 14, 14, c.d_ch1, 4, 2, 1}; }

// [SECTION] generator forward/backward
void ImageGan::gen_forward(GenCache& c, const float* z, const int* labels, int N, bool train, float bn_momentum) {
  gen_forward_impl(c, z, labels, N, train ? g_buf.data.data() : nullptr, bn_momentum);
}

void ImageGan::recalibrate_bn(uint64_t seed, int n_batches, int batch) {
  SingleThreadScope one_thread;
  Rng rng(seed);
  std::vector<float> z(size_t(batch) * cfg_.z_dim);
  std::vector<int> labels(static_cast<size_t>(batch));
  GenCache c;
  for (int b = 0; b < n_batches; ++b) {
    for (auto& v : z) v = rng.normal_f();
    for (auto& l : labels) l = int(rng.below(uint64_t(cfg_.n_classes)));
    gen_forward(c, z.data(), labels.data(), batch, true, 1.0f / float(b + 1));  // running = mean of batch stats
  }
}

// running = the writable BN running statistics (g_buf layout) in training mode, null in eval mode.
void ImageGan::gen_forward_impl(GenCache& c, const float* z, const int* labels, int N, float* running,
                                float momentum) const {
  const ImageGanConfig& k = cfg_;
  const bool train = running != nullptr;
  auto run = [&](size_t i) { return running + g_buf.views()[i].offset; };
  const int in = k.z_dim + k.emb_dim, F0 = k.g_ch0 * 49;
  c.N = N;
  c.labels.assign(labels, labels + N);
  c.in.resize(size_t(N) * in);
  for (int n = 0; n < N; ++n) {
    if (labels[n] < 0 || labels[n] >= k.n_classes) fail("image-gan: class " + std::to_string(labels[n]) + " out of range");
    std::copy_n(z + size_t(n) * k.z_dim, k.z_dim, c.in.data() + size_t(n) * in);
    std::copy_n(g.ptr(g_emb_) + size_t(labels[n]) * k.emb_dim, k.emb_dim, c.in.data() + size_t(n) * in + k.z_dim);
  }
  c.fc.resize(size_t(N) * F0);
  linear_forward(MatMap(c.fc.data(), N, F0), CMatMap(c.in.data(), N, in), g.mat(g_fc_w_), g.ptr(g_fc_b_));
  // (N, C0, 7, 7)
  c.bn0.resize(c.fc.size());
  c.bn0_xhat.resize(c.fc.size());
  c.bn0_invstd.resize(size_t(k.g_ch0));
  BatchNormShape b0{N, k.g_ch0, 49};
  if (train)
    batchnorm_forward_train(c.bn0.data(), c.bn0_xhat.data(), c.bn0_invstd.data(), run(g_rm0_), run(g_rv0_),
                            c.fc.data(), g.ptr(g_bn0_w_), g.ptr(g_bn0_b_), b0, momentum);
  else
    batchnorm_forward_eval(c.bn0.data(), c.fc.data(), g.ptr(g_bn0_w_), g.ptr(g_bn0_b_), g_buf.ptr(g_rm0_),
                           g_buf.ptr(g_rv0_), b0);
  c.a0.resize(c.bn0.size());
  act_forward(Act::relu, c.a0.data(), c.bn0.data(), c.a0.size());
  // (N, C1, 14, 14)
  auto s1 = up1_shape(k, N);
  c.up1.resize(s1.out_size());
  conv_transpose2d_forward(c.up1.data(), c.a0.data(), g.ptr(g_up1_w_), g.ptr(g_up1_b_), s1);
  c.bn1.resize(c.up1.size());
  c.bn1_xhat.resize(c.up1.size());
  c.bn1_invstd.resize(size_t(k.g_ch1));
  BatchNormShape b1{N, k.g_ch1, 196};
  if (train)
    batchnorm_forward_train(c.bn1.data(), c.bn1_xhat.data(), c.bn1_invstd.data(), run(g_rm1_), run(g_rv1_),
                            c.up1.data(), g.ptr(g_bn1_w_), g.ptr(g_bn1_b_), b1, momentum);
  else
    batchnorm_forward_eval(c.bn1.data(), c.up1.data(), g.ptr(g_bn1_w_), g.ptr(g_bn1_b_), g_buf.ptr(g_rm1_),
                           g_buf.ptr(g_rv1_), b1);
  c.a1.resize(c.bn1.size());
  act_forward(Act::relu, c.a1.data(), c.bn1.data(), c.a1.size());
  // (N, 1, 28, 28)
  auto s2 = up2_shape(k, N);
  c.up2.resize(s2.out_size());
  conv_transpose2d_forward(c.up2.data(), c.a1.data(), g.ptr(g_up2_w_), g.ptr(g_up2_b_), s2);
  c.img.resize(c.up2.size());
  act_forward(Act::tanh, c.img.data(), c.up2.data(), c.img.size());
}

void ImageGan::gen_backward(GenCache& c, const float* dimg) {
  const ImageGanConfig& k = cfg_;
  const int N = c.N, in = k.z_dim + k.emb_dim, F0 = k.g_ch0 * 49;
  std::vector<float> dup2(c.up2.size(), 0.0f);
  for (size_t i = 0; i < dup2.size(); ++i) dup2[i] = dimg[i] * (1 - c.img[i] * c.img[i]);  // tanh'
  std::vector<float> da1(c.a1.size(), 0.0f), dbn1(c.a1.size(), 0.0f), dup1(c.up1.size(), 0.0f);
  conv_transpose2d_backward(da1.data(), g.grad_ptr(g_up2_w_), g.grad_ptr(g_up2_b_), dup2.data(), c.a1.data(),
                            g.ptr(g_up2_w_), up2_shape(k, N));
  act_backward(Act::relu, dbn1.data(), da1.data(), c.bn1.data(), dbn1.size());
  batchnorm_backward(dup1.data(), g.grad_ptr(g_bn1_w_), g.grad_ptr(g_bn1_b_), dbn1.data(), c.bn1_xhat.data(),
                     c.bn1_invstd.data(), g.ptr(g_bn1_w_), {N, k.g_ch1, 196});
  std::vector<float> da0(c.a0.size(), 0.0f), dbn0(c.a0.size(), 0.0f), dfc(c.fc.size(), 0.0f);
  conv_transpose2d_backward(da0.data(), g.grad_ptr(g_up1_w_), g.grad_ptr(g_up1_b_), dup1.data(), c.a0.data(),
                            g.ptr(g_up1_w_), up1_shape(k, N));
  act_backward(Act::relu, dbn0.data(), da0.data(), c.bn0.data(), dbn0.size());
  batchnorm_backward(dfc.data(), g.grad_ptr(g_bn0_w_), g.grad_ptr(g_bn0_b_), dbn0.data(), c.bn0_xhat.data(),
                     c.bn0_invstd.data(), g.ptr(g_bn0_w_), {N, k.g_ch0, 49});
  std::vector<float> din(c.in.size(), 0.0f);  // (N, Z+E)
  linear_backward(MatMap(din.data(), N, in), g.grad_mat(g_fc_w_), g.grad_ptr(g_fc_b_), CMatMap(dfc.data(), N, F0),
                  CMatMap(c.in.data(), N, in), std::as_const(g).mat(g_fc_w_));
  for (int n = 0; n < N; ++n) {
    float* de = g.grad_ptr(g_emb_) + size_t(c.labels[n]) * k.emb_dim;
    const float* src = din.data() + size_t(n) * in + k.z_dim;
    for (int e = 0; e < k.emb_dim; ++e) de[e] += src[e];
  }
}

// [SECTION] discriminator forward/backward
void ImageGan::disc_forward(DiscCache& c, const float* x, const int* labels, int N) const {
  const ImageGanConfig& k = cfg_;
  c.N = N;
  c.labels.assign(labels, labels + N);
  c.x.assign(x, x + size_t(N) * 784);
  auto s0 = down0_shape(k, N), s1 = down1_shape(k, N);
  c.c0.resize(s0.out_size());
  conv2d_forward(c.c0.data(), c.x.data(), d.ptr(d_c0_w_), d.ptr(d_c0_b_), s0);
  c.a0.resize(c.c0.size());
  act_forward(Act::leaky_relu, c.a0.data(), c.c0.data(), c.a0.size());
  c.c1.resize(s1.out_size());
  conv2d_forward(c.c1.data(), c.a0.data(), d.ptr(d_c1_w_), d.ptr(d_c1_b_), s1);
  c.a1.resize(c.c1.size());
  act_forward(Act::leaky_relu, c.a1.data(), c.c1.data(), c.a1.size());
  const int In = k.d_ch1 * 49, F = k.d_feat;
  c.fc.resize(size_t(N) * F);
  linear_forward(MatMap(c.fc.data(), N, F), CMatMap(c.a1.data(), N, In), d.mat(d_fc_w_), d.ptr(d_fc_b_));
  c.h.resize(c.fc.size());
  act_forward(Act::leaky_relu, c.h.data(), c.fc.data(), c.h.size());
  c.score.resize(size_t(N));
  const float* w = d.ptr(d_out_w_);
  for (int n = 0; n < N; ++n) {
    if (labels[n] < 0 || labels[n] >= k.n_classes) fail("image-gan: class " + std::to_string(labels[n]) + " out of range");
    const float* h = c.h.data() + size_t(n) * F;
    const float* e = d.ptr(d_emb_) + size_t(labels[n]) * F;
    double s = d.ptr(d_out_b_)[0];
    for (int f = 0; f < F; ++f) s += double(h[f]) * (w[f] + e[f]);  // linear head + projection term
    c.score[size_t(n)] = float(s);
  }
}

void ImageGan::disc_backward(DiscCache& c, const float* dscore, float* dx, bool param_grads) {
  const ImageGanConfig& k = cfg_;
  const int N = c.N, F = k.d_feat, In = k.d_ch1 * 49;
  std::vector<float> dh(c.h.size(), 0.0f), dfc(c.h.size(), 0.0f);
  const float* w = d.ptr(d_out_w_);
  for (int n = 0; n < N; ++n) {
    const float* h = c.h.data() + size_t(n) * F;
    const float* e = d.ptr(d_emb_) + size_t(c.labels[n]) * F;
    const float g = dscore[n];
    for (int f = 0; f < F; ++f) dh[size_t(n) * F + f] = g * (w[f] + e[f]);
    if (param_grads) {
      float* dw = d.grad_ptr(d_out_w_);
      float* de = d.grad_ptr(d_emb_) + size_t(c.labels[n]) * F;
      for (int f = 0; f < F; ++f) {
        dw[f] += g * h[f];
        de[f] += g * h[f];
      }
      d.grad_ptr(d_out_b_)[0] += g;
    }
  }
  act_backward(Act::leaky_relu, dfc.data(), dh.data(), c.fc.data(), dfc.size());
  std::vector<float> da1(c.a1.size(), 0.0f), dc1(c.c1.size(), 0.0f);
  if (param_grads)
    linear_backward(MatMap(da1.data(), N, In), d.grad_mat(d_fc_w_), d.grad_ptr(d_fc_b_), CMatMap(dfc.data(), N, F),
                    CMatMap(c.a1.data(), N, In), std::as_const(d).mat(d_fc_w_));
  else
    MatMap(da1.data(), N, In).noalias() += CMatMap(dfc.data(), N, F) * d.mat(d_fc_w_);  // (N, F)·(F, In)
  act_backward(Act::leaky_relu, dc1.data(), da1.data(), c.c1.data(), dc1.size());
  // Bias gradients are summed here in a fixed order: an Eigen row sum over a std::vector's memory
  // peels by address alignment, which would make training depend on where malloc put the buffer.
  auto add_bias_grad = [&](float* db, const std::vector<float>& dy, int C, int HW) {
    for (int n = 0; n < N; ++n)
      for (int ch = 0; ch < C; ++ch) {
        const float* p = dy.data() + (size_t(n) * C + ch) * HW;
        float acc = 0;
        for (int i = 0; i < HW; ++i) acc += p[i];
        db[ch] += acc;
      }
  };
  std::vector<float> da0(c.a0.size(), 0.0f), dc0(c.c0.size(), 0.0f);
  conv2d_backward(da0.data(), param_grads ? d.grad_ptr(d_c1_w_) : nullptr, nullptr, dc1.data(), c.a0.data(),
                  d.ptr(d_c1_w_), down1_shape(k, N));
  if (param_grads) add_bias_grad(d.grad_ptr(d_c1_b_), dc1, k.d_ch1, 49);
  act_backward(Act::leaky_relu, dc0.data(), da0.data(), c.c0.data(), dc0.size());
  conv2d_backward(dx, param_grads ? d.grad_ptr(d_c0_w_) : nullptr, nullptr, dc0.data(), c.x.data(), d.ptr(d_c0_w_),
                  down0_shape(k, N));
  if (param_grads) add_bias_grad(d.grad_ptr(d_c0_b_), dc0, k.d_ch0, 196);
}

// [SECTION] sampling helpers
std::vector<float> ImageGan::generate(const std::vector<float>& z, const std::vector<int>& labels) const {
  SingleThreadScope one_thread;
  const int N = int(labels.size());
  if (z.size() != size_t(N) * cfg_.z_dim) fail("image-gan: latent batch does not match the number of labels");
  if (N == 0) return {};
  GenCache c;
  gen_forward_impl(c, z.data(), labels.data(), N, nullptr, 0.0f);
  return c.img;
}

std::vector<float> ImageGan::latent_for_seed(uint64_t seed) const {
  Rng rng(seed);
  std::vector<float> z(size_t(cfg_.z_dim));
  for (auto& v : z) v = rng.normal_f();
  return z;
}

std::vector<float> ImageGan::interpolate_latent(uint64_t seed_a, uint64_t seed_b, float t) const {
  if (!(t >= 0 && t <= 1)) fail("interpolate: t must be in [0, 1]");
  auto a = latent_for_seed(seed_a), b = latent_for_seed(seed_b);
  double na = 0, nb = 0, dot = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
    dot += double(a[i]) * b[i];
  }
  const double cosw = std::clamp(dot / std::sqrt(na * nb + 1e-30), -1.0, 1.0);
  const double omega = std::acos(cosw);
  std::vector<float> z(a.size());
  if (omega < 1e-4) {  // nearly parallel: plain linear interpolation
    for (size_t i = 0; i < z.size(); ++i) z[i] = float((1 - t) * a[i] + t * b[i]);
  } else {  // slerp keeps the norm typical of a Gaussian latent
    const double ka = std::sin((1 - t) * omega) / std::sin(omega), kb = std::sin(t * omega) / std::sin(omega);
    for (size_t i = 0; i < z.size(); ++i) z[i] = float(ka * a[i] + kb * b[i]);
  }
  return z;
}

float ImageGan::score(const float* image, int label) const {
  SingleThreadScope one_thread;
  DiscCache c;
  disc_forward(c, image, &label, 1);
  return c.score[0];
}

// [SECTION] checkpoints
void ImageGan::save(const std::string& path, bool half, const std::map<std::string, std::string>& extra_meta) const {
  SafeTensors st;
  st.metadata = extra_meta;
  st.metadata["glassbox.model"] = "image-gan";
  st.metadata["glassbox.config"] = cfg_.to_json();
  const DType dt = half ? DType::F16 : DType::F32;
  for (const ParamSet* p : {&g, &g_buf, &d})
    for (size_t i = 0; i < p->views().size(); ++i) {
      const auto& v = p->views()[i];
      st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), p->ptr(i), dt);
    }
  write_safetensors(path, st);
}

static void load_params(const SafeTensors& st, ParamSet& p) {
  for (size_t i = 0; i < p.views().size(); ++i) {
    const auto& v = p.views()[i];
    auto w = st.get_float(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));  // finite, checked
    std::copy(w.begin(), w.end(), p.ptr(i));
  }
}

ImageGan ImageGan::load(const std::string& path) {
  SafeTensors st = read_safetensors(path);
  auto it = st.metadata.find("glassbox.model");
  if (it == st.metadata.end() || it->second != "image-gan")
    fail_file(path, "not a Glassbox image-GAN checkpoint (metadata glassbox.model != image-gan)");
  auto cj = st.metadata.find("glassbox.config");
  if (cj == st.metadata.end()) fail_file(path, "missing glassbox.config metadata");
  const ImageGanConfig cfg = ImageGanConfig::from_json(cj->second, path);
  std::optional<ImageGan> made;
  {
    ParamFileCheck check(st, "", "glassbox.config " + cfg.to_json());  // shapes and memory, before allocating
    made.emplace(cfg);
  }
  ImageGan& m = *made;
  load_params(st, m.g);
  load_params(st, m.g_buf);
  load_params(st, m.d);
  return std::move(m);
}

// [SECTION] training
ImageGanTrainer::ImageGanTrainer(const ImageGanConfig& mc, const ImageGanTrainConfig& t) : model(mc), tc(t), rng(t.seed) {
  model.init(t.seed);
  for (AdamW* o : {&opt_g, &opt_d}) {
    o->config.beta1 = t.beta1;
    o->config.beta2 = t.beta2;
    o->config.weight_decay = 0.0f;
  }
  rng.reseed(t.seed ^ 0xA5A5A5A5ull);  // a stream apart from the initialisation's
}

std::pair<float, float> ImageGanTrainer::train_step(const ImageData& data) {
  SingleThreadScope one_thread;
  if (data.count <= 0) fail("image-gan training: no images");
  if (!(std::isfinite(tc.lr_g) && std::isfinite(tc.lr_d)) || tc.lr_g < 0 || tc.lr_d < 0)
    fail("image-gan training: learning rates must be finite and non-negative");
  const ImageGanConfig& k = model.config();
  const int B = tc.batch;
  std::vector<float> real(size_t(B) * 784), z(size_t(B) * k.z_dim);
  std::vector<int> real_labels(static_cast<size_t>(B)), fake_labels(static_cast<size_t>(B));
  for (int n = 0; n < B; ++n) {
    const size_t idx = size_t(rng.below(uint64_t(data.count)));
    for (int p = 0; p < 784; ++p) real[size_t(n) * 784 + p] = pixel_to_model(data.images[idx * 784 + p]);
    real_labels[size_t(n)] = int(data.labels[idx]) % k.n_classes;
  }
  auto draw_fakes = [&] {
    for (auto& v : z) v = rng.normal_f();
    for (auto& l : fake_labels) l = int(rng.below(uint64_t(k.n_classes)));
  };
  // D step: real batch up, generated batch down.
  draw_fakes();
  model.gen_forward(gc_, z.data(), fake_labels.data(), B, true);
  model.d.zero_grad();
  DiscCache& dr = dc_;
  DiscCache df;
  model.disc_forward(dr, real.data(), real_labels.data(), B);
  model.disc_forward(df, gc_.img.data(), fake_labels.data(), B);
  std::vector<float> dreal(static_cast<size_t>(B)), dfake(static_cast<size_t>(B));
  const float d_loss = gan_d_loss(tc.loss, dr.score.data(), B, df.score.data(), B, dreal.data(), dfake.data());
  model.disc_backward(dr, dreal.data(), nullptr, true);
  model.disc_backward(df, dfake.data(), nullptr, true);
  opt_d.step(model.d, tc.lr_d);
  // G step: fresh latents, gradient flows through D (its parameters untouched) into G.
  draw_fakes();
  model.gen_forward(gc_, z.data(), fake_labels.data(), B, true);
  model.disc_forward(df, gc_.img.data(), fake_labels.data(), B);
  std::vector<float> dimg(gc_.img.size(), 0.0f);
  const float g_loss = gan_g_loss(tc.loss, df.score.data(), B, dfake.data());
  model.disc_backward(df, dfake.data(), dimg.data(), false);
  model.g.zero_grad();
  model.gen_backward(gc_, dimg.data());
  opt_g.step(model.g, tc.lr_g);
  // Weight averaging; the decay ramps up so early averages are not dominated by the initial weights.
  if (g_ema.size() != model.g.data.size()) g_ema = model.g.data;
  const float decay = std::min(tc.ema, float(step + 1) / float(step + 10));
  for (size_t i = 0; i < g_ema.size(); ++i) g_ema[i] = decay * g_ema[i] + (1 - decay) * model.g.data[i];
  ++step;
  d_losses.push_back(d_loss);
  g_losses.push_back(g_loss);
  return {d_loss, g_loss};
}

ImageGan ImageGanTrainer::averaged_model() const {
  ImageGan m = model;
  if (g_ema.size() == m.g.data.size()) {
    m.g.data = g_ema;
    m.recalibrate_bn(tc.seed ^ 0xBA7C4ull, 20, 256);
  }
  return m;
}

void ImageGanTrainer::save_checkpoint(const std::string& path) const {
  SafeTensors st;
  st.metadata["glassbox.model"] = "image-gan";
  st.metadata["glassbox.config"] = model.config().to_json();
  nlohmann::json t = {{"batch", tc.batch}, {"lr_g", tc.lr_g}, {"lr_d", tc.lr_d}, {"beta1", tc.beta1},
                      {"beta2", tc.beta2}, {"ema", tc.ema}, {"loss", gan_loss_name(tc.loss)}, {"seed", std::to_string(tc.seed)},
                      {"step", std::to_string(step)}, {"opt_g_t", std::to_string(opt_g.t)},
                      {"opt_d_t", std::to_string(opt_d.t)}};
  for (int i = 0; i < 4; ++i) t["rng"][i] = std::to_string(rng.s[size_t(i)]);
  st.metadata["glassbox.train"] = t.dump();
  for (const ParamSet* p : {&model.g, &model.g_buf, &model.d})
    for (size_t i = 0; i < p->views().size(); ++i) {
      const auto& v = p->views()[i];
      st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), p->ptr(i));
    }
  auto add_vec = [&](const std::string& name, const std::vector<float>& v) {
    if (!v.empty()) st.add(name, {int64_t(v.size())}, v.data());
  };
  add_vec("train.opt_g.m", opt_g.m);
  add_vec("train.opt_g.v", opt_g.v);
  add_vec("train.opt_d.m", opt_d.m);
  add_vec("train.opt_d.v", opt_d.v);
  add_vec("train.g_ema", g_ema);
  add_vec("train.d_losses", d_losses);
  add_vec("train.g_losses", g_losses);
  write_safetensors(path, st);
}

ImageGanTrainer ImageGanTrainer::load_checkpoint(const std::string& path) {
  ImageGan m = ImageGan::load(path);
  SafeTensors st = read_safetensors(path);
  auto it = st.metadata.find("glassbox.train");
  if (it == st.metadata.end()) fail_file(path, "no training state (glassbox.train metadata); it can be sampled, not resumed");
  ImageGanTrainConfig tc;
  ImageGanTrainer tr(m.config(), tc);
  {
    const JsonIn t = JsonIn::parse(it->second, path, "glassbox.train");
    tr.tc.batch = t.int32("batch", 1, 4096);
    tr.tc.lr_g = float(t.number("lr_g", 0, 10));
    tr.tc.lr_d = float(t.number("lr_d", 0, 10));
    tr.tc.beta1 = float(t.number("beta1", 0, 0.999999));
    tr.tc.beta2 = float(t.number("beta2", 0, 0.999999));
    tr.tc.ema = float(t.number_or("ema", tr.tc.ema, 0, 1));
    const std::string loss = t.string("loss");
    try {
      tr.tc.loss = gan_loss_from_name(loss);
    } catch (const Error& e) {
      fail_file(path, std::string("glassbox.train.loss: ") + e.what());
    }
    tr.tc.seed = t.u64_string("seed");
    auto count = [&](const char* key) {  // a step counter: at most 2^40 (an Adam step of 1e23 is damage)
      const uint64_t v = t.u64_string(key);
      if (v > (uint64_t(1) << 40)) fail_file(path, std::string("glassbox.train.") + key + " is " + std::to_string(v) + ", beyond 2^40 steps");
      return int64_t(v);
    };
    tr.step = count("step");
    tr.opt_g.t = count("opt_g_t");
    tr.opt_d.t = count("opt_d_t");
    const std::vector<JsonIn> rng = t.array("rng");
    if (rng.size() != 4) fail_file(path, "glassbox.train.rng has " + std::to_string(rng.size()) + " words, expected 4");
    for (size_t i = 0; i < 4; ++i) tr.rng.s[i] = rng[i].as_u64_string();
  }
  for (AdamW* o : {&tr.opt_g, &tr.opt_d}) {
    o->config.beta1 = tr.tc.beta1;
    o->config.beta2 = tr.tc.beta2;
  }
  tr.model = std::move(m);
  auto get_vec = [&](const std::string& name, size_t n) {
    const SafeTensor* t = st.find(name);
    if (!t) return std::vector<float>();
    return st.get_float(name, {int64_t(n)});
  };
  tr.opt_g.m = get_vec("train.opt_g.m", tr.model.g.count());
  tr.opt_g.v = get_vec("train.opt_g.v", tr.model.g.count());
  tr.opt_d.m = get_vec("train.opt_d.m", tr.model.d.count());
  tr.opt_d.v = get_vec("train.opt_d.v", tr.model.d.count());
  tr.g_ema = get_vec("train.g_ema", tr.model.g.count());
  if (const SafeTensor* t = st.find("train.d_losses")) tr.d_losses = t->to_float();
  if (const SafeTensor* t = st.find("train.g_losses")) tr.g_losses = t->to_float();
  return tr;
}

}  // namespace gb
