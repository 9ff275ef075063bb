// Transformer layers (src/nn/transformer_ops): every backward checked against central finite
// differences of its forward, plus the forward's own invariants (softmax rows, causal mask).
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <limits>
#include <vector>

#include "core/rng.hpp"
#include "nn/transformer_ops.hpp"

using namespace gb;

namespace {
std::vector<float> randn(Rng& rng, size_t n, float scale = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.normal_f() * scale;
  return v;
}
MatMap mm(std::vector<float>& v, int r, int c) { return MatMap(v.data(), r, c); }
CMatMap cm(const std::vector<float>& v, int r, int c) { return CMatMap(v.data(), r, c); }

// Compares `analytic` with central differences of `loss` w.r.t. every entry of x.
// Tolerance: the forward runs in float32; with eps = 1e-2 the difference quotient carries about
// 1e-4 absolute rounding noise and O(eps²) truncation error, well inside 2e-3 + 1e-2·|g|.
void check_grad(const char* what, std::vector<float>& x, const std::vector<float>& analytic,
                const std::function<double()>& loss, float eps = 1e-2f) {
  REQUIRE(x.size() == analytic.size());
  double max_err = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const float keep = x[i];
    x[i] = keep + eps;
    const double lp = loss();
    x[i] = keep - eps;
    const double lm = loss();
    x[i] = keep;
    const double num = (lp - lm) / (2.0 * double(eps));
    const double err = std::abs(num - double(analytic[i]));
    max_err = std::max(max_err, err);
    CAPTURE(what);
    CAPTURE(i);
    CHECK(err <= 2e-3 + 1e-2 * std::abs(num));
  }
  MESSAGE(std::string(what) << ": max |analytic − numeric| = " << max_err);
}
double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}
}  // namespace

TEST_CASE("layernorm backward matches finite differences; forward rows have mean b, scale w") {
  Rng rng(1);
  const int N = 3, C = 7;
  auto x = randn(rng, N * C, 2.0f), w = randn(rng, C), b = randn(rng, C), r = randn(rng, N * C);
  std::vector<float> out(N * C), mean(N), rstd(N);
  auto loss = [&] {
    layernorm_forward(mm(out, N, C), mean.data(), rstd.data(), cm(x, N, C), w.data(), b.data());
    return dot(out, r);
  };
  loss();
  // With w = 1, b = 0 each row has mean 0 and (biased) variance 1 − ε-ish.
  std::vector<float> ones(C, 1.0f), zeros(C, 0.0f), o2(N * C);
  layernorm_forward(mm(o2, N, C), nullptr, nullptr, cm(x, N, C), ones.data(), zeros.data());
  for (int n = 0; n < N; ++n) {
    double m = 0, v = 0;
    for (int c = 0; c < C; ++c) m += o2[n * C + c];
    for (int c = 0; c < C; ++c) v += o2[n * C + c] * o2[n * C + c];
    CHECK(std::abs(m / C) < 1e-6);
    CHECK(v / C == doctest::Approx(1.0).epsilon(1e-4));
  }
  std::vector<float> dx(N * C, 0.0f), dw(C, 0.0f), db(C, 0.0f);
  layernorm_backward(mm(dx, N, C), dw.data(), db.data(), cm(r, N, C), cm(x, N, C), w.data(), mean.data(), rstd.data());
  check_grad("layernorm dx", x, dx, loss);
  check_grad("layernorm dw", w, dw, loss);
  check_grad("layernorm db", b, db, loss);
}

TEST_CASE("softmax and fused cross-entropy backward match finite differences") {
  Rng rng(2);
  const int N = 4, V = 6;
  auto logits = randn(rng, N * V, 2.0f), r = randn(rng, N * V);
  std::vector<float> probs(N * V);
  auto loss_sm = [&] {
    softmax_forward(mm(probs, N, V), cm(logits, N, V));
    return dot(probs, r);
  };
  loss_sm();
  for (int n = 0; n < N; ++n) {
    double s = 0;
    for (int v = 0; v < V; ++v) s += probs[n * V + v];
    CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
  }
  std::vector<float> dl(N * V, 0.0f);
  softmax_backward(mm(dl, N, V), cm(r, N, V), cm(probs, N, V));
  check_grad("softmax dlogits", logits, dl, loss_sm);

  // Cross-entropy with one ignored row (target −1): mean over the 3 counted rows.
  std::vector<int32_t> tgt = {2, 0, -1, 5};
  std::vector<float> losses(N);
  auto loss_ce = [&] {
    softmax_forward(mm(probs, N, V), cm(logits, N, V));
    return double(crossentropy_forward(losses.data(), cm(probs, N, V), tgt.data()));
  };
  const double ce = loss_ce();
  CHECK(losses[2] == 0.0f);
  CHECK(ce == doctest::Approx((losses[0] + losses[1] + losses[3]) / 3.0));
  CHECK(losses[0] == doctest::Approx(-std::log(probs[0 * V + 2])));
  std::vector<float> dce(N * V, 0.0f);
  crossentropy_softmax_backward(mm(dce, N, V), cm(probs, N, V), tgt.data(), nullptr);
  check_grad("cross-entropy dlogits", logits, dce, loss_ce);
  // Huge logits stay finite.
  std::vector<float> big = {1000.0f, 0.0f, -1000.0f}, pb(3);
  softmax_forward(mm(pb, 1, 3), cm(big, 1, 3));
  CHECK(pb[0] == doctest::Approx(1.0));
  CHECK(pb[2] == 0.0f);
}

TEST_CASE("embedding and encoder backward scatter gradients to the rows used") {
  Rng rng(3);
  const int V = 5, C = 3, P = 4, B = 2, T = 3;
  auto wte = randn(rng, V * C), wpe = randn(rng, P * C), r = randn(rng, B * T * C);
  std::vector<int32_t> ids = {1, 4, 1, 0, 3, 3};
  std::vector<float> out(B * T * C);
  auto loss = [&] {
    encoder_forward(mm(out, B * T, C), ids.data(), cm(wte, V, C), cm(wpe, P, C), B, T, 1);
    return dot(out, r);
  };
  loss();
  CHECK(out[0] == doctest::Approx(wte[1 * C + 0] + wpe[1 * C + 0]));  // pos0 = 1
  std::vector<float> dwte(V * C, 0.0f), dwpe(P * C, 0.0f);
  encoder_backward(mm(dwte, V, C), mm(dwpe, P, C), cm(r, B * T, C), ids.data(), B, T, 1);
  check_grad("encoder dwte", wte, dwte, loss);
  check_grad("encoder dwpe", wpe, dwpe, loss);

  std::vector<float> e(B * T * C), de(V * C, 0.0f);
  auto loss_e = [&] {
    embedding_forward(mm(e, B * T, C), ids.data(), cm(wte, V, C));
    return dot(e, r);
  };
  loss_e();
  embedding_backward(mm(de, V, C), ids.data(), cm(r, B * T, C));
  check_grad("embedding dtable", wte, de, loss_e);
}

TEST_CASE("causal attention: masked scores, rows sum to 1, no peeking ahead, backward matches finite differences") {
  Rng rng(4);
  const int B = 2, T = 5, H = 2, C = 6;
  auto qkv = randn(rng, B * T * 3 * C), r = randn(rng, B * T * C);
  std::vector<float> out(B * T * C), pre(B * H * T * T), att(B * H * T * T);
  auto loss = [&] {
    attention_forward(mm(out, B * T, C), pre.data(), att.data(), cm(qkv, B * T, 3 * C), B, T, H);
    return dot(out, r);
  };
  loss();
  const int hs = C / H;
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h)
      for (int i = 0; i < T; ++i) {
        double s = 0;
        for (int j = 0; j < T; ++j) {
          const size_t k = ((size_t(b) * H + h) * T + i) * T + j;
          s += att[k];
          if (j > i) {
            CHECK(att[k] == 0.0f);
            CHECK(pre[k] == -std::numeric_limits<float>::infinity());
          } else {  // score = q_i · k_j / √hs
            double q = 0;
            for (int c = 0; c < hs; ++c)
              q += double(qkv[(size_t(b) * T + i) * 3 * C + h * hs + c]) * qkv[(size_t(b) * T + j) * 3 * C + C + h * hs + c];
            CHECK(pre[k] == doctest::Approx(q / std::sqrt(double(hs))).epsilon(1e-5));
          }
        }
        CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
      }
  // Changing the last token's q, k, v leaves every earlier output unchanged.
  std::vector<float> before = out;
  for (int c = 0; c < 3 * C; ++c) qkv[(size_t(0) * T + T - 1) * 3 * C + c] += 1.0f;
  loss();
  for (int t = 0; t < T - 1; ++t)
    for (int c = 0; c < C; ++c) CHECK(out[size_t(t) * C + c] == before[size_t(t) * C + c]);
  loss();
  std::vector<float> dqkv(B * T * 3 * C, 0.0f);
  attention_backward(mm(dqkv, B * T, 3 * C), cm(r, B * T, C), cm(qkv, B * T, 3 * C), att.data(), B, T, H);
  check_grad("attention dqkv", qkv, dqkv, loss);
}
