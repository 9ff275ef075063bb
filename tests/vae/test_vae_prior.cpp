// The fitted prior (models/vae/vae_prior.hpp) against closed-form statistics: a fit recovers the weights, means
// and covariances of a known mixture; draws have the mean and covariance L·Lᵀ·T² and the component frequencies
// the weights say (tolerances are multiples of the standard error for the sample size). Then the checkpoint
// round trip and the refusals of damaged prior tensors.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "common/error_of.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/safetensors.hpp"
#include "models/vae/vae.hpp"
#include "models/vae/vae_prior.hpp"

using namespace gb;
using gb::test::error_of;

namespace {
std::string tmp_path(const char* name) { return std::string("/tmp/gb_test_vae_prior_") + name; }

// One known 2-D Gaussian: mean (mx, my), covariance [[a, c], [c, b]].
struct Blob {
  double w, mx, my, a, b, c;
};

// Draws n points per class from the blobs of that class (exact mixture sampling), labels in order.
void draw_mixture(const std::vector<std::vector<Blob>>& classes, int n, uint64_t seed, std::vector<float>& pts,
                  std::vector<int>& labels) {
  Rng r(seed);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int i = 0; i < n; ++i) {
      double u = r.uniform();
      size_t k = 0;
      for (; k + 1 < classes[c].size(); ++k) {
        u -= classes[c][k].w;
        if (u < 0) break;
      }
      const Blob& B = classes[c][k];
      const double l11 = std::sqrt(B.a), l21 = B.c / l11, l22 = std::sqrt(B.b - l21 * l21);
      const double e1 = r.normal(), e2 = r.normal();
      pts.push_back(float(B.mx + l11 * e1));
      pts.push_back(float(B.my + l21 * e1 + l22 * e2));
      labels.push_back(int(c));
    }
}

VaeConfig cond_config(int latent) {
  VaeConfig c;
  c.latent = latent;
  c.n_classes = 10;
  c.hidden1 = 8;
  c.hidden2 = 6;
  return c;
}
}  // namespace

TEST_CASE("fitted prior: k-means + Gaussians recover a known mixture per class") {
  // class 0: two blobs 0.3 / 0.7; class 1: three blobs. Far apart, so k-means finds them exactly.
  const std::vector<std::vector<Blob>> truth = {
      {{0.3, -4, 0, 0.25, 0.5, 0.1}, {0.7, 4, 1, 0.5, 0.2, -0.15}},
      {{0.2, 0, 6, 0.3, 0.3, 0}, {0.5, 6, -6, 0.4, 0.1, 0.05}, {0.3, -6, -6, 0.1, 0.6, 0.0}}};
  const int n = 12000;
  std::vector<float> pts;
  std::vector<int> labels;
  draw_mixture(truth, n, 5, pts, labels);
  for (int K : {2, 3}) {
    // class 0 has two blobs: with K = 3 one of them is split, so only check K = 2 there; class 1 needs K = 3
    const VaeFittedPrior p = fit_vae_prior(pts, labels.data(), 2 * n, 2, 2, K, 1);
    CHECK(p.check() == "");
    for (int c = 0; c < 2; ++c) {
      if (int(truth[size_t(c)].size()) != K) continue;
      for (const Blob& B : truth[size_t(c)]) {
        int k = -1;  // the fitted component nearest to this blob's mean
        double best = 1e9;
        for (int j = 0; j < K; ++j) {
          const float* m = &p.means[(size_t(c) * K + j) * 2];
          const double d = std::hypot(m[0] - B.mx, m[1] - B.my);
          if (d < best) best = d, k = j;
        }
        const double nk = B.w * n;
        const float w = p.weights[size_t(c) * K + k];
        CHECK(std::fabs(w - B.w) < 5 * std::sqrt(B.w * (1 - B.w) / n));  // binomial standard error
        const float* m = &p.means[(size_t(c) * K + k) * 2];
        CHECK(std::fabs(m[0] - B.mx) < 5 * std::sqrt(B.a / nk));
        CHECK(std::fabs(m[1] - B.my) < 5 * std::sqrt(B.b / nk));
        const float* L = &p.chol[(size_t(c) * K + k) * 4];
        CHECK(L[1] == 0.0f);  // lower-triangular
        const double a = L[0] * L[0], c21 = L[2] * L[0], b = L[2] * L[2] + L[3] * L[3];
        // Var of a sample variance ≈ 2σ⁴/n; of a covariance ≈ (σ_x²σ_y² + c²)/n; the ridge adds 1e-4
        CHECK(std::fabs(a - B.a - 1e-4) < 5 * B.a * std::sqrt(2 / nk));
        CHECK(std::fabs(b - B.b - 1e-4) < 5 * B.b * std::sqrt(2 / nk));
        CHECK(std::fabs(c21 - B.c) < 5 * std::sqrt((B.a * B.b + B.c * B.c) / nk));
      }
    }
  }
}

TEST_CASE("fitted prior: draws have the mixture's weights, mean and covariance L·Lᵀ·T²") {
  VaeFittedPrior p;
  p.classes = 2, p.components = 3, p.latent = 2;
  p.weights = {1, 0, 0, 0.2f, 0.5f, 0.3f};
  p.means = {1, -2, 0, 0, 0, 0, 10, 0, 0, 10, -10, 0};
  // class 0, component 0: covariance [[4, 1.2], [1.2, 1]] = L·Lᵀ with L = [[2, 0], [0.6, 0.8]]
  p.chol = {2, 0, 0.6f, 0.8f, 1, 0, 0, 1, 1, 0, 0, 1, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0, 0.5f, 0.5f, 0, 0, 0.5f};
  REQUIRE(p.check() == "");
  const int N = 40000;
  for (float T : {1.0f, 0.5f}) {
    std::vector<int> labels(size_t(N), 0);
    const auto z = p.sample(labels.data(), N, 11, T);
    double mx = 0, my = 0;
    for (int i = 0; i < N; ++i) mx += z[size_t(i) * 2], my += z[size_t(i) * 2 + 1];
    mx /= N, my /= N;
    double sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < N; ++i) {
      const double dx = z[size_t(i) * 2] - mx, dy = z[size_t(i) * 2 + 1] - my;
      sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
    sxx /= N - 1, syy /= N - 1, sxy /= N - 1;
    const double a = 4.0 * T * T, b = 1.0 * T * T, c = 1.2 * T * T;
    CHECK(std::fabs(mx - 1) < 5 * std::sqrt(a / N));
    CHECK(std::fabs(my + 2) < 5 * std::sqrt(b / N));
    CHECK(std::fabs(sxx - a) < 5 * a * std::sqrt(2.0 / N));
    CHECK(std::fabs(syy - b) < 5 * b * std::sqrt(2.0 / N));
    CHECK(std::fabs(sxy - c) < 5 * std::sqrt((a * b + c * c) / N));
  }
  // class 1: the components are drawn with frequencies 0.2 / 0.5 / 0.3 and land around their centres
  std::vector<int> labels(size_t(N), 1), drawn;
  const auto z = p.sample(labels.data(), N, 12, 1.0f, &drawn);
  REQUIRE(drawn.size() == size_t(N));
  std::vector<int> count(3, 0);
  for (int i = 0; i < N; ++i) {
    const int k = drawn[size_t(i)];
    ++count[size_t(k)];
    CHECK(std::hypot(z[size_t(i) * 2] - p.means[size_t(3 + k) * 2], z[size_t(i) * 2 + 1] - p.means[size_t(3 + k) * 2 + 1]) < 4);
  }
  for (int k = 0; k < 3; ++k) {
    const double w = p.weights[size_t(3 + k)];
    CHECK(std::fabs(count[size_t(k)] / double(N) - w) < 5 * std::sqrt(w * (1 - w) / N));
  }
  // temperature 0: the component centres; a seed gives the same draws, another seed others
  const auto z0 = p.sample(labels.data(), 50, 3, 0.0f, nullptr);
  for (int i = 0; i < 50; ++i) CHECK((std::fabs(z0[size_t(i) * 2]) + std::fabs(z0[size_t(i) * 2 + 1])) == doctest::Approx(10.0));
  CHECK(p.sample(labels.data(), 50, 3, 1.0f) == p.sample(labels.data(), 50, 3, 1.0f));
  CHECK(p.sample(labels.data(), 50, 3, 1.0f) != p.sample(labels.data(), 50, 4, 1.0f));
  CHECK(error_of([&] { int bad = 2; p.sample(&bad, 1, 1, 1.0f); }).find("class 2 outside") != std::string::npos);
}

TEST_CASE("fitted prior: saved with the model, used only when asked, damaged tensors refused by name") {
  Vae m(cond_config(3));
  m.init(4);
  std::vector<float> mu;
  std::vector<int> labels;
  Rng r(9);
  for (int i = 0; i < 400; ++i) {
    labels.push_back(i % 10);
    for (int j = 0; j < 3; ++j) mu.push_back(float(r.normal()) + float(i % 10));
  }
  // without a fitted prior, `fitted` falls back to N(0, I)
  CHECK(m.prior_latents(5, 2, 1.0f, labels.data(), true) == m.prior_latents(5, 2, 1.0f));
  m.set_fitted_prior(fit_vae_prior(mu, labels.data(), 400, 3, 10, 2, 1));
  REQUIRE(m.has_fitted_prior());
  CHECK(m.prior_latents(5, 2, 1.0f, labels.data(), true) == m.fitted_prior().sample(labels.data(), 5, 2, 1.0f));
  CHECK(m.prior_latents(5, 2, 1.0f, labels.data(), false) == m.prior_latents(5, 2, 1.0f));
  CHECK(error_of([&] { m.prior_latents(5, 2, 1.0f, nullptr, true); }).find("needs the classes") != std::string::npos);
  CHECK(error_of([&] { Vae other(cond_config(4)); other.set_fitted_prior(m.fitted_prior()); }).find("latent 3") != std::string::npos);

  const std::string f = tmp_path("model.safetensors");
  m.save(f, true);
  const Vae back = Vae::load(f);
  REQUIRE(back.has_fitted_prior());  // float32 in the file: exact
  CHECK(back.fitted_prior().weights == m.fitted_prior().weights);
  CHECK(back.fitted_prior().means == m.fitted_prior().means);
  CHECK(back.fitted_prior().chol == m.fitted_prior().chol);

  const SafeTensors good = read_safetensors(f);
  const std::string bad = tmp_path("bad.safetensors");
  auto refused = [&](const std::function<void(SafeTensors&)>& damage) {
    SafeTensors st = good;
    damage(st);
    write_safetensors(bad, st);
    const std::string e = error_of([&] { Vae::load(bad); });
    CHECK(e.find(bad) == 0);  // names the file
    return e;
  };
  CHECK(refused([](SafeTensors& st) {
          std::vector<float> w = st.get("prior.weights").to_float();
          w[3] += 0.5f;
          st.add("prior.weights", {10, 2}, w.data());
        }).find("prior.weights of class 1 sum to") != std::string::npos);
  CHECK(refused([](SafeTensors& st) {
          std::vector<float> L = st.get("prior.chol").to_float();
          L[1] = 0.3f;  // above the diagonal
          st.add("prior.chol", {10, 2, 3, 3}, L.data());
        }).find("prior.chol is not lower-triangular") != std::string::npos);
  CHECK(refused([](SafeTensors& st) {
          std::vector<float> L = st.get("prior.chol").to_float();
          L[4] = -1;  // a diagonal entry
          st.add("prior.chol", {10, 2, 3, 3}, L.data());
        }).find("diagonal entry") != std::string::npos);
  CHECK(refused([](SafeTensors& st) {
          std::vector<float> mm = st.get("prior.means").to_float();
          mm[5] = std::nanf("");
          st.add("prior.means", {10, 2, 3}, mm.data());
        }).find("tensor `prior.means` holds NaN at element 5") != std::string::npos);
  CHECK(refused([](SafeTensors& st) {
          std::vector<float> w(9 * 2, 0.5f);
          st.add("prior.weights", {9, 2}, w.data());
        }).find("prior.weights is for 9 classes, the model has 10") != std::string::npos);
  CHECK(refused([&](SafeTensors& st) {
          SafeTensors fresh;
          fresh.metadata = st.metadata;
          for (const SafeTensor& t : st.tensors())
            if (t.name != "prior.chol") fresh.add_raw(t.name, t.dtype, t.shape, t.bytes, t.nbytes);
          st = fresh;
        }).find("only 2 of them are here") != std::string::npos);
}
