// Int8 weights for fast decoding (issue 19): each weight row is cut into blocks of 32 values, and each
// block is stored as 32 signed bytes plus one float scale (max |w| / 127), so a weight costs 1.125
// bytes instead of 4. Decoding one token reads every weight once and is limited by memory bandwidth,
// so fewer bytes per weight means more tokens per second.
//
// The activation vector is quantised the same way (blocks of 32, int8 + scale) once per product, and a
// block's dot product is a sum of 32 exact integer products scaled by w_scale · x_scale. The error is
// the rounding of both operands to 1/254 of their block's largest value; `gpt_logit_error` measures
// what it costs in the logits.
//
// The same container can hold the weights as IEEE half floats instead (fp16: 2 bytes per weight, about 3
// significant decimal digits; the activations stay float32): half the bytes of float32 with ~100 times
// less rounding than int8. A model stored as fp16 (the shipped checkpoints) loses nothing at all.
//
// Only the one-token decoding step uses these weights; the prompt (prefill), traces and training keep
// float32. Results do not depend on the thread count (rows are independent).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gb {

constexpr int kQ8Block = 32;

// A (rows, cols) matrix in blocks of 32 along each row; cols is padded up to a multiple of 32 with zeros.
struct Q8Matrix {
  int rows = 0, cols = 0, blocks = 0;  // blocks per row = ceil(cols / 32)
  std::vector<int8_t> q;               // rows · blocks · 32 (int8)
  std::vector<float> scale;            // rows · blocks (int8)
  std::vector<uint16_t> h;             // rows · blocks · 32 IEEE half values (fp16; then q and scale are empty)
  bool half() const { return !h.empty(); }
  size_t bytes() const { return q.size() + scale.size() * sizeof(float) + h.size() * sizeof(uint16_t); }
};

// Quantises W (rows, cols), row-major (PyTorch's nn.Linear layout (Out, In)).
Q8Matrix quantize_q8(const float* W, int rows, int cols);
// Rounds W (rows, cols) to IEEE half (round to nearest even), in the same padded row layout.
Q8Matrix round_f16(const float* W, int rows, int cols);

// The activation vector in the same block format.
struct Q8Vector {
  int cols = 0, blocks = 0;
  std::vector<int8_t> q;
  std::vector<float> scale;
};
void quantize_q8(const float* x, int cols, Q8Vector& out);

// y[r] = Σ_c W[r, c]·x[c] (+ b[r]) for rows r0 … r1−1, with x already quantised.
void q8_gemv_rows(float* y, const Q8Matrix& W, const Q8Vector& x, const float* b, int r0, int r1);

// The same with x in float32 (x_padded holds W.blocks·32 values, zeros past W.cols): only the weights
// are rounded. Takes int8 and fp16 matrices.
void q8_gemv_rows_f32(float* y, const Q8Matrix& W, const float* x_padded, const float* b, int r0, int r1);

// The float value of W[r, c] as stored (for tests and the error report).
float q8_at(const Q8Matrix& W, int r, int c);

}  // namespace gb
