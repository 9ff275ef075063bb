// 2D convolution (PyTorch nn.Conv2d semantics without groups or dilation) via im2col + Eigen GEMM,
// forward and backward side by side; plus the 2× resampling layers a U-Net needs (average pooling,
// nearest upsampling). Layouts are NCHW, contiguous; weights (Cout, Cin, K, K) like PyTorch.
//
// Usage:
//   gb::Conv2dShape s{.N = 1, .Cin = 32, .H = 28, .W = 28, .Cout = 32, .K = 3, .stride = 1, .pad = 1};
//   gb::conv2d_forward(out, inp, W, b, s);                 // out (N, Cout, Ho, Wo)
//   gb::conv2d_backward(dinp, dW, db, dout, inp, W, s);    // adds into dinp, dW, db (each may be null)
//
// API is stable (used by models/diffusion and models/gan). Not thread-safe per call only in the
// sense that each thread uses its own scratch buffer (thread_local), so concurrent calls are fine.
#pragma once
#include <cstddef>

namespace gb {

struct Conv2dShape {
  int N = 1;       // batch
  int Cin = 1;     // input channels
  int H = 1;       // input height
  int W = 1;       // input width
  int Cout = 1;    // output channels
  int K = 3;       // square kernel size
  int stride = 1;  // step between output positions
  int pad = 1;     // zero padding on each side
  int Ho() const { return (H + 2 * pad - K) / stride + 1; }  // output height
  int Wo() const { return (W + 2 * pad - K) / stride + 1; }  // output width
  size_t in_size() const { return size_t(N) * Cin * H * W; }
  size_t out_size() const { return size_t(N) * Cout * Ho() * Wo(); }
  size_t weight_size() const { return size_t(Cout) * Cin * K * K; }
};

// out (N, Cout, Ho, Wo) = conv(inp (N, Cin, H, W), Wt (Cout, Cin, K, K)) + b (Cout).
// b may be null. out is overwritten.
void conv2d_forward(float* out, const float* inp, const float* Wt, const float* b, const Conv2dShape& s);

// Adds dinp (N, Cin, H, W), dWt (Cout, Cin, K, K), db (Cout) given dout (N, Cout, Ho, Wo).
// Each of dinp, dWt, db may be null to skip it.
void conv2d_backward(float* dinp, float* dWt, float* db, const float* dout, const float* inp, const float* Wt,
                     const Conv2dShape& s);

// cols (Cin·K·K, Ho·Wo) for one image inp (Cin, H, W); row (ci, kh, kw), zero where padded.
void im2col(float* cols, const float* inp, const Conv2dShape& s);
// The adjoint of im2col: adds cols (Cin·K·K, Ho·Wo) back into dinp (Cin, H, W).
void col2im_add(float* dinp, const float* cols, const Conv2dShape& s);

// [SECTION] 2× resampling, per channel plane. `planes` = N·C; H and W are the input size.
// avgpool: out (planes, H/2, W/2) = mean of each 2×2 block (H, W even).
void avgpool2_forward(float* out, const float* inp, int planes, int H, int W);
// Adds dinp (planes, H, W) += dout (planes, H/2, W/2) / 4 spread over each block.
void avgpool2_backward(float* dinp, const float* dout, int planes, int H, int W);
// upsample: out (planes, 2H, 2W), each input pixel copied into a 2×2 block.
void upsample2_forward(float* out, const float* inp, int planes, int H, int W);
// Adds dinp (planes, H, W) += sum of dout (planes, 2H, 2W) over each 2×2 block.
void upsample2_backward(float* dinp, const float* dout, int planes, int H, int W);

}  // namespace gb
