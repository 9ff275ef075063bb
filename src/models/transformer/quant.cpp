#include "models/transformer/quant.hpp"

#include <algorithm>
#include <cmath>

#include "core/half.hpp"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace gb {
namespace {

// One block of 32 values → 32 int8 (round to nearest, |q| ≤ 127) and its scale max|v| / 127.
float quantize_block(const float* v, int n, int8_t* q) {
  float amax = 0;
  for (int i = 0; i < n; ++i) amax = std::max(amax, std::fabs(v[i]));
  const float scale = amax / 127.0f;
  const float inv = amax > 0 ? 127.0f / amax : 0.0f;
  for (int i = 0; i < n; ++i) q[i] = int8_t(std::lround(std::clamp(v[i] * inv, -127.0f, 127.0f)));
  for (int i = n; i < kQ8Block; ++i) q[i] = 0;
  return scale;
}

// Σ over `blocks` blocks of (Σ_i w_i·x_i) · ws · xs.
float dot_q8(const int8_t* w, const float* ws, const int8_t* x, const float* xs, int blocks) {
#if defined(__AVX2__)
  // Per block: |x| as unsigned bytes times w with x's sign moved onto it (maddubs multiplies unsigned by
  // signed bytes and adds pairs into int16: at most 2·127·127 = 32258, no overflow), then pairs of int16
  // into int32, to float, scaled by the two block scales.
  const __m256i ones = _mm256_set1_epi16(1);
  __m256 acc = _mm256_setzero_ps();
  for (int b = 0; b < blocks; ++b) {
    const __m256i vw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + size_t(b) * kQ8Block));
    const __m256i vx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + size_t(b) * kQ8Block));
    const __m256i ax = _mm256_sign_epi8(vx, vx);
    const __m256i sw = _mm256_sign_epi8(vw, vx);
    const __m256i p32 = _mm256_madd_epi16(_mm256_maddubs_epi16(ax, sw), ones);
    acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p32), _mm256_set1_ps(ws[b] * xs[b]), acc);
  }
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 s2 = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
#else
  float total = 0;
  for (int b = 0; b < blocks; ++b) {
    int32_t sum = 0;
    for (int i = 0; i < kQ8Block; ++i) sum += int32_t(w[size_t(b) * kQ8Block + i]) * int32_t(x[size_t(b) * kQ8Block + i]);
    total += float(sum) * (ws[b] * xs[b]);
  }
  return total;
#endif
}

// Σ over `blocks` blocks of ws · Σ_i w_i·x_i with x in float (cols padded: x has blocks·32 values).
float dot_q8_f32(const int8_t* w, const float* ws, const float* x, int blocks) {
#if defined(__AVX2__)
  __m256 acc = _mm256_setzero_ps();
  for (int b = 0; b < blocks; ++b) {
    const int8_t* wb = w + size_t(b) * kQ8Block;
    const float* xb = x + size_t(b) * kQ8Block;
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(wb));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(wb + 16));
    __m256 s = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo)), _mm256_loadu_ps(xb));
    s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo, 8))), _mm256_loadu_ps(xb + 8), s);
    s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi)), _mm256_loadu_ps(xb + 16), s);
    s = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi, 8))), _mm256_loadu_ps(xb + 24), s);
    acc = _mm256_fmadd_ps(s, _mm256_set1_ps(ws[b]), acc);
  }
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 s2 = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
#else
  float total = 0;
  for (int b = 0; b < blocks; ++b) {
    float sum = 0;
    for (int i = 0; i < kQ8Block; ++i) sum += float(w[size_t(b) * kQ8Block + i]) * x[size_t(b) * kQ8Block + i];
    total += sum * ws[b];
  }
  return total;
#endif
}

// Σ_i w_i·x_i with w in IEEE half over `blocks` blocks of 32 (x padded the same way).
float dot_f16_f32(const uint16_t* w, const float* x, int blocks) {
#if defined(__AVX512F__)
  // Four chains of 16 lanes (two blocks per turn): enough independent FMAs to cover their latency, so
  // the loop runs at the speed of the loads and conversions.
  __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
  int b = 0;
  for (; b + 2 <= blocks; b += 2) {
    const uint16_t* wb = w + size_t(b) * kQ8Block;
    const float* xb = x + size_t(b) * kQ8Block;
    a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb))), _mm512_loadu_ps(xb), a0);
    a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 16))), _mm512_loadu_ps(xb + 16), a1);
    a2 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 32))), _mm512_loadu_ps(xb + 32), a2);
    a3 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 48))), _mm512_loadu_ps(xb + 48), a3);
  }
  if (b < blocks) {
    const uint16_t* wb = w + size_t(b) * kQ8Block;
    const float* xb = x + size_t(b) * kQ8Block;
    a0 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb))), _mm512_loadu_ps(xb), a0);
    a1 = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 16))), _mm512_loadu_ps(xb + 16), a1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
#elif defined(__AVX2__) && defined(__F16C__)
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();  // two chains: the FMA latency hides behind loads
  for (int b = 0; b < blocks; ++b) {
    const uint16_t* wb = w + size_t(b) * kQ8Block;
    const float* xb = x + size_t(b) * kQ8Block;
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb));
    const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 16));
    a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_castsi256_si128(v)), _mm256_loadu_ps(xb), a0);
    a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_extracti128_si256(v, 1)), _mm256_loadu_ps(xb + 8), a1);
    a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_castsi256_si128(u)), _mm256_loadu_ps(xb + 16), a0);
    a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm256_extracti128_si256(u, 1)), _mm256_loadu_ps(xb + 24), a1);
  }
  const __m256 acc = _mm256_add_ps(a0, a1);
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 s2 = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(s2, _mm_shuffle_ps(s2, s2, 1)));
#else
  float total = 0;
  for (size_t i = 0; i < size_t(blocks) * kQ8Block; ++i) total += half_to_float(w[i]) * x[i];
  return total;
#endif
}

}  // namespace

Q8Matrix round_f16(const float* W, int rows, int cols) {
  Q8Matrix m;
  m.rows = rows;
  m.cols = cols;
  m.blocks = (cols + kQ8Block - 1) / kQ8Block;
  const size_t stride = size_t(m.blocks) * kQ8Block;
  m.h.assign(size_t(rows) * stride, 0);  // half 0x0000 = +0 in the padding
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.h[size_t(r) * stride + size_t(c)] = float_to_half(W[size_t(r) * cols + c]);
  return m;
}

void q8_gemv_rows_f32(float* y, const Q8Matrix& W, const float* x_padded, const float* b, int r0, int r1) {
  const size_t stride = size_t(W.blocks) * kQ8Block;
  if (W.half()) {
    // One row at a time, two FMA chains (measured here at ~2 halves per cycle per core; four rows sharing the
    // x loads and an integer-op conversion instead of VCVTPH2PS were both slower on this AMD EPYC).
    for (int r = r0; r < r1; ++r) {
      const float v = dot_f16_f32(W.h.data() + size_t(r) * stride, x_padded, W.blocks);
      y[r] = b ? v + b[r] : v;
    }
    return;
  }
  for (int r = r0; r < r1; ++r) {
    const float v = dot_q8_f32(W.q.data() + size_t(r) * stride, W.scale.data() + size_t(r) * W.blocks, x_padded, W.blocks);
    y[r] = b ? v + b[r] : v;
  }
}

Q8Matrix quantize_q8(const float* W, int rows, int cols) {
  Q8Matrix m;
  m.rows = rows;
  m.cols = cols;
  m.blocks = (cols + kQ8Block - 1) / kQ8Block;
  m.q.assign(size_t(rows) * m.blocks * kQ8Block, 0);
  m.scale.assign(size_t(rows) * m.blocks, 0.0f);
  for (int r = 0; r < rows; ++r)
    for (int b = 0; b < m.blocks; ++b) {
      const int c0 = b * kQ8Block, n = std::min(kQ8Block, cols - c0);
      m.scale[size_t(r) * m.blocks + b] =
          quantize_block(W + size_t(r) * cols + c0, n, m.q.data() + (size_t(r) * m.blocks + b) * kQ8Block);
    }
  return m;
}

void quantize_q8(const float* x, int cols, Q8Vector& out) {
  out.cols = cols;
  out.blocks = (cols + kQ8Block - 1) / kQ8Block;
  out.q.resize(size_t(out.blocks) * kQ8Block);
  out.scale.resize(size_t(out.blocks));
  for (int b = 0; b < out.blocks; ++b) {
    const int c0 = b * kQ8Block;
    out.scale[size_t(b)] = quantize_block(x + c0, std::min(kQ8Block, cols - c0), out.q.data() + size_t(b) * kQ8Block);
  }
}

void q8_gemv_rows(float* y, const Q8Matrix& W, const Q8Vector& x, const float* b, int r0, int r1) {
  const size_t stride = size_t(W.blocks) * kQ8Block;
  for (int r = r0; r < r1; ++r) {
    const float v = dot_q8(W.q.data() + size_t(r) * stride, W.scale.data() + size_t(r) * W.blocks, x.q.data(),
                           x.scale.data(), W.blocks);
    y[r] = b ? v + b[r] : v;
  }
}

float q8_at(const Q8Matrix& W, int r, int c) {
  if (W.half()) return half_to_float(W.h[size_t(r) * W.blocks * kQ8Block + size_t(c)]);
  const int b = c / kQ8Block;
  return float(W.q[(size_t(r) * W.blocks + b) * kQ8Block + c % kQ8Block]) * W.scale[size_t(r) * W.blocks + b];
}

}  // namespace gb
