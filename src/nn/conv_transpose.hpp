// Transposed 2D convolution (a.k.a. "deconvolution", PyTorch nn.ConvTranspose2d without groups or
// dilation): each input pixel paints a K×K stamp of its weights into a larger output. Forward and
// backward side by side; layouts are NCHW, contiguous.
#pragma once
#include <cstddef>

namespace gb {

struct ConvTransposeShape {
  int N = 1;       // batch
  int Cin = 1;     // input channels
  int H = 1;       // input height
  int W = 1;       // input width
  int Cout = 1;    // output channels
  int K = 4;       // square kernel size
  int stride = 2;  // upsampling factor
  int pad = 1;     // rows/cols cropped from each side of the full output
  int Ho() const { return (H - 1) * stride - 2 * pad + K; }  // output height
  int Wo() const { return (W - 1) * stride - 2 * pad + K; }  // output width
  size_t in_size() const { return size_t(N) * Cin * H * W; }
  size_t out_size() const { return size_t(N) * Cout * Ho() * Wo(); }
  size_t weight_size() const { return size_t(Cin) * Cout * K * K; }
};

// out (N, Cout, Ho, Wo) = convT(inp (N, Cin, H, W), Wt (Cin, Cout, K, K)) + b (Cout).
// b may be null. out is overwritten.
void conv_transpose2d_forward(float* out, const float* inp, const float* Wt, const float* b,
                              const ConvTransposeShape& s);

// Adds the gradients: dinp (N, Cin, H, W), dWt (Cin, Cout, K, K), db (Cout), given dout (N, Cout, Ho, Wo).
// dinp, dWt and db may each be null to skip them. (With only dinp, this is a strided Conv2d forward of
// dout with the same weights: convolution and transposed convolution are each other's adjoints.)
void conv_transpose2d_backward(float* dinp, float* dWt, float* db, const float* dout, const float* inp,
                               const float* Wt, const ConvTransposeShape& s);

}  // namespace gb
