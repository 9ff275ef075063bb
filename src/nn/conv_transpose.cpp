// Transposed 2D convolution as GEMM + col2im (forward) and im2col + GEMM (backward).
#include "nn/conv_transpose.hpp"

#include <vector>

#include "core/tensor.hpp"

namespace gb {

// [SECTION] helpers: scatter columns into an image (col2im) and gather an image into columns (im2col)
// cols is (Cout·K·K, H·W): row (co, ki, kj), column (i, j) holds the contribution of input pixel
// (i, j) to output pixel (i·stride − pad + ki, j·stride − pad + kj) of channel co.
static void convt_col2im_add(float* img, const float* cols, const ConvTransposeShape& s) {
  const int Ho = s.Ho(), Wo = s.Wo(), HW = s.H * s.W;
  for (int co = 0; co < s.Cout; ++co)
    for (int ki = 0; ki < s.K; ++ki)
      for (int kj = 0; kj < s.K; ++kj) {
        const float* row = cols + size_t((co * s.K + ki) * s.K + kj) * HW;
        float* plane = img + size_t(co) * Ho * Wo;
        for (int i = 0; i < s.H; ++i) {
          const int oy = i * s.stride - s.pad + ki;
          if (oy < 0 || oy >= Ho) continue;
          for (int j = 0; j < s.W; ++j) {
            const int ox = j * s.stride - s.pad + kj;
            if (ox < 0 || ox >= Wo) continue;
            plane[oy * Wo + ox] += row[i * s.W + j];
          }
        }
      }
}

static void convt_im2col(float* cols, const float* img, const ConvTransposeShape& s) {
  const int Ho = s.Ho(), Wo = s.Wo(), HW = s.H * s.W;
  for (int co = 0; co < s.Cout; ++co)
    for (int ki = 0; ki < s.K; ++ki)
      for (int kj = 0; kj < s.K; ++kj) {
        float* row = cols + size_t((co * s.K + ki) * s.K + kj) * HW;
        const float* plane = img + size_t(co) * Ho * Wo;
        for (int i = 0; i < s.H; ++i) {
          const int oy = i * s.stride - s.pad + ki;
          for (int j = 0; j < s.W; ++j) {
            const int ox = j * s.stride - s.pad + kj;
            row[i * s.W + j] = (oy < 0 || oy >= Ho || ox < 0 || ox >= Wo) ? 0.0f : plane[oy * Wo + ox];
          }
        }
      }
}

// [SECTION] forward
void conv_transpose2d_forward(float* out, const float* inp, const float* Wt, const float* b,
                              const ConvTransposeShape& s) {
  const int HW = s.H * s.W, CKK = s.Cout * s.K * s.K, HWo = s.Ho() * s.Wo();
  CMatMap Wm(Wt, s.Cin, CKK);                     // (Cin, Cout·K·K)
  Mat cols(CKK, HW);                              // (Cout·K·K, H·W)
  for (int n = 0; n < s.N; ++n) {
    CMatMap x(inp + size_t(n) * s.Cin * HW, s.Cin, HW);  // (Cin, H·W)
    float* o = out + size_t(n) * s.Cout * HWo;           // (Cout, Ho·Wo)
    cols.noalias() = Wm.transpose() * x;                 // (Cout·K·K, Cin)·(Cin, H·W)
    for (int co = 0; co < s.Cout; ++co) {
      const float bias = b ? b[co] : 0.0f;
      for (int p = 0; p < HWo; ++p) o[size_t(co) * HWo + p] = bias;
    }
    convt_col2im_add(o, cols.data(), s);
  }
}

// [SECTION] backward
void conv_transpose2d_backward(float* dinp, float* dWt, float* db, const float* dout, const float* inp,
                               const float* Wt, const ConvTransposeShape& s) {
  const int HW = s.H * s.W, CKK = s.Cout * s.K * s.K, HWo = s.Ho() * s.Wo();
  CMatMap Wm(Wt, s.Cin, CKK);   // (Cin, Cout·K·K)
  Mat dcols(CKK, HW);           // (Cout·K·K, H·W)
  for (int n = 0; n < s.N; ++n) {
    const float* g = dout + size_t(n) * s.Cout * HWo;  // (Cout, Ho·Wo)
    convt_im2col(dcols.data(), g, s);
    if (dWt) {
      CMatMap x(inp + size_t(n) * s.Cin * HW, s.Cin, HW);                  // (Cin, H·W)
      MatMap(dWt, s.Cin, CKK).noalias() += x * dcols.transpose();          // (Cin, H·W)·(H·W, Cout·K·K)
    }
    if (dinp) MatMap(dinp + size_t(n) * s.Cin * HW, s.Cin, HW).noalias() += Wm * dcols;  // (Cin, H·W)
    if (db)
      for (int co = 0; co < s.Cout; ++co) {
        float acc = 0;
        for (int p = 0; p < HWo; ++p) acc += g[size_t(co) * HWo + p];
        db[co] += acc;
      }
  }
}

}  // namespace gb
