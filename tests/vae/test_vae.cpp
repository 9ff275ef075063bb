// VAE engine: finite-difference gradient check, determinism for a seed, checkpoints (round trip,
// resume, corrupt files), the trace, and the comparison with PyTorch on the same weights (reference
// file written by tests/vae/vae_vs_torch.py).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/safetensors.hpp"
#include "models/vae/vae_train.hpp"

using namespace gb;
using gb::test::error_of;

namespace {
std::string tmp_path(const char* name) { return std::string("/tmp/gb_test_vae_") + name; }

VaeConfig tiny(bool conditional, bool conv = false) {
  VaeConfig c;
  c.latent = 3;
  c.n_classes = conditional ? 10 : 0;
  c.hidden1 = 8;
  c.hidden2 = 6;
  c.conv = conv;
  c.conv_ch0 = 3;
  c.conv_ch1 = 2;
  return c;
}

FashionMnist synthetic_images(int count, uint64_t seed) {
  FashionMnist d;
  d.count = count;
  d.images.resize(size_t(count) * 784);
  d.labels.resize(size_t(count));
  Rng r(seed);
  for (auto& p : d.images) p = uint8_t(r.below(256));
  for (auto& l : d.labels) l = uint8_t(r.below(10));
  return d;
}

}  // namespace

TEST_CASE("VAE gradients match central finite differences of rec + β·KL") {
  // MLP decoder with and without classes, and the conv decoder with classes. (The unconditional tiny conv decoder's
  // derivatives, ~0.8 along a unit direction, drown in the float rounding of its ~540-nat loss: the quotient wanders
  // from −0.74 to −0.86 as h goes from 0.1 to 3e-4. It is checked against PyTorch instead: tests/vae/vae_vs_torch.py.)
  for (int variant = 0; variant < 3; ++variant) {
    const bool conditional = variant >= 1, conv = variant == 2;
    CAPTURE(conditional);
    CAPTURE(conv);
    Vae m(tiny(conditional, conv));
    CHECK(int64_t(m.p.count()) == m.config().param_count());
    m.init(5);
    if (conv)  // with 2–3 channels over 784 pixels some ReLU inputs sit within a step h of their kink, where a
               // difference quotient is not a derivative: lift the biases so nearly all of them are clearly on
      for (const char* b : {"dec.fc.bias", "dec.conv1.bias", "dec.conv2.bias"}) {
        const ParamView* v = m.p.find(b);
        REQUIRE(v != nullptr);
        for (size_t i = 0; i < v->size; ++i) m.p.data[v->offset + i] += 0.5f;
      }
    const int N = 2, Z = m.config().latent;
    Rng r(9);
    std::vector<float> x(size_t(N) * 784), eps(size_t(N) * Z);
    for (auto& v : x) v = r.uniform_f();
    for (auto& v : eps) v = r.normal_f();
    const int labels[2] = {3, 8};
    const int* lp = conditional ? labels : nullptr;
    const float beta = 0.7f;
    VaeCache c;
    m.forward(c, x.data(), lp, eps.data(), N);
    m.p.zero_grad();
    m.backward(c, beta);
    const std::vector<float> grad = m.p.grad;
    auto loss = [&] {
      VaeCache cc;
      return m.forward(cc, x.data(), lp, eps.data(), N).total(beta);
    };
    const double h = 1e-3;
    int checked = 0, bad = 0;
    for (const auto& v : m.p.views()) {
      if (conv) {
        // The conv decoder's im2col products round differently for every nudged weight, which puts ~1e-2 of noise
        // into a one-weight difference quotient of these ~550-nat losses. Along a random unit direction u over the
        // whole tensor the derivative g·u is large enough to stand above that noise: three directions per tensor.
        // The encoder's weights reach the loss through the same decoder, so the same noise sits on their quotients
        // (seen on an AVX-512 machine: enc.fc1.weight[4551] backward 0.00213, one-weight quotient 0.00111).
        Rng dir(17 + v.offset);
        for (int d = 0; d < 3; ++d) {
          std::vector<double> u(v.size);
          double norm = 0;
          for (auto& e : u) norm += (e = dir.normal_f()) * e;
          norm = std::sqrt(norm);
          const std::vector<float> keep(m.p.data.begin() + long(v.offset), m.p.data.begin() + long(v.offset + v.size));
          auto nudged = [&](double step) {
            for (size_t i = 0; i < v.size; ++i) m.p.data[v.offset + i] = keep[i] + float(step * u[i] / norm);
            return loss();
          };
          const double fd = (nudged(h) - nudged(-h)) / (2 * h);
          std::copy(keep.begin(), keep.end(), m.p.data.begin() + long(v.offset));
          double g = 0;
          for (size_t i = 0; i < v.size; ++i) g += double(grad[v.offset + i]) * u[i] / norm;
          ++checked;
          if (std::abs(g - fd) > 1e-3 + 1e-2 * std::abs(fd)) {
            ++bad;
            MESSAGE(v.name << " along direction " << d << ": backward " << g << ", finite difference " << fd);
          }
        }
        continue;
      }
      const size_t stride = v.size > 200 ? 37 : 1;  // every parameter of small tensors, a spread of large ones
      for (size_t i = 0; i < v.size; i += stride) {
        float& w = m.p.data[v.offset + i];
        const float keep = w;
        w = keep + float(h);
        const double lp_ = loss();
        w = keep - float(h);
        const double lm = loss();
        w = keep;
        const double fd = (lp_ - lm) / (2 * h), g = grad[v.offset + i];
        ++checked;
        // float activations give the difference quotient ~1e-4 of noise; 1e-3 + 1% of the value
        if (std::abs(g - fd) > 1e-3 + 1e-2 * std::abs(fd)) {
          ++bad;
          if (bad < 5) MESSAGE(v.name << "[" << i << "]: backward " << g << ", finite difference " << fd);
        }
      }
    }
    CHECK(checked > (conv ? 20 : 400));
    CHECK(bad == 0);
  }
}

TEST_CASE("VAE loss terms: KL is zero at the prior, reconstruction is the Bernoulli NLL") {
  Vae m(tiny(false));
  m.init(1);
  std::fill(m.p.data.begin(), m.p.data.end(), 0.0f);  // μ = 0, log σ² = 0, logits 0 → p = ½ everywhere
  std::vector<float> x(784, 1.0f), eps(3, 0.5f);
  VaeCache c;
  VaeLoss L = m.forward(c, x.data(), nullptr, eps.data(), 1);
  CHECK(L.kl == doctest::Approx(0.0));
  CHECK(L.rec == doctest::Approx(784 * std::log(2.0)));
  // a shift of the encoder's μ bias by 1 in each of the 3 coordinates: KL = ½·3·1² = 1.5 nats
  float* eob = m.p.ptr(5);
  for (int k = 0; k < 3; ++k) eob[k] = 1.0f;
  L = m.forward(c, x.data(), nullptr, eps.data(), 1);
  CHECK(L.kl == doctest::Approx(1.5));
}

TEST_CASE("VAE training is deterministic for a seed and differs between seeds") {
  const FashionMnist data = synthetic_images(64, 3);
  VaeTrainConfig tc;
  tc.batch = 8;
  tc.steps = 6;
  tc.kl_warmup = 3;
  auto run = [&](uint64_t seed) {
    tc.seed = seed;
    VaeTrainer tr(tiny(true), tc);
    for (int s = 0; s < 6; ++s) tr.train_step(data);
    return tr;
  };
  VaeTrainer a = run(4), b = run(4), c = run(5);
  CHECK(a.model.p.data == b.model.p.data);
  CHECK(a.rec_history == b.rec_history);
  CHECK(a.model.p.data != c.model.p.data);
  CHECK(vae_beta_at(tc, 0) == doctest::Approx(1.0 / 3));
  CHECK(vae_beta_at(tc, 5) == doctest::Approx(1.0));
}

TEST_CASE("VAE training lowers the loss on a fixed small set") {
  const FashionMnist data = synthetic_images(16, 8);
  VaeTrainConfig tc;
  tc.batch = 16;
  tc.steps = 150;
  tc.lr = 3e-3f;
  VaeTrainer tr(tiny(false), tc);
  const VaeLoss before = vae_evaluate(tr.model, data);
  for (int s = 0; s < 150; ++s) tr.train_step(data);
  const VaeLoss after = vae_evaluate(tr.model, data);
  CHECK(after.total(1) < before.total(1) - 5.0);
}

TEST_CASE("VAE checkpoints: round trip, exact resume, corrupt files named") {
  const FashionMnist data = synthetic_images(32, 2);
  VaeTrainConfig tc;
  tc.batch = 4;
  tc.steps = 10;
  VaeTrainer tr(tiny(true), tc);
  for (int s = 0; s < 3; ++s) tr.train_step(data);
  const std::string ck = tmp_path("ckpt.safetensors");
  tr.save_checkpoint(ck);
  VaeTrainer back = VaeTrainer::load_checkpoint(ck);
  for (int s = 0; s < 2; ++s) {
    tr.train_step(data);
    back.train_step(data);
  }
  CHECK(tr.model.p.data == back.model.p.data);
  CHECK(back.step == 5);
  CHECK(back.rec_history.size() == 5);

  const std::string f16 = tmp_path("half.safetensors");
  tr.model.save(f16, true);
  Vae h = Vae::load(f16);
  CHECK(h.config().n_classes == 10);
  for (size_t i = 0; i < h.p.data.size(); i += 97) CHECK(h.p.data[i] == doctest::Approx(tr.model.p.data[i]).epsilon(1e-3));

  // truncated
  const std::string bytes = read_file(f16);
  const std::string cut = tmp_path("cut.safetensors");
  write_file_atomic(cut, bytes.substr(0, bytes.size() / 2));
  CHECK(error_of([&] { Vae::load(cut); }).find(cut) == 0);
  // another family's file
  SafeTensors st = read_safetensors(f16);
  st.metadata["glassbox.model"] = "image-gan";
  const std::string other = tmp_path("other.safetensors");
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find("not a Glassbox VAE checkpoint") != std::string::npos);
  // absurd config, non-integer config
  st.metadata["glassbox.model"] = "vae";
  st.metadata["glassbox.config"] = R"({"latent": 3, "n_classes": 10, "hidden1": 100000, "hidden2": 6})";
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find("glassbox.config.hidden1 is 100000 (a whole number), expected a whole number from 1 to 4096") != std::string::npos);
  st.metadata["glassbox.config"] = R"({"latent": "3", "n_classes": 10, "hidden1": 8, "hidden2": 6})";
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find("glassbox.config.latent is \"3\" (a string), expected a whole number") != std::string::npos);
  // a NaN weight
  st = read_safetensors(f16);
  std::vector<float> w = st.get("dec.out.bias").to_float();
  w[7] = std::nanf("");
  st.add("dec.out.bias", {784}, w.data());
  write_safetensors(other, st);
  const std::string e = error_of([&] { Vae::load(other); });
  CHECK(e.find(other) == 0);
  CHECK(e.find("tensor `dec.out.bias` holds NaN at element 7") != std::string::npos);
}

TEST_CASE("VAE with the conv decoder: checkpoint round trip, exact resume, its config checked") {
  const FashionMnist data = synthetic_images(32, 3);
  VaeTrainConfig tc;
  tc.batch = 4;
  tc.steps = 10;
  VaeTrainer tr(tiny(true, true), tc);
  for (int s = 0; s < 3; ++s) tr.train_step(data);
  const std::string ck = tmp_path("conv_ckpt.safetensors");
  tr.save_checkpoint(ck);
  VaeTrainer back = VaeTrainer::load_checkpoint(ck);
  CHECK(back.model.config().conv);
  CHECK(back.model.config().conv_ch0 == 3);
  CHECK(back.model.config().conv_ch1 == 2);
  for (int s = 0; s < 2; ++s) {
    tr.train_step(data);
    back.train_step(data);
  }
  CHECK(tr.model.p.data == back.model.p.data);
  // the decoded picture is the same through decode() and through a training forward's logits
  const std::vector<float> z = tr.model.prior_latents(2, 5, 1.0f);
  const int labels[2] = {1, 7};
  const std::vector<float> pic = tr.model.decode(z.data(), labels, 2);
  REQUIRE(pic.size() == 2 * 784);
  for (float v : pic) CHECK((v > 0 && v < 1));
  // an unknown decoder and absurd channel counts are named
  SafeTensors st = read_safetensors(ck);
  const std::string other = tmp_path("conv_other.safetensors");
  st.metadata["glassbox.config"] = R"({"latent": 3, "n_classes": 10, "hidden1": 8, "hidden2": 6, "decoder": "deconv"})";
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find("decoder is `deconv`, expected `mlp` or `conv`") != std::string::npos);
  st.metadata["glassbox.config"] =
      R"({"latent": 3, "n_classes": 10, "hidden1": 8, "hidden2": 6, "decoder": "conv", "conv_ch0": 0, "conv_ch1": 2})";
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find("conv_ch0 is 0") != std::string::npos);
  // an MLP config on conv weights: the tensors do not match
  st.metadata["glassbox.config"] = R"({"latent": 3, "n_classes": 10, "hidden1": 8, "hidden2": 6})";
  write_safetensors(other, st);
  CHECK(error_of([&] { Vae::load(other); }).find(other) == 0);
}

TEST_CASE("VAE trace: z = μ + σ·ε and the two terms of one image") {
  Vae m(tiny(true));
  m.init(2);
  std::vector<float> x(784);
  Rng r(1);
  for (auto& v : x) v = r.uniform_f();
  Rng draw(42);
  const VaeTrace t = m.trace(x.data(), 4, draw);
  REQUIRE(t.z.size() == 3);
  CHECK(t.label == 4);
  for (int k = 0; k < 3; ++k) CHECK(t.z[size_t(k)] == doctest::Approx(t.mu[size_t(k)] + t.sigma[size_t(k)] * t.eps[size_t(k)]));
  const auto stats = m.encode(x.data(), &t.label, 1);
  CHECK(stats[0] == t.mu[0]);
  const auto dec = m.decode(t.z.data(), &t.label, 1);
  CHECK(dec == t.recon);
  CHECK(t.loss.rec > 0);
  CHECK(t.loss.kl >= 0);
  CHECK(error_of([&] { (void)m.decode(t.z.data(), nullptr, 1); }).find("needs a class") != std::string::npos);
  const int bad = 10;
  CHECK(error_of([&] { (void)m.decode(t.z.data(), &bad, 1); }).find("class 10 out of range") != std::string::npos);
}

TEST_CASE("VAE matches PyTorch on the same weights" * doctest::skip()) {
  const char* path = std::getenv("GB_VAE_REF");
  REQUIRE_MESSAGE(path != nullptr, "run through tests/vae/vae_vs_torch.py (sets GB_VAE_REF)");
  const SafeTensors st = read_safetensors(path);
  std::vector<std::string> keys;
  for (size_t a = 0, b; a <= st.metadata.at("configs").size(); a = b + 1) {
    b = st.metadata.at("configs").find(',', a);
    if (b == std::string::npos) b = st.metadata.at("configs").size();
    keys.push_back(st.metadata.at("configs").substr(a, b - a));
  }
  CHECK(keys.size() == 4);
  for (const std::string& cfg_key : keys) {
    CAPTURE(cfg_key);
    const std::string prefix = cfg_key + ".";
    Vae m(VaeConfig::from_json(st.metadata.at(cfg_key), path));
    for (size_t i = 0; i < m.p.views().size(); ++i) {
      const auto& v = m.p.views()[i];
      auto w = st.get_float(prefix + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
      std::copy(w.begin(), w.end(), m.p.ptr(i));
    }
    const float beta = std::stof(st.metadata.at(prefix + "beta"));
    const std::vector<float> x = st.get(prefix + "input.x").to_float();
    const std::vector<float> eps = st.get(prefix + "input.eps").to_float();
    const std::vector<float> lf = st.get(prefix + "input.labels").to_float();
    const int N = int(x.size() / 784);
    std::vector<int> labels(lf.begin(), lf.end());
    VaeCache c;
    const VaeLoss L = m.forward(c, x.data(), m.config().conditional() ? labels.data() : nullptr, eps.data(), N);
    const std::vector<float> ref = st.get(prefix + "ref.loss").to_float();  // rec, kl
    CHECK(L.rec == doctest::Approx(ref[0]).epsilon(1e-5));
    CHECK(L.kl == doctest::Approx(ref[1]).epsilon(1e-5));
    m.p.zero_grad();
    m.backward(c, beta);
    double worst = 0;
    for (size_t i = 0; i < m.p.views().size(); ++i) {
      const auto& v = m.p.views()[i];
      const std::vector<float> g = st.get(prefix + "grad." + v.name).to_float();
      double scale = 0, diff = 0;
      for (size_t k = 0; k < g.size(); ++k) {
        scale = std::max(scale, double(std::abs(g[k])));
        diff = std::max(diff, double(std::abs(g[k] - m.p.grad[v.offset + k])));
      }
      const double rel = diff / std::max(scale, 1e-6);
      worst = std::max(worst, rel);
      CHECK_MESSAGE(rel < 1e-4, v.name << ": max |Δgrad| " << diff << " of max |grad| " << scale);
    }
    MESSAGE(cfg_key << ": rec " << L.rec << " kl " << L.kl << ", worst relative gradient difference " << worst);
  }
}
