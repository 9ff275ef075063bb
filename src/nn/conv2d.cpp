// Conv2d via im2col + Eigen GEMM (forward/backward), and 2× average pooling / nearest upsampling.
#include "nn/conv2d.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/tensor.hpp"

namespace gb {

static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
static int ceil_div(int a, int b) { return -floor_div(-a, b); }

static void im2col_ld(float* cols, size_t ld, const float* inp, const Conv2dShape& s);
static void col2im_add_ld(float* dinp, const float* cols, size_t ld, const Conv2dShape& s);

static float* scratch(size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// [SECTION] im2col / col2im
void im2col(float* cols, const float* inp, const Conv2dShape& s) { im2col_ld(cols, size_t(s.Ho()) * s.Wo(), inp, s); }
void col2im_add(float* dinp, const float* cols, const Conv2dShape& s) { col2im_add_ld(dinp, cols, size_t(s.Ho()) * s.Wo(), s); }

// As im2col, with row r of cols starting at cols + r·ld (ld ≥ Ho·Wo), so several images can sit side by side.
// Fast path for stride 1 with "same" padding (Ho = H, Wo = W): each (ci, kh, kw) row is the input
// plane shifted by (kh − p, kw − p), copied as one block; the wrapped-around edge columns are zeroed.
static bool same_stride1(const Conv2dShape& s) { return s.stride == 1 && s.Ho() == s.H && s.Wo() == s.W && s.pad < s.W && s.pad < s.H; }

static void im2col_same(float* cols, size_t ld, const float* inp, const Conv2dShape& s) {
  const int H = s.H, W = s.W, K = s.K, p = s.pad;
  for (int ci = 0; ci < s.Cin; ++ci) {
    const float* plane = inp + size_t(ci) * H * W;  // (H, W)
    for (int kh = 0; kh < K; ++kh) {
      const int dh = kh - p, oh_lo = std::max(0, -dh), oh_hi = std::min(H, H - dh);
      for (int kw = 0; kw < K; ++kw) {
        const int dw = kw - p;
        float* row = cols + (size_t(ci) * K * K + kh * K + kw) * ld;  // (H, W)
        std::fill(row, row + size_t(oh_lo) * W, 0.0f);
        if (oh_hi > oh_lo) {
          // row[oh·W + ow] = plane[(oh + dh)·W + ow + dw] for the block of valid rows
          const long count = long(oh_hi - oh_lo) * W - std::abs(dw);
          const long start = std::max(0, -dw);
          float* dst = row + size_t(oh_lo) * W + start;
          const float* src = plane + long(oh_lo + dh) * W + dw + start;
          std::memcpy(dst, src, sizeof(float) * size_t(count));
          for (int oh = oh_lo; oh < oh_hi; ++oh) {
            float* r = row + size_t(oh) * W;
            for (int ow = 0; ow < -dw; ++ow) r[ow] = 0.0f;
            for (int ow = W - dw; ow < W; ++ow) r[ow] = 0.0f;
          }
        }
        std::fill(row + size_t(std::max(oh_hi, oh_lo)) * W, row + size_t(H) * W, 0.0f);
      }
    }
  }
}

// The adjoint of im2col_same; zeroes the edge columns of cols (scratch) before adding block-wise.
static void col2im_add_same(float* dinp, float* cols, size_t ld, const Conv2dShape& s) {
  const int H = s.H, W = s.W, K = s.K, p = s.pad;
  for (int ci = 0; ci < s.Cin; ++ci) {
    float* plane = dinp + size_t(ci) * H * W;
    for (int kh = 0; kh < K; ++kh) {
      const int dh = kh - p, oh_lo = std::max(0, -dh), oh_hi = std::min(H, H - dh);
      if (oh_hi <= oh_lo) continue;
      for (int kw = 0; kw < K; ++kw) {
        const int dw = kw - p;
        float* row = cols + (size_t(ci) * K * K + kh * K + kw) * ld;
        for (int oh = oh_lo; oh < oh_hi; ++oh) {
          float* r = row + size_t(oh) * W;
          for (int ow = 0; ow < -dw; ++ow) r[ow] = 0.0f;
          for (int ow = W - dw; ow < W; ++ow) r[ow] = 0.0f;
        }
        const long count = long(oh_hi - oh_lo) * W - std::abs(dw);
        const long start = std::max(0, -dw);
        const float* src = row + size_t(oh_lo) * W + start;
        float* dst = plane + long(oh_lo + dh) * W + dw + start;
        for (long i = 0; i < count; ++i) dst[i] += src[i];
      }
    }
  }
}

static void im2col_ld(float* cols, size_t ld, const float* inp, const Conv2dShape& s) {
  if (same_stride1(s)) return im2col_same(cols, ld, inp, s);
  const int Ho = s.Ho(), Wo = s.Wo(), K = s.K, st = s.stride, p = s.pad;
  const size_t HWo = ld;
  for (int ci = 0; ci < s.Cin; ++ci) {
    const float* plane = inp + size_t(ci) * s.H * s.W;  // (H, W)
    for (int kh = 0; kh < K; ++kh)
      for (int kw = 0; kw < K; ++kw) {
        float* row = cols + (size_t(ci) * K * K + kh * K + kw) * HWo;  // (Ho, Wo)
        // valid output columns: 0 <= ow*st - p + kw < W
        int ow_lo = std::min(Wo, std::max(0, ceil_div(p - kw, st)));
        int ow_hi = std::min(Wo, floor_div(s.W - 1 + p - kw, st) + 1);
        if (ow_hi < ow_lo) ow_hi = ow_lo;
        for (int oh = 0; oh < Ho; ++oh) {
          float* r = row + size_t(oh) * Wo;
          int ih = oh * st - p + kh;
          if (ih < 0 || ih >= s.H) {
            std::memset(r, 0, sizeof(float) * Wo);
            continue;
          }
          const float* src = plane + size_t(ih) * s.W;
          for (int ow = 0; ow < ow_lo; ++ow) r[ow] = 0.0f;
          if (st == 1) {
            std::memcpy(r + ow_lo, src + ow_lo - p + kw, sizeof(float) * (ow_hi - ow_lo));
          } else {
            for (int ow = ow_lo; ow < ow_hi; ++ow) r[ow] = src[ow * st - p + kw];
          }
          for (int ow = ow_hi; ow < Wo; ++ow) r[ow] = 0.0f;
        }
      }
  }
}

static void col2im_add_ld(float* dinp, const float* cols, size_t ld, const Conv2dShape& s) {
  const int Ho = s.Ho(), Wo = s.Wo(), K = s.K, st = s.stride, p = s.pad;
  const size_t HWo = ld;
  for (int ci = 0; ci < s.Cin; ++ci) {
    float* plane = dinp + size_t(ci) * s.H * s.W;  // (H, W)
    for (int kh = 0; kh < K; ++kh)
      for (int kw = 0; kw < K; ++kw) {
        const float* row = cols + (size_t(ci) * K * K + kh * K + kw) * HWo;  // (Ho, Wo)
        int ow_lo = std::min(Wo, std::max(0, ceil_div(p - kw, st)));
        int ow_hi = std::min(Wo, floor_div(s.W - 1 + p - kw, st) + 1);
        for (int oh = 0; oh < Ho; ++oh) {
          int ih = oh * st - p + kh;
          if (ih < 0 || ih >= s.H) continue;
          const float* r = row + size_t(oh) * Wo;
          float* dst = plane + size_t(ih) * s.W;
          for (int ow = ow_lo; ow < ow_hi; ++ow) dst[ow * st - p + kw] += r[ow];
        }
      }
  }
}

static bool is_pointwise(const Conv2dShape& s) { return s.K == 1 && s.stride == 1 && s.pad == 0; }

// [SECTION] conv2d forward / backward
// Images are processed in chunks of nc side by side, so each GEMM has about 1024 columns even for
// 7×7 maps (one 49-column GEMM per image would waste most of the kernel's time).
static int chunk_images(const Conv2dShape& s) { return std::max(1, std::min(s.N, 1024 / std::max(1, s.Ho() * s.Wo()))); }

void conv2d_forward(float* out, const float* inp, const float* Wt, const float* b, const Conv2dShape& s) {
  const int KK = s.Cin * s.K * s.K;
  const int HWo = s.Ho() * s.Wo();
  const size_t in_img = size_t(s.Cin) * s.H * s.W, out_img = size_t(s.Cout) * HWo;
  CMatMap W(Wt, s.Cout, KK);  // (Cout, Cin·K·K)
  const int nc = chunk_images(s);
  if (nc == 1) {
    float* cols = is_pointwise(s) ? nullptr : scratch(size_t(KK) * HWo);
    for (int n = 0; n < s.N; ++n) {
      const float* x = inp + n * in_img;
      if (cols) im2col(cols, x, s);
      CMatMap C(cols ? cols : x, KK, HWo);       // (Cin·K·K, Ho·Wo)
      MatMap O(out + n * out_img, s.Cout, HWo);  // (Cout, Ho·Wo)
      O.noalias() = W * C;
      if (b) O.colwise() += CVecMap(b, s.Cout);
    }
    return;
  }
  float* cols = scratch(size_t(KK) * nc * HWo + size_t(s.Cout) * nc * HWo);
  float* res = cols + size_t(KK) * nc * HWo;
  for (int n0 = 0; n0 < s.N; n0 += nc) {
    const int m = std::min(nc, s.N - n0);
    const size_t ld = size_t(m) * HWo;
    for (int i = 0; i < m; ++i) im2col_ld(cols + size_t(i) * HWo, ld, inp + (n0 + i) * in_img, s);
    MatMap R(res, s.Cout, long(ld));  // (Cout, m·Ho·Wo)
    R.noalias() = W * CMatMap(cols, KK, long(ld));
    for (int i = 0; i < m; ++i) {
      MatMap O(out + (n0 + i) * out_img, s.Cout, HWo);  // (Cout, Ho·Wo)
      O = R.middleCols(long(i) * HWo, HWo);
      if (b) O.colwise() += CVecMap(b, s.Cout);
    }
  }
}

void conv2d_backward(float* dinp, float* dWt, float* db, const float* dout, const float* inp, const float* Wt,
                     const Conv2dShape& s) {
  const int KK = s.Cin * s.K * s.K;
  const int HWo = s.Ho() * s.Wo();
  const size_t in_img = size_t(s.Cin) * s.H * s.W, out_img = size_t(s.Cout) * HWo;
  CMatMap W(Wt, s.Cout, KK);  // (Cout, Cin·K·K)
  const int nc = chunk_images(s);
  if (nc == 1) {
    const bool pw = is_pointwise(s);
    float* cols = pw ? nullptr : scratch(size_t(KK) * HWo);
    for (int n = 0; n < s.N; ++n) {
      CMatMap dO(dout + n * out_img, s.Cout, HWo);  // (Cout, Ho·Wo)
      if (db) VecMap(db, s.Cout) += dO.rowwise().sum();  // (Cout)
      if (dWt) {
        const float* x = inp + n * in_img;
        if (!pw) im2col(cols, x, s);
        CMatMap C(pw ? x : cols, KK, HWo);  // (Cin·K·K, Ho·Wo)
        MatMap(dWt, s.Cout, KK).noalias() += dO * C.transpose();  // (Cout, Ho·Wo)·(Ho·Wo, KK)
      }
      if (dinp) {
        if (pw) {
          MatMap(dinp + n * in_img, KK, HWo).noalias() += W.transpose() * dO;  // (Cin, H·W)
        } else {
          MatMap dC(cols, KK, HWo);  // (Cin·K·K, Ho·Wo)
          dC.noalias() = W.transpose() * dO;
          if (same_stride1(s)) col2im_add_same(dinp + n * in_img, cols, size_t(HWo), s);
          else col2im_add(dinp + n * in_img, cols, s);
        }
      }
    }
    return;
  }
  float* cols = scratch(size_t(KK) * nc * HWo + size_t(s.Cout) * nc * HWo);
  float* g = cols + size_t(KK) * nc * HWo;
  for (int n0 = 0; n0 < s.N; n0 += nc) {
    const int m = std::min(nc, s.N - n0);
    const long ld = long(m) * HWo;
    MatMap dO(g, s.Cout, ld);  // (Cout, m·Ho·Wo) gathered output gradient
    for (int i = 0; i < m; ++i) dO.middleCols(long(i) * HWo, HWo) = CMatMap(dout + (n0 + i) * out_img, s.Cout, HWo);
    if (db) VecMap(db, s.Cout) += dO.rowwise().sum();
    MatMap C(cols, KK, ld);  // (Cin·K·K, m·Ho·Wo)
    if (dWt) {
      for (int i = 0; i < m; ++i) im2col_ld(cols + size_t(i) * HWo, size_t(ld), inp + (n0 + i) * in_img, s);
      MatMap(dWt, s.Cout, KK).noalias() += dO * C.transpose();  // (Cout, m·HWo)·(m·HWo, KK)
    }
    if (dinp) {
      C.noalias() = W.transpose() * dO;  // d cols
      for (int i = 0; i < m; ++i) {
        if (same_stride1(s)) col2im_add_same(dinp + (n0 + i) * in_img, cols + size_t(i) * HWo, size_t(ld), s);
        else col2im_add_ld(dinp + (n0 + i) * in_img, cols + size_t(i) * HWo, size_t(ld), s);
      }
    }
  }
}

// [SECTION] 2× resampling
void avgpool2_forward(float* out, const float* inp, int planes, int H, int W) {
  const int Ho = H / 2, Wo = W / 2;
  for (int p = 0; p < planes; ++p) {
    const float* x = inp + size_t(p) * H * W;  // (H, W)
    float* y = out + size_t(p) * Ho * Wo;       // (H/2, W/2)
    for (int i = 0; i < Ho; ++i)
      for (int j = 0; j < Wo; ++j) {
        const float* a = x + size_t(2 * i) * W + 2 * j;
        y[i * Wo + j] = 0.25f * (a[0] + a[1] + a[W] + a[W + 1]);
      }
  }
}

void avgpool2_backward(float* dinp, const float* dout, int planes, int H, int W) {
  const int Ho = H / 2, Wo = W / 2;
  for (int p = 0; p < planes; ++p) {
    float* dx = dinp + size_t(p) * H * W;
    const float* dy = dout + size_t(p) * Ho * Wo;
    for (int i = 0; i < Ho; ++i)
      for (int j = 0; j < Wo; ++j) {
        float g = 0.25f * dy[i * Wo + j];
        float* a = dx + size_t(2 * i) * W + 2 * j;
        a[0] += g; a[1] += g; a[W] += g; a[W + 1] += g;
      }
  }
}

void upsample2_forward(float* out, const float* inp, int planes, int H, int W) {
  const int W2 = 2 * W;
  for (int p = 0; p < planes; ++p) {
    const float* x = inp + size_t(p) * H * W;  // (H, W)
    float* y = out + size_t(p) * 4 * H * W;     // (2H, 2W)
    for (int i = 0; i < H; ++i) {
      float* r = y + size_t(2 * i) * W2;
      for (int j = 0; j < W; ++j) r[2 * j] = r[2 * j + 1] = x[i * W + j];
      std::memcpy(r + W2, r, sizeof(float) * W2);
    }
  }
}

void upsample2_backward(float* dinp, const float* dout, int planes, int H, int W) {
  const int W2 = 2 * W;
  for (int p = 0; p < planes; ++p) {
    float* dx = dinp + size_t(p) * H * W;
    const float* dy = dout + size_t(p) * 4 * H * W;
    for (int i = 0; i < H; ++i) {
      const float* r = dy + size_t(2 * i) * W2;
      for (int j = 0; j < W; ++j) dx[i * W + j] += r[2 * j] + r[2 * j + 1] + r[W2 + 2 * j] + r[W2 + 2 * j + 1];
    }
  }
}

}  // namespace gb
