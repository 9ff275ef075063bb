// Finite-difference checks for linear + activations, and AdamW against a hand-computed step.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "nn/adamw.hpp"
#include "nn/linear.hpp"
#include "nn/params.hpp"

using namespace gb;

namespace {
// loss = sum(act(linear(x)) * r) for fixed random r; checks analytic grads against central differences.
double loss_of(Act a, const Mat& x, const Mat& W, const Vec& b, const Mat& r) {
  Mat h(x.rows(), W.rows()), y(x.rows(), W.rows());
  linear_forward(MatMap(h.data(), h.rows(), h.cols()), CMatMap(x.data(), x.rows(), x.cols()),
                 CMatMap(W.data(), W.rows(), W.cols()), b.data());
  act_forward(a, y.data(), h.data(), size_t(h.size()));
  return double((y.array() * r.array()).sum());
}
}  // namespace

TEST_CASE("linear + activation gradients match central finite differences") {
  for (Act a : {Act::identity, Act::relu, Act::leaky_relu, Act::tanh, Act::sigmoid, Act::silu, Act::gelu}) {
    CAPTURE(act_name(a));
    Rng rng(7);
    const int N = 4, In = 5, Out = 3;
    Mat x(N, In), W(Out, In), r(N, Out);
    Vec b(Out);
    for (int i = 0; i < x.size(); ++i) x.data()[i] = rng.normal_f();
    for (int i = 0; i < W.size(); ++i) W.data()[i] = rng.normal_f() * 0.5f;
    for (int i = 0; i < r.size(); ++i) r.data()[i] = rng.normal_f();
    for (int i = 0; i < b.size(); ++i) b[i] = rng.normal_f() * 0.1f;

    Mat h(N, Out), dh = Mat::Zero(N, Out), dx = Mat::Zero(N, In), dW = Mat::Zero(Out, In);
    Vec db = Vec::Zero(Out);
    linear_forward(MatMap(h.data(), N, Out), CMatMap(x.data(), N, In), CMatMap(W.data(), Out, In), b.data());
    act_backward(a, dh.data(), r.data(), h.data(), size_t(h.size()));
    linear_backward(MatMap(dx.data(), N, In), MatMap(dW.data(), Out, In), db.data(),
                    CMatMap(dh.data(), N, Out), CMatMap(x.data(), N, In), CMatMap(W.data(), Out, In));

    const double eps = 1e-3;
    // Tolerance: float32 forward with eps 1e-3 gives ~1e-4 absolute noise; kinks (ReLU at 0) are
    // avoided because random inputs are almost surely not within eps of 0.
    auto check = [&](Mat& param, const Mat& grad) {
      for (int i = 0; i < param.size(); ++i) {
        float keep = param.data()[i];
        param.data()[i] = keep + float(eps);
        double lp = loss_of(a, x, W, b, r);
        param.data()[i] = keep - float(eps);
        double lm = loss_of(a, x, W, b, r);
        param.data()[i] = keep;
        CHECK(grad.data()[i] == doctest::Approx((lp - lm) / (2 * eps)).epsilon(2e-2).scale(1.0));
      }
    };
    check(x, dx);
    check(W, dW);
    for (int i = 0; i < b.size(); ++i) {
      float keep = b[i];
      b[i] = keep + float(eps);
      double lp = loss_of(a, x, W, b, r);
      b[i] = keep - float(eps);
      double lm = loss_of(a, x, W, b, r);
      b[i] = keep;
      CHECK(db[i] == doctest::Approx((lp - lm) / (2 * eps)).epsilon(2e-2).scale(1.0));
    }
  }
}

TEST_CASE("AdamW first step moves each weight by lr·sign(g) plus decoupled decay") {
  ParamSet p;
  p.declare("w", {3}, true);
  p.declare("b", {2}, false);
  p.allocate();
  p.data = {1.0f, -2.0f, 0.5f, 3.0f, -1.0f};
  p.grad = {0.1f, -0.3f, 2.0f, -0.5f, 0.25f};
  AdamW opt;
  opt.config.weight_decay = 0.1f;
  const float lr = 0.01f;
  std::vector<float> before = p.data;
  opt.step(p, lr);
  // After one step m̂ = g and v̂ = g², so the update is lr·g/(|g|+eps) + lr·wd·w (decay views only).
  for (size_t i = 0; i < 5; ++i) {
    float g = p.grad[i];
    float wd = i < 3 ? 0.1f : 0.0f;
    float expect = before[i] - lr * (g / (std::fabs(g) + 1e-8f) + wd * before[i]);
    CHECK(p.data[i] == doctest::Approx(expect).epsilon(1e-6));
  }
}

TEST_CASE("learning-rate schedule: linear warm-up then cosine to the floor") {
  CHECK(lr_warmup_cosine(0, 10, 110, 1.0f, 0.1f) == doctest::Approx(0.1));
  CHECK(lr_warmup_cosine(9, 10, 110, 1.0f, 0.1f) == doctest::Approx(1.0));
  CHECK(lr_warmup_cosine(60, 10, 110, 1.0f, 0.1f) == doctest::Approx(0.55));
  CHECK(lr_warmup_cosine(110, 10, 110, 1.0f, 0.1f) == doctest::Approx(0.1));
}

TEST_CASE("ParamSet clips the global gradient norm") {
  ParamSet p;
  p.declare("a", {2, 2});
  p.allocate();
  p.grad = {3, 0, 0, 4};
  CHECK(p.clip_grad_norm(1.0) == doctest::Approx(5.0));
  CHECK(p.grad_norm() == doctest::Approx(1.0).epsilon(1e-5));
}
