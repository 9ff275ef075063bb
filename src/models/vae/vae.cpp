// VAE forward/backward (encoder, reparameterisation, decoder, Bernoulli + KL loss), sampling and
// checkpoints.
#include "models/vae/vae.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/safetensors.hpp"
#include "core/threads.hpp"
#include "nn/conv2d.hpp"
#include "nn/linear.hpp"

namespace gb {

// [SECTION] config
std::string VaeConfig::to_json() const {
  nlohmann::json j = {{"latent", latent}, {"n_classes", n_classes}, {"hidden1", hidden1}, {"hidden2", hidden2}};
  if (conv) {  // an MLP model's config stays as it was, so older readers still take it
    j["decoder"] = "conv";
    j["conv_ch0"] = conv_ch0;
    j["conv_ch1"] = conv_ch1;
  }
  return j.dump();
}

VaeConfig VaeConfig::from_json(const std::string& text, const std::string& file) {
  const JsonIn j = JsonIn::parse(text, file, "glassbox.config");
  VaeConfig c;
  c.latent = j.int32("latent", 1, 256);
  c.n_classes = j.int32("n_classes", 0, 100);
  c.hidden1 = j.int32("hidden1", 1, 4096);
  c.hidden2 = j.int32("hidden2", 1, 4096);
  const std::string dec = j.string_or("decoder", "mlp");
  if (dec != "mlp" && dec != "conv") j.fail_here("decoder is `" + dec + "`, expected `mlp` or `conv`");
  c.conv = dec == "conv";
  if (c.conv) {
    c.conv_ch0 = j.int32("conv_ch0", 1, 512);
    c.conv_ch1 = j.int32("conv_ch1", 1, 512);
  }
  return c;
}

int64_t VaeConfig::param_count() const {
  const int64_t X = kVaePixels, C = n_classes, H1 = hidden1, H2 = hidden2, Z = latent;
  const int64_t enc = (X + C) * H1 + H1 + H1 * H2 + H2 + H2 * 2 * Z + 2 * Z;
  if (!conv) return enc + (Z + C) * H2 + H2 + H2 * H1 + H1 + H1 * X + X;
  const int64_t K0 = conv_ch0, K1 = conv_ch1;
  return enc + (Z + C) * K0 * 49 + K0 * 49 + K1 * K0 * 9 + K1 + K1 * K1 * 9 + K1 + K1 * 9 + 1;
}

// [SECTION] construction
Vae::Vae(const VaeConfig& c) : cfg_(c) {
  const int C = c.n_classes, Z = c.latent, H1 = c.hidden1, H2 = c.hidden2;
  e1w_ = p.declare("enc.fc1.weight", {H1, kVaePixels + C});
  e1b_ = p.declare("enc.fc1.bias", {H1}, false);
  e2w_ = p.declare("enc.fc2.weight", {H2, H1});
  e2b_ = p.declare("enc.fc2.bias", {H2}, false);
  eow_ = p.declare("enc.out.weight", {2 * Z, H2});
  eob_ = p.declare("enc.out.bias", {2 * Z}, false);
  if (c.conv) {
    const int K0 = c.conv_ch0, K1 = c.conv_ch1;
    d1w_ = p.declare("dec.fc.weight", {K0 * 49, Z + C});
    d1b_ = p.declare("dec.fc.bias", {K0 * 49}, false);
    k1w_ = p.declare("dec.conv1.weight", {K1, K0, 3, 3});
    k1b_ = p.declare("dec.conv1.bias", {K1}, false);
    k2w_ = p.declare("dec.conv2.weight", {K1, K1, 3, 3});
    k2b_ = p.declare("dec.conv2.bias", {K1}, false);
    k3w_ = p.declare("dec.conv3.weight", {1, K1, 3, 3});
    k3b_ = p.declare("dec.conv3.bias", {1}, false);
  } else {
    d1w_ = p.declare("dec.fc1.weight", {H2, Z + C});
    d1b_ = p.declare("dec.fc1.bias", {H2}, false);
    d2w_ = p.declare("dec.fc2.weight", {H1, H2});
    d2b_ = p.declare("dec.fc2.bias", {H1}, false);
    dow_ = p.declare("dec.out.weight", {kVaePixels, H1});
    dob_ = p.declare("dec.out.bias", {kVaePixels}, false);
  }
  p.allocate();
}

void Vae::init(uint64_t seed) {
  Rng rng(seed);
  const std::vector<size_t> weights = cfg_.conv ? std::vector<size_t>{e1w_, e2w_, eow_, d1w_, k1w_, k2w_, k3w_}
                                                : std::vector<size_t>{e1w_, e2w_, eow_, d1w_, d2w_, dow_};
  for (size_t w : weights) {
    const size_t b = w + 1;  // each weight is declared right before its bias
    // PyTorch's default for nn.Linear and nn.Conv2d: fan_in = inputs × kernel area
    const int fan_in = int(p.views()[w].size / size_t(p.views()[w].shape[0]));
    const float bound = 1.0f / std::sqrt(float(fan_in));
    for (size_t i : {w, b}) {
      float* v = p.ptr(i);
      for (size_t k = 0; k < p.views()[i].size; ++k) v[k] = bound * (2.0f * rng.uniform_f() - 1.0f);
    }
  }
}

// [SECTION] loss pieces
static inline float softplus(float l) { return l > 0 ? l + std::log1p(std::exp(-l)) : std::log1p(std::exp(l)); }
static inline float sigmoid(float l) { return 1.0f / (1.0f + std::exp(-l)); }

double vae_bce_logits(const float* x, const float* logits, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += double(softplus(logits[i])) - double(x[i]) * logits[i];  // −log p(x|l)
  return s;
}

// KL(N(μ, σ²) ‖ N(0, 1)) summed over the Z coordinates of one row [μ | log σ²].
static double kl_row(const float* stats, int Z) {
  double s = 0;
  for (int k = 0; k < Z; ++k) {
    const double mu = stats[k], lv = stats[Z + k];
    s += 0.5 * (mu * mu + std::exp(lv) - 1.0 - lv);
  }
  return s;
}

// [SECTION] forward
void Vae::check_labels(const int* labels, int N) const {
  if (!cfg_.conditional()) return;
  if (!labels) fail("vae: this model is class-conditional and needs a class for every image");
  for (int n = 0; n < N; ++n)
    if (labels[n] < 0 || labels[n] >= cfg_.n_classes)
      fail("vae: class " + std::to_string(labels[n]) + " out of range 0–" + std::to_string(cfg_.n_classes - 1));
}

// Writes [v (width) ; one-hot(label) (C)] rows into out (N, width + C).
static void concat_one_hot(std::vector<float>& out, const float* v, int width, const int* labels, int C, int N) {
  const int W = width + C;
  out.assign(size_t(N) * W, 0.0f);
  for (int n = 0; n < N; ++n) {
    std::copy_n(v + size_t(n) * width, width, out.data() + size_t(n) * W);
    if (C > 0) out[size_t(n) * W + width + labels[n]] = 1.0f;
  }
}

// out (N, Out) = act(linear(in)), keeping the pre-activation too.
static void dense(std::vector<float>& pre, std::vector<float>* post, const std::vector<float>& in, int N, int In,
                  int Out, CMatMap W, const float* b) {
  pre.resize(size_t(N) * Out);
  linear_forward(MatMap(pre.data(), N, Out), CMatMap(in.data(), N, In), W, b);
  if (post) {
    post->resize(pre.size());
    act_forward(Act::relu, post->data(), pre.data(), pre.size());
  }
}

void Vae::encoder_forward(VaeCache& c, const float* x, const int* labels, int N) const {
  const int C = cfg_.n_classes, Z = cfg_.latent, H1 = cfg_.hidden1, H2 = cfg_.hidden2;
  check_labels(labels, N);
  concat_one_hot(c.enc_in, x, kVaePixels, labels, C, N);
  dense(c.enc_h1, &c.enc_a1, c.enc_in, N, kVaePixels + C, H1, p.mat(e1w_), p.ptr(e1b_));
  dense(c.enc_h2, &c.enc_a2, c.enc_a1, N, H1, H2, p.mat(e2w_), p.ptr(e2b_));
  dense(c.stats, nullptr, c.enc_a2, N, H2, 2 * Z, p.mat(eow_), p.ptr(eob_));
}

void Vae::decoder_forward(VaeCache& c, const float* z, const int* labels, int N) const {
  const int C = cfg_.n_classes, Z = cfg_.latent, H1 = cfg_.hidden1, H2 = cfg_.hidden2;
  check_labels(labels, N);
  concat_one_hot(c.dec_in, z, Z, labels, C, N);
  if (cfg_.conv) return conv_decoder_forward(c, N);
  dense(c.dec_h1, &c.dec_a1, c.dec_in, N, Z + C, H2, p.mat(d1w_), p.ptr(d1b_));
  dense(c.dec_h2, &c.dec_a2, c.dec_a1, N, H2, H1, p.mat(d2w_), p.ptr(d2b_));
  dense(c.logits, nullptr, c.dec_a2, N, H1, kVaePixels, p.mat(dow_), p.ptr(dob_));
}

static void relu(std::vector<float>& post, const std::vector<float>& pre) {
  post.resize(pre.size());
  act_forward(Act::relu, post.data(), pre.data(), pre.size());
}

static Conv2dShape conv3(int N, int Cin, int HW, int Cout) {
  Conv2dShape s;
  s.N = N;
  s.Cin = Cin;
  s.H = s.W = HW;
  s.Cout = Cout;
  s.K = 3;
  s.stride = 1;
  s.pad = 1;
  return s;
}

void Vae::conv_decoder_forward(VaeCache& c, int N) const {
  const int C = cfg_.n_classes, Z = cfg_.latent, K0 = cfg_.conv_ch0, K1 = cfg_.conv_ch1;
  dense(c.dec_h1, &c.dec_a1, c.dec_in, N, Z + C, K0 * 49, p.mat(d1w_), p.ptr(d1b_));  // (N, K0, 7, 7)
  c.dec_up1.resize(size_t(N) * K0 * 196);
  upsample2_forward(c.dec_up1.data(), c.dec_a1.data(), N * K0, 7, 7);
  c.dec_c1.resize(size_t(N) * K1 * 196);
  conv2d_forward(c.dec_c1.data(), c.dec_up1.data(), p.ptr(k1w_), p.ptr(k1b_), conv3(N, K0, 14, K1));
  relu(c.dec_ca1, c.dec_c1);
  c.dec_up2.resize(size_t(N) * K1 * 784);
  upsample2_forward(c.dec_up2.data(), c.dec_ca1.data(), N * K1, 14, 14);
  c.dec_c2.resize(size_t(N) * K1 * 784);
  conv2d_forward(c.dec_c2.data(), c.dec_up2.data(), p.ptr(k2w_), p.ptr(k2b_), conv3(N, K1, 28, K1));
  relu(c.dec_ca2, c.dec_c2);
  c.logits.resize(size_t(N) * kVaePixels);
  conv2d_forward(c.logits.data(), c.dec_ca2.data(), p.ptr(k3w_), p.ptr(k3b_), conv3(N, K1, 28, 1));
}

VaeLoss Vae::forward(VaeCache& c, const float* x, const int* labels, const float* eps, int N) const {
  const int Z = cfg_.latent;
  if (N < 1) fail("vae: empty batch");
  c.N = N;
  c.x.assign(x, x + size_t(N) * kVaePixels);
  if (cfg_.conditional()) c.labels.assign(labels, labels + N); else c.labels.clear();
  encoder_forward(c, x, labels, N);
  // z = μ + σ·ε with σ = exp(½ log σ²)
  c.eps.assign(eps, eps + size_t(N) * Z);
  c.z.resize(size_t(N) * Z);
  for (int n = 0; n < N; ++n) {
    const float* s = c.stats.data() + size_t(n) * 2 * Z;
    for (int k = 0; k < Z; ++k) c.z[size_t(n) * Z + k] = s[k] + std::exp(0.5f * s[Z + k]) * c.eps[size_t(n) * Z + k];
  }
  decoder_forward(c, c.z.data(), labels, N);
  VaeLoss L;
  for (int n = 0; n < N; ++n) {
    L.rec += vae_bce_logits(c.x.data() + size_t(n) * kVaePixels, c.logits.data() + size_t(n) * kVaePixels, kVaePixels);
    L.kl += kl_row(c.stats.data() + size_t(n) * 2 * Z, Z);
  }
  L.rec /= N;
  L.kl /= N;
  return L;
}

// [SECTION] backward
// Bias gradients summed in a fixed order (an Eigen column sum over std::vector memory may peel by
// address alignment, which would make training depend on where malloc put the buffer).
static void add_bias_grad(float* db, const std::vector<float>& dy, int N, int Out) {
  for (int n = 0; n < N; ++n) {
    const float* r = dy.data() + size_t(n) * Out;
    for (int o = 0; o < Out; ++o) db[o] += r[o];
  }
}

void Vae::backward(VaeCache& c, float beta) {
  const int N = c.N, C = cfg_.n_classes, Z = cfg_.latent, H1 = cfg_.hidden1, H2 = cfg_.hidden2;
  const float inv_n = 1.0f / float(N);
  const ParamSet& cp = p;
  // d(mean rec)/d logit = (sigmoid(l) − x) / N
  std::vector<float> dlogits(c.logits.size());
  for (size_t i = 0; i < dlogits.size(); ++i) dlogits[i] = (sigmoid(c.logits[i]) - c.x[i]) * inv_n;
  // decoder, top down
  auto layer_back = [&](std::vector<float>* dinp, size_t w, size_t b, const std::vector<float>& dout,
                        const std::vector<float>& inp, int In, int Out) {
    MatMap di = dinp ? MatMap(dinp->data(), N, In) : MatMap(nullptr, 0, In);
    linear_backward(di, p.grad_mat(w), nullptr, CMatMap(dout.data(), N, Out), CMatMap(inp.data(), N, In), cp.mat(w));
    add_bias_grad(p.grad_ptr(b), dout, N, Out);
  };
  auto relu_back = [&](const std::vector<float>& da, const std::vector<float>& pre) {
    std::vector<float> dpre(pre.size(), 0.0f);
    act_backward(Act::relu, dpre.data(), da.data(), pre.data(), pre.size());
    return dpre;
  };
  std::vector<float> d_dec_in(size_t(N) * (Z + C), 0.0f);
  if (cfg_.conv) {
    conv_decoder_backward(c, dlogits, d_dec_in);
  } else {
    std::vector<float> d_dec_a2(size_t(N) * H1, 0.0f);
    layer_back(&d_dec_a2, dow_, dob_, dlogits, c.dec_a2, H1, kVaePixels);
    std::vector<float> d_dec_h2 = relu_back(d_dec_a2, c.dec_h2);
    std::vector<float> d_dec_a1(size_t(N) * H2, 0.0f);
    layer_back(&d_dec_a1, d2w_, d2b_, d_dec_h2, c.dec_a1, H2, H1);
    std::vector<float> d_dec_h1 = relu_back(d_dec_a1, c.dec_h1);
    layer_back(&d_dec_in, d1w_, d1b_, d_dec_h1, c.dec_in, Z + C, H2);
  }
  // reparameterisation and KL: z = μ + exp(½ lv)·ε;  KL = ½ (μ² + e^lv − 1 − lv)
  std::vector<float> dstats(size_t(N) * 2 * Z);
  for (int n = 0; n < N; ++n) {
    const float* s = c.stats.data() + size_t(n) * 2 * Z;
    float* ds = dstats.data() + size_t(n) * 2 * Z;
    for (int k = 0; k < Z; ++k) {
      const float dz = d_dec_in[size_t(n) * (Z + C) + k];
      const float sigma = std::exp(0.5f * s[Z + k]);
      ds[k] = dz + beta * inv_n * s[k];                                                                     // ∂/∂μ
      ds[Z + k] = dz * c.eps[size_t(n) * Z + k] * 0.5f * sigma + beta * inv_n * 0.5f * (sigma * sigma - 1.0f);  // ∂/∂lv
    }
  }
  // encoder, top down (no gradient into the image)
  std::vector<float> d_enc_a2(size_t(N) * H2, 0.0f);
  layer_back(&d_enc_a2, eow_, eob_, dstats, c.enc_a2, H2, 2 * Z);
  std::vector<float> d_enc_h2 = relu_back(d_enc_a2, c.enc_h2);
  std::vector<float> d_enc_a1(size_t(N) * H1, 0.0f);
  layer_back(&d_enc_a1, e2w_, e2b_, d_enc_h2, c.enc_a1, H1, H2);
  std::vector<float> d_enc_h1 = relu_back(d_enc_a1, c.enc_h1);
  layer_back(nullptr, e1w_, e1b_, d_enc_h1, c.enc_in, kVaePixels + C, H1);
}

// The conv decoder, top down: from d loss / d logits (N, 784) to d loss / d [z ; one-hot] (added into d_dec_in).
void Vae::conv_decoder_backward(VaeCache& c, const std::vector<float>& dlogits, std::vector<float>& d_dec_in) {
  const int N = c.N, C = cfg_.n_classes, Z = cfg_.latent, K0 = cfg_.conv_ch0, K1 = cfg_.conv_ch1;
  const ParamSet& cp = p;
  auto relu_back = [](std::vector<float>& d, const std::vector<float>& pre) {  // in place: d *= (pre > 0)
    for (size_t i = 0; i < d.size(); ++i)
      if (!(pre[i] > 0)) d[i] = 0.0f;
  };
  std::vector<float> d_ca2(c.dec_ca2.size(), 0.0f);
  conv2d_backward(d_ca2.data(), p.grad_ptr(k3w_), p.grad_ptr(k3b_), dlogits.data(), c.dec_ca2.data(), cp.ptr(k3w_),
                  conv3(N, K1, 28, 1));
  relu_back(d_ca2, c.dec_c2);
  std::vector<float> d_up2(c.dec_up2.size(), 0.0f);
  conv2d_backward(d_up2.data(), p.grad_ptr(k2w_), p.grad_ptr(k2b_), d_ca2.data(), c.dec_up2.data(), cp.ptr(k2w_),
                  conv3(N, K1, 28, K1));
  std::vector<float> d_ca1(c.dec_ca1.size(), 0.0f);
  upsample2_backward(d_ca1.data(), d_up2.data(), N * K1, 14, 14);
  relu_back(d_ca1, c.dec_c1);
  std::vector<float> d_up1(c.dec_up1.size(), 0.0f);
  conv2d_backward(d_up1.data(), p.grad_ptr(k1w_), p.grad_ptr(k1b_), d_ca1.data(), c.dec_up1.data(), cp.ptr(k1w_),
                  conv3(N, K0, 14, K1));
  std::vector<float> d_a1(c.dec_a1.size(), 0.0f);
  upsample2_backward(d_a1.data(), d_up1.data(), N * K0, 7, 7);
  relu_back(d_a1, c.dec_h1);
  linear_backward(MatMap(d_dec_in.data(), N, Z + C), p.grad_mat(d1w_), nullptr, CMatMap(d_a1.data(), N, K0 * 49),
                  CMatMap(c.dec_in.data(), N, Z + C), cp.mat(d1w_));
  add_bias_grad(p.grad_ptr(d1b_), d_a1, N, K0 * 49);
}

// [SECTION] use
std::vector<float> Vae::encode(const float* x, const int* labels, int N) const {
  SingleThreadScope one_thread;
  if (N <= 0) return {};
  VaeCache c;
  encoder_forward(c, x, labels, N);
  return c.stats;
}

std::vector<float> Vae::decode(const float* z, const int* labels, int N) const {
  SingleThreadScope one_thread;
  if (N <= 0) return {};
  VaeCache c;
  decoder_forward(c, z, labels, N);
  for (float& v : c.logits) v = sigmoid(v);
  return c.logits;
}

VaeTrace Vae::trace(const float* x, int label, Rng& rng) const {
  SingleThreadScope one_thread;
  const int Z = cfg_.latent;
  VaeTrace t;
  t.label = cfg_.conditional() ? label : -1;
  std::vector<float> eps(static_cast<size_t>(Z));
  for (auto& e : eps) e = rng.normal_f();
  VaeCache c;
  t.loss = forward(c, x, cfg_.conditional() ? &label : nullptr, eps.data(), 1);
  t.mu.assign(c.stats.begin(), c.stats.begin() + Z);
  t.sigma.resize(size_t(Z));
  for (int k = 0; k < Z; ++k) t.sigma[size_t(k)] = std::exp(0.5f * c.stats[size_t(Z + k)]);
  t.eps = eps;
  t.z = c.z;
  t.recon.resize(kVaePixels);
  for (int i = 0; i < kVaePixels; ++i) t.recon[size_t(i)] = sigmoid(c.logits[size_t(i)]);
  return t;
}

std::vector<float> Vae::prior_latents(int N, uint64_t seed, float temperature, const int* labels, bool fitted) const {
  if (!(std::isfinite(temperature) && temperature >= 0)) fail("vae: temperature must be a finite number ≥ 0");
  if (fitted && has_fitted_prior()) {
    if (cfg_.conditional() && !labels) fail("vae: the fitted prior of a conditional model needs the classes");
    return fitted_.sample(cfg_.conditional() ? labels : nullptr, N, seed, temperature);
  }
  Rng rng(seed);
  std::vector<float> z(size_t(N) * cfg_.latent);
  for (auto& v : z) v = temperature * rng.normal_f();
  return z;
}

void Vae::set_fitted_prior(VaeFittedPrior p) {
  if (!p.empty()) {
    const int C = cfg_.conditional() ? cfg_.n_classes : 1;
    if (p.classes != C || p.latent != cfg_.latent)
      fail("vae: the fitted prior is for " + std::to_string(p.classes) + " classes and latent " + std::to_string(p.latent) +
           ", the model has " + std::to_string(C) + " and " + std::to_string(cfg_.latent));
    const std::string problem = p.check();
    if (!problem.empty()) fail("vae: " + problem);
  }
  fitted_ = std::move(p);
}

// [SECTION] checkpoints
void Vae::save(const std::string& path, bool half, const std::map<std::string, std::string>& extra_meta) const {
  SafeTensors st;
  st.metadata = extra_meta;
  st.metadata["glassbox.model"] = "vae";
  st.metadata["glassbox.config"] = cfg_.to_json();
  for (size_t i = 0; i < p.views().size(); ++i) {
    const auto& v = p.views()[i];
    st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), p.ptr(i), half ? DType::F16 : DType::F32);
  }
  if (has_fitted_prior()) {  // float32 always: a few thousand numbers, and L must stay exactly triangular
    const int64_t C = fitted_.classes, K = fitted_.components, Z = fitted_.latent;
    st.add("prior.weights", {C, K}, fitted_.weights.data(), DType::F32);
    st.add("prior.means", {C, K, Z}, fitted_.means.data(), DType::F32);
    st.add("prior.chol", {C, K, Z, Z}, fitted_.chol.data(), DType::F32);
  }
  write_safetensors(path, st);
}

Vae Vae::load(const std::string& path) {
  SafeTensors st = read_safetensors(path);
  auto it = st.metadata.find("glassbox.model");
  if (it == st.metadata.end() || it->second != "vae")
    fail_file(path, "not a Glassbox VAE checkpoint (metadata glassbox.model is " +
                        (it == st.metadata.end() ? std::string("missing") : "`" + it->second + "`") + ", expected `vae`)");
  auto cj = st.metadata.find("glassbox.config");
  if (cj == st.metadata.end()) fail_file(path, "missing glassbox.config metadata");
  Vae m(VaeConfig::from_json(cj->second, path));
  for (size_t i = 0; i < m.p.views().size(); ++i) {
    const auto& v = m.p.views()[i];
    // get_float refuses NaN/Inf, naming the tensor and the element (core/safetensors.cpp)
    auto w = st.get_float(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    std::copy(w.begin(), w.end(), m.p.ptr(i));
  }
  for (const auto& t : st.tensors())
    if (!m.p.find(t.name) && t.name.rfind("train.", 0) != 0 && t.name != "prior.weights" && t.name != "prior.means" &&
        t.name != "prior.chol")
      fail_file(path, "tensor `" + t.name + "` is not part of a VAE with this config");
  const int n_prior = int(bool(st.find("prior.weights"))) + int(bool(st.find("prior.means"))) + int(bool(st.find("prior.chol")));
  if (n_prior != 0 && n_prior != 3)
    fail_file(path, "a fitted prior needs prior.weights, prior.means and prior.chol; only " + std::to_string(n_prior) + " of them are here");
  if (n_prior == 3) {
    const SafeTensor& w = st.get("prior.weights");
    if (w.shape.size() != 2) fail_file(path, "prior.weights must have 2 dimensions (classes, components)");
    VaeFittedPrior fp;
    fp.classes = int(w.shape[0]), fp.components = int(w.shape[1]), fp.latent = m.cfg_.latent;
    const int C = m.cfg_.conditional() ? m.cfg_.n_classes : 1;
    if (fp.classes != C) fail_file(path, "prior.weights is for " + std::to_string(fp.classes) + " classes, the model has " + std::to_string(C));
    if (fp.components < 1 || fp.components > 4096) fail_file(path, "prior.weights has " + std::to_string(fp.components) + " components (1–4096)");
    const int64_t K = fp.components, Z = fp.latent;
    fp.weights = st.get_float("prior.weights", {C, K});
    fp.means = st.get_float("prior.means", {C, K, Z});
    fp.chol = st.get_float("prior.chol", {C, K, Z, Z});
    const std::string problem = fp.check();
    if (!problem.empty()) fail_file(path, problem);
    m.fitted_ = std::move(fp);
  }
  return m;
}

}  // namespace gb
