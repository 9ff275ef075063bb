// Transposed convolution: finite-difference gradient check, and comparison with PyTorch's
// nn.ConvTranspose2d (reference file written by tests/gan/convt_vs_torch.py).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/rng.hpp"
#include "nn/conv_transpose.hpp"

using namespace gb;

namespace {
std::vector<float> randn(size_t n, Rng& rng, float scale = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.normal_f() * scale;
  return v;
}
// loss = sum(convT(x) * r)
double convt_loss(const std::vector<float>& x, const std::vector<float>& w, const std::vector<float>& b,
                  const std::vector<float>& r, const ConvTransposeShape& s) {
  std::vector<float> out(s.out_size());
  conv_transpose2d_forward(out.data(), x.data(), w.data(), b.data(), s);
  double l = 0;
  for (size_t i = 0; i < out.size(); ++i) l += double(out[i]) * r[i];
  return l;
}
}  // namespace

TEST_CASE("conv_transpose2d gradients match central finite differences") {
  for (ConvTransposeShape s : {ConvTransposeShape{2, 3, 3, 4, 2, 4, 2, 1}, ConvTransposeShape{1, 2, 3, 3, 3, 3, 1, 1},
                               ConvTransposeShape{1, 2, 2, 2, 2, 5, 3, 2}}) {
    CAPTURE(s.K);
    CAPTURE(s.stride);
    Rng rng(11);
    auto x = randn(s.in_size(), rng), w = randn(s.weight_size(), rng, 0.5f), b = randn(size_t(s.Cout), rng);
    auto r = randn(s.out_size(), rng);
    std::vector<float> dx(x.size(), 0.0f), dw(w.size(), 0.0f), db(b.size(), 0.0f);
    conv_transpose2d_backward(dx.data(), dw.data(), db.data(), r.data(), x.data(), w.data(), s);
    const double eps = 1e-2;  // the loss is linear in each parameter, so a large step is exact up to rounding
    auto check = [&](std::vector<float>& p, const std::vector<float>& g) {
      for (size_t i = 0; i < p.size(); ++i) {
        float keep = p[i];
        p[i] = keep + float(eps);
        double lp = convt_loss(x, w, b, r, s);
        p[i] = keep - float(eps);
        double lm = convt_loss(x, w, b, r, s);
        p[i] = keep;
        CHECK(g[i] == doctest::Approx((lp - lm) / (2 * eps)).epsilon(1e-3).scale(1.0));
      }
    };
    check(x, dx);
    check(w, dw);
    check(b, db);
  }
}

TEST_CASE("conv_transpose2d output size follows (H-1)·stride − 2·pad + K") {
  ConvTransposeShape s{1, 64, 7, 7, 32, 4, 2, 1};
  CHECK(s.Ho() == 14);
  CHECK(s.Wo() == 14);
  s = {1, 32, 14, 14, 1, 4, 2, 1};
  CHECK(s.Ho() == 28);
}

TEST_CASE("conv_transpose2d matches PyTorch ConvTranspose2d" * doctest::skip()) {
  const char* path = std::getenv("GB_CONVT_REF");
  REQUIRE_MESSAGE(path != nullptr, "run through tests/gan/convt_vs_torch.py (sets GB_CONVT_REF)");
  FILE* f = std::fopen(path, "rb");
  REQUIRE(f != nullptr);
  auto read = [&](size_t n) {
    std::vector<float> v(n);
    REQUIRE(std::fread(v.data(), sizeof(float), n, f) == n);
    return v;
  };
  int cases = 0;
  REQUIRE(std::fread(&cases, 4, 1, f) == 1);
  for (int c = 0; c < cases; ++c) {
    int h[8];
    REQUIRE(std::fread(h, 4, 8, f) == 8);
    ConvTransposeShape s{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]};
    auto x = read(s.in_size()), w = read(s.weight_size()), b = read(size_t(s.Cout)), dout = read(s.out_size());
    auto out_ref = read(s.out_size()), dx_ref = read(s.in_size()), dw_ref = read(s.weight_size()),
         db_ref = read(size_t(s.Cout));
    std::vector<float> out(s.out_size()), dx(s.in_size(), 0.0f), dw(s.weight_size(), 0.0f), db(size_t(s.Cout), 0.0f);
    conv_transpose2d_forward(out.data(), x.data(), w.data(), b.data(), s);
    conv_transpose2d_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), s);
    auto maxdiff = [](const std::vector<float>& a, const std::vector<float>& r) {
      double m = 0;
      for (size_t i = 0; i < a.size(); ++i) m = std::max(m, double(std::fabs(a[i] - r[i])));
      return m;
    };
    double d_out = maxdiff(out, out_ref), d_dx = maxdiff(dx, dx_ref), d_dw = maxdiff(dw, dw_ref), d_db = maxdiff(db, db_ref);
    MESSAGE("case " << c << " (K=" << s.K << " stride=" << s.stride << " pad=" << s.pad << "): max |diff| out "
                    << d_out << ", dinp " << d_dx << ", dW " << d_dw << ", db " << d_db);
    // float32 sums of up to ~200 products of N(0,1) values: 1e-4 absolute is ample.
    CHECK(d_out < 1e-4);
    CHECK(d_dx < 1e-4);
    CHECK(d_dw < 1e-4);
    CHECK(d_db < 1e-4);
  }
  std::fclose(f);
}
