// Image GAN: finite-difference checks of the generator and discriminator backward passes (every
// layer: embedding, linear, batch norm, transposed convs, convs, projection), checkpoint round trip,
// seeded determinism.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "models/gan/image_gan.hpp"
#include "nn/batchnorm.hpp"

using namespace gb;

namespace {
ImageGanConfig tiny() {
  ImageGanConfig c;
  c.z_dim = 5;
  c.n_classes = 3;
  c.emb_dim = 2;
  c.g_ch0 = 3;
  c.g_ch1 = 2;
  c.d_ch0 = 2;
  c.d_ch1 = 3;
  c.d_feat = 4;
  return c;
}

// Checks analytic gradients in `grad` against central differences of `loss` for every `stride`-th
// entry of `data`. `loss(signs)` also appends the sign of every ReLU/LeakyReLU input: when a step of
// ±eps flips one of them (a kink lies inside the step), the difference quotient is not a derivative
// and the entry is skipped (at most 10% of entries may be); every other entry must match tightly.
template <class F>
void check_grads(std::vector<float>& data, const std::vector<float>& grad, F loss, const char* what, int stride = 1) {
  CAPTURE(what);
  const double eps = 3e-3;
  int checked = 0, kinked = 0;
  for (size_t i = 0; i < data.size(); i += size_t(stride)) {
    const float keep = data[i];
    std::vector<char> sp, sm;
    data[i] = keep + float(eps);
    const double lp = loss(sp);
    data[i] = keep - float(eps);
    const double lm = loss(sm);
    data[i] = keep;
    ++checked;
    if (sp != sm) {
      ++kinked;
      continue;
    }
    CAPTURE(i);
    CHECK(grad[i] == doctest::Approx((lp - lm) / (2 * eps)).epsilon(1e-2).scale(1.0));
  }
  MESSAGE(std::string(what) << ": " << checked << " entries checked, " << kinked << " skipped at kinks");
  CHECK(checked > 0);
  CHECK(kinked * 10 <= checked);
}

void signs_of(std::vector<char>& out, const std::vector<float>& v) {
  for (float x : v) out.push_back(x > 0);
}
}  // namespace

TEST_CASE("batchnorm backward matches finite differences") {
  Rng rng(3);
  BatchNormShape s{3, 2, 5};
  std::vector<float> x(30), gamma{1.3f, 0.7f}, beta{0.1f, -0.2f}, r(30);
  for (auto& v : x) v = rng.normal_f();
  for (auto& v : r) v = rng.normal_f();
  auto loss = [&](std::vector<char>&) {
    std::vector<float> y(30), xh(30), is(2);
    batchnorm_forward_train(y.data(), xh.data(), is.data(), nullptr, nullptr, x.data(), gamma.data(), beta.data(), s);
    double l = 0;
    for (size_t i = 0; i < y.size(); ++i) l += double(y[i]) * r[i] + 0.1 * double(y[i]) * y[i] * y[i];
    return l;
  };
  std::vector<float> y(30), xh(30), is(2), dy(30), dx(30, 0.0f), dg(2, 0.0f), db(2, 0.0f);
  batchnorm_forward_train(y.data(), xh.data(), is.data(), nullptr, nullptr, x.data(), gamma.data(), beta.data(), s);
  for (size_t i = 0; i < y.size(); ++i) dy[i] = r[i] + 0.3f * y[i] * y[i];
  batchnorm_backward(dx.data(), dg.data(), db.data(), dy.data(), xh.data(), is.data(), gamma.data(), s);
  check_grads(x, dx, loss, "x");
  check_grads(gamma, dg, loss, "gamma");
  check_grads(beta, db, loss, "beta");
}

TEST_CASE("image GAN generator and discriminator gradients match finite differences") {
  ImageGan m(tiny());
  m.init(5);
  Rng rng(9);
  // Larger random weights than the init so every path carries signal.
  for (auto& w : m.g.data) w += 0.3f * rng.normal_f();
  for (auto& w : m.d.data) w += 0.3f * rng.normal_f();
  const int N = 3;
  std::vector<float> z(size_t(N) * 5), r(size_t(N) * 784);
  for (auto& v : z) v = rng.normal_f();
  for (auto& v : r) v = rng.normal_f();
  std::vector<int> labels{2, 0, 2};

  SUBCASE("generator: loss = Σ img · r") {
    auto loss = [&](std::vector<char>& signs) {
      GenCache c;
      m.gen_forward(c, z.data(), labels.data(), N, true);
      signs_of(signs, c.bn0);
      signs_of(signs, c.bn1);
      double l = 0;
      for (size_t i = 0; i < c.img.size(); ++i) l += double(c.img[i]) * r[i];
      return l;
    };
    GenCache c;
    m.gen_forward(c, z.data(), labels.data(), N, true);
    m.g.zero_grad();
    m.gen_backward(c, r.data());
    std::vector<float> grad = m.g.grad;
    // Sample every 7th parameter of the big linear layer, all of the rest.
    check_grads(m.g.data, grad, loss, "generator parameters", 7);
  }
  SUBCASE("discriminator: loss = Σ score · w, gradients to parameters and to the image") {
    std::vector<float> x(size_t(N) * 784), w{0.7f, -1.1f, 0.4f};
    for (auto& v : x) v = std::tanh(rng.normal_f());
    auto loss = [&](std::vector<char>& signs) {
      DiscCache c;
      m.disc_forward(c, x.data(), labels.data(), N);
      signs_of(signs, c.c0);
      signs_of(signs, c.c1);
      signs_of(signs, c.fc);
      double l = 0;
      for (int n = 0; n < N; ++n) l += double(c.score[size_t(n)]) * w[size_t(n)];
      return l;
    };
    DiscCache c;
    m.disc_forward(c, x.data(), labels.data(), N);
    m.d.zero_grad();
    std::vector<float> dx(x.size(), 0.0f);
    m.disc_backward(c, w.data(), dx.data(), true);
    std::vector<float> grad = m.d.grad;
    check_grads(m.d.data, grad, loss, "discriminator parameters", 5);
    check_grads(x, dx, loss, "image", 11);
    // Without parameter gradients the image gradient is the same and d.grad is untouched.
    m.d.zero_grad();
    std::vector<float> dx2(x.size(), 0.0f);
    m.disc_backward(c, w.data(), dx2.data(), false);
    CHECK(dx2 == dx);
    CHECK(m.d.grad_norm() == 0.0);
  }
}
