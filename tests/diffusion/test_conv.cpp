// Conv2d, GroupNorm and 2× resampling: gradients against central finite differences (double-checked
// loss L = Σ w·y with fixed random w), and PyTorch reference values (via conv_vs_torch.py).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/files.hpp"
#include "core/rng.hpp"
#include "nn/conv2d.hpp"
#include "nn/conv_groupnorm.hpp"

using namespace gb;

static std::vector<float> randv(Rng& r, size_t n, float scale = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = scale * r.normal_f();
  return v;
}

// Checks analytic gradient `g` of L(params) = Σ wout·f(params) against central differences on a
// few entries of `p`. Returns the worst relative error.
static double check_grad(std::vector<float>& p, const std::vector<float>& g, const std::function<double()>& loss,
                         int probes = 12) {
  double worst = 0;
  const float h = 1e-2f;
  for (int k = 0; k < probes; ++k) {
    size_t i = (size_t(k) * 7919) % p.size();
    float keep = p[i];
    p[i] = keep + h;
    double lp = loss();
    p[i] = keep - h;
    double lm = loss();
    p[i] = keep;
    double num = (lp - lm) / (2 * h);
    double err = std::fabs(num - g[i]) / std::max(1.0, std::fabs(num));
    worst = std::max(worst, err);
  }
  return worst;
}

static double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

TEST_CASE("conv2d gradients match central finite differences") {
  const Conv2dShape shapes[] = {
      {2, 3, 5, 6, 4, 3, 1, 1},  // same-size 3×3
      {1, 2, 7, 7, 3, 3, 2, 1},  // strided downsampling
      {2, 4, 3, 3, 2, 1, 1, 0},  // pointwise (no im2col)
      {1, 2, 4, 5, 2, 5, 2, 2},  // big kernel, stride 2
  };
  for (const Conv2dShape& s : shapes) {
    Rng r(7);
    auto x = randv(r, s.in_size()), W = randv(r, s.weight_size(), 0.5f), b = randv(r, s.Cout);
    auto w = randv(r, s.out_size());
    std::vector<float> y(s.out_size());
    auto loss = [&] {
      conv2d_forward(y.data(), x.data(), W.data(), b.data(), s);
      return dot(y, w);
    };
    std::vector<float> dx(x.size()), dW(W.size()), db(b.size());
    conv2d_backward(dx.data(), dW.data(), db.data(), w.data(), x.data(), W.data(), s);
    CHECK(check_grad(x, dx, loss) < 2e-3);
    CHECK(check_grad(W, dW, loss) < 2e-3);
    CHECK(check_grad(b, db, loss) < 2e-3);
  }
}

TEST_CASE("conv2d forward equals a direct loop") {
  Conv2dShape s{2, 3, 6, 5, 2, 3, 2, 1};
  Rng r(3);
  auto x = randv(r, s.in_size()), W = randv(r, s.weight_size()), b = randv(r, s.Cout);
  std::vector<float> y(s.out_size());
  conv2d_forward(y.data(), x.data(), W.data(), b.data(), s);
  double worst = 0;
  for (int n = 0; n < s.N; ++n)
    for (int co = 0; co < s.Cout; ++co)
      for (int oh = 0; oh < s.Ho(); ++oh)
        for (int ow = 0; ow < s.Wo(); ++ow) {
          double acc = b[co];
          for (int ci = 0; ci < s.Cin; ++ci)
            for (int kh = 0; kh < s.K; ++kh)
              for (int kw = 0; kw < s.K; ++kw) {
                int ih = oh * s.stride - s.pad + kh, iw = ow * s.stride - s.pad + kw;
                if (ih < 0 || iw < 0 || ih >= s.H || iw >= s.W) continue;
                acc += double(x[((n * s.Cin + ci) * s.H + ih) * s.W + iw]) * W[((co * s.Cin + ci) * s.K + kh) * s.K + kw];
              }
          worst = std::max(worst, std::fabs(acc - y[((n * s.Cout + co) * s.Ho() + oh) * s.Wo() + ow]));
        }
  CHECK(worst < 1e-4);
}

TEST_CASE("groupnorm gradients match central finite differences") {
  GroupNormShape s{2, 6, 10, 3};
  Rng r(11);
  auto x = randv(r, size_t(s.N) * s.C * s.HW, 2.0f), gam = randv(r, s.C), bet = randv(r, s.C);
  auto w = randv(r, x.size());
  std::vector<float> y(x.size()), mean(s.N * s.G), rstd(s.N * s.G);
  auto loss = [&] {
    groupnorm_forward(y.data(), mean.data(), rstd.data(), x.data(), gam.data(), bet.data(), s);
    return dot(y, w);
  };
  loss();
  std::vector<float> dx(x.size()), dg(s.C), dbt(s.C);
  groupnorm_backward(dx.data(), dg.data(), dbt.data(), w.data(), x.data(), mean.data(), rstd.data(), gam.data(), s);
  CHECK(check_grad(x, dx, loss, 30) < 5e-3);
  CHECK(check_grad(gam, dg, loss) < 2e-3);
  CHECK(check_grad(bet, dbt, loss) < 2e-3);
  // Normalised output has zero mean per group when gamma = 1, beta = 0.
  std::vector<float> one(s.C, 1.0f), zero(s.C, 0.0f);
  groupnorm_forward(y.data(), nullptr, nullptr, x.data(), one.data(), zero.data(), s);
  double m = 0;
  for (int i = 0; i < 2 * s.HW; ++i) m += y[i];
  CHECK(std::fabs(m) < 1e-4);
}

TEST_CASE("avgpool2 and upsample2 are checked by finite differences") {
  Rng r(5);
  const int planes = 3, H = 4, W = 6;
  auto x = randv(r, size_t(planes) * H * W);
  auto wp = randv(r, size_t(planes) * H * W / 4), wu = randv(r, size_t(planes) * H * W * 4);
  std::vector<float> yp(wp.size()), yu(wu.size());
  auto lp = [&] { avgpool2_forward(yp.data(), x.data(), planes, H, W); return dot(yp, wp); };
  auto lu = [&] { upsample2_forward(yu.data(), x.data(), planes, H, W); return dot(yu, wu); };
  std::vector<float> dxp(x.size()), dxu(x.size());
  avgpool2_backward(dxp.data(), wp.data(), planes, H, W);
  upsample2_backward(dxu.data(), wu.data(), planes, H, W);
  CHECK(check_grad(x, dxp, lp) < 1e-3);
  CHECK(check_grad(x, dxu, lu) < 1e-3);
}

// [SECTION] PyTorch reference (run by conv_vs_torch.py, which sets GB_CONV_REF)
static std::vector<float> read_floats(FILE* f, size_t n) {
  std::vector<float> v(n);
  REQUIRE(std::fread(v.data(), 4, n, f) == n);
  return v;
}

static float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

TEST_CASE("conv2d and groupnorm match PyTorch" * doctest::skip()) {
  const char* path = std::getenv("GB_CONV_REF");
  REQUIRE_MESSAGE(path, "run through tests/diffusion/conv_vs_torch.py");
  FILE* f = std::fopen(path, "rb");
  REQUIRE(f);
  int ncase = 0;
  REQUIRE(std::fread(&ncase, 4, 1, f) == 1);
  for (int c = 0; c < ncase; ++c) {
    int d[8];
    REQUIRE(std::fread(d, 4, 8, f) == 8);
    Conv2dShape s{d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]};
    auto x = read_floats(f, s.in_size()), W = read_floats(f, s.weight_size()), b = read_floats(f, s.Cout);
    auto dout = read_floats(f, s.out_size()), y_ref = read_floats(f, s.out_size());
    auto dx_ref = read_floats(f, s.in_size()), dW_ref = read_floats(f, s.weight_size()), db_ref = read_floats(f, s.Cout);
    std::vector<float> y(s.out_size()), dx(x.size()), dW(W.size()), db(b.size());
    conv2d_forward(y.data(), x.data(), W.data(), b.data(), s);
    conv2d_backward(dx.data(), dW.data(), db.data(), dout.data(), x.data(), W.data(), s);
    INFO("conv case " << c);
    // float32 sums of up to a few hundred terms: 1e-4 absolute is ~100× the rounding we observe.
    CHECK(max_abs_diff(y, y_ref) < 1e-4f);
    CHECK(max_abs_diff(dx, dx_ref) < 1e-4f);
    CHECK(max_abs_diff(dW, dW_ref) < 1e-3f);
    CHECK(max_abs_diff(db, db_ref) < 1e-3f);
    std::printf("conv case %d: max |diff| y %.2e dx %.2e dW %.2e db %.2e\n", c, max_abs_diff(y, y_ref),
                max_abs_diff(dx, dx_ref), max_abs_diff(dW, dW_ref), max_abs_diff(db, db_ref));
  }
  int gd[4];
  REQUIRE(std::fread(gd, 4, 4, f) == 4);
  GroupNormShape s{gd[0], gd[1], gd[2], gd[3]};
  size_t n = size_t(s.N) * s.C * s.HW;
  auto x = read_floats(f, n), g = read_floats(f, s.C), bt = read_floats(f, s.C), dout = read_floats(f, n);
  auto y_ref = read_floats(f, n), dx_ref = read_floats(f, n), dg_ref = read_floats(f, s.C), db_ref = read_floats(f, s.C);
  std::fclose(f);
  std::vector<float> y(n), mean(s.N * s.G), rstd(s.N * s.G), dx(n), dg(s.C), db(s.C);
  groupnorm_forward(y.data(), mean.data(), rstd.data(), x.data(), g.data(), bt.data(), s);
  groupnorm_backward(dx.data(), dg.data(), db.data(), dout.data(), x.data(), mean.data(), rstd.data(), g.data(), s);
  CHECK(max_abs_diff(y, y_ref) < 1e-4f);
  CHECK(max_abs_diff(dx, dx_ref) < 1e-4f);
  CHECK(max_abs_diff(dg, dg_ref) < 1e-3f);
  CHECK(max_abs_diff(db, db_ref) < 1e-3f);
  std::printf("groupnorm: max |diff| y %.2e dx %.2e dgamma %.2e dbeta %.2e\n", max_abs_diff(y, y_ref),
              max_abs_diff(dx, dx_ref), max_abs_diff(dg, dg_ref), max_abs_diff(db, db_ref));
}
