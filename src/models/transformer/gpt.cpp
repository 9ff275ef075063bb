// GPT inference: config, weights, the KV-cached decoder (row-parallel GEMV for one token at a
// time) and the traced uncached forward pass built from the nn layer functions.
#include "models/transformer/gpt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/threads.hpp"
#include "models/transformer/row_pool.hpp"
#include "nn/linear.hpp"
#include "nn/transformer_ops.hpp"

namespace gb {

namespace {
using StridedMap = Eigen::Map<Mat, 0, Eigen::OuterStride<>>;
using CStridedMap = Eigen::Map<const Mat, 0, Eigen::OuterStride<>>;
MatMap mmap(Mat& m) { return MatMap(m.data(), m.rows(), m.cols()); }
CMatMap cmap(const Mat& m) { return CMatMap(m.data(), m.rows(), m.cols()); }
}  // namespace

// [SECTION] config
void GptConfig::validate(const std::string& where) const {
  auto bad = [&](const std::string& what) { fail(where + ": bad model config: " + what); };
  if (n_layer < 1 || n_layer > 256) bad("n_layer " + std::to_string(n_layer) + " (1 to 256)");
  if (n_head < 1 || n_head > 256) bad("n_head " + std::to_string(n_head) + " (1 to 256)");
  if (n_embd < 1 || n_embd > 16384) bad("n_embd " + std::to_string(n_embd) + " (1 to 16384)");
  if (n_embd % n_head != 0) bad("n_embd " + std::to_string(n_embd) + " is not a multiple of n_head " + std::to_string(n_head));
  if (block_size < 1 || block_size > 65536) bad("block_size " + std::to_string(block_size) + " (1 to 65536)");
  if (vocab_size < 1 || vocab_size > 1000000) bad("vocab_size " + std::to_string(vocab_size) + " (1 to 1000000)");
  if (!(ln_eps > 0 && ln_eps < 1)) bad("ln_eps must be in (0, 1)");
}

std::string GptConfig::to_json() const {
  nlohmann::ordered_json j;
  j["arch"] = "gpt";
  j["n_layer"] = n_layer;
  j["n_head"] = n_head;
  j["n_embd"] = n_embd;
  j["block_size"] = block_size;
  j["vocab_size"] = vocab_size;
  j["ln_eps"] = ln_eps;
  return j.dump();
}

GptConfig GptConfig::from_json(const std::string& json, const std::string& where) {
  GptConfig c;
  const JsonIn j = JsonIn::parse(json, where, "glassbox.config");
  if (j.has("arch") && j.string("arch") != "gpt") fail(where + ": model config is for `" + j.string("arch") + "`, not a GPT");
  c.n_layer = j.int32_or("n_layer", c.n_layer, 1, 256);
  c.n_head = j.int32_or("n_head", c.n_head, 1, 256);
  c.n_embd = j.int32_or("n_embd", c.n_embd, 1, 16384);
  c.block_size = j.int32_or("block_size", c.block_size, 1, 65536);
  c.vocab_size = j.int32_or("vocab_size", c.vocab_size, 1, 1000000);
  c.ln_eps = float(j.number_or("ln_eps", c.ln_eps, 1e-30, 0.999));
  c.validate(where);
  return c;
}

size_t GptConfig::param_count() const {
  const size_t C = size_t(n_embd);
  const size_t per_block = 2 * C + (3 * C * C + 3 * C) + (C * C + C) + 2 * C + (4 * C * C + 4 * C) + (4 * C * C + C);
  return size_t(vocab_size) * C + size_t(block_size) * C + size_t(n_layer) * per_block + 2 * C;
}

// [SECTION] model
void Gpt::declare(const GptConfig& c, ParamSet& p) {
  const int C = c.n_embd;
  p.declare("wte.weight", {c.vocab_size, C}, true);
  p.declare("wpe.weight", {c.block_size, C}, false);
  for (int i = 0; i < c.n_layer; ++i) {
    const std::string h = "h." + std::to_string(i) + ".";
    p.declare(h + "ln_1.weight", {C}, false);
    p.declare(h + "ln_1.bias", {C}, false);
    p.declare(h + "attn.c_attn.weight", {3 * C, C}, true);
    p.declare(h + "attn.c_attn.bias", {3 * C}, false);
    p.declare(h + "attn.c_proj.weight", {C, C}, true);
    p.declare(h + "attn.c_proj.bias", {C}, false);
    p.declare(h + "ln_2.weight", {C}, false);
    p.declare(h + "ln_2.bias", {C}, false);
    p.declare(h + "mlp.c_fc.weight", {4 * C, C}, true);
    p.declare(h + "mlp.c_fc.bias", {4 * C}, false);
    p.declare(h + "mlp.c_proj.weight", {C, 4 * C}, true);
    p.declare(h + "mlp.c_proj.bias", {C}, false);
  }
  p.declare("ln_f.weight", {C}, false);
  p.declare("ln_f.bias", {C}, false);
}

GptParamIdx gpt_param_index(const GptConfig& d, const ParamSet& p) {
  auto idx = [&](const std::string& name, std::vector<int> shape) {
    const ParamView* v = p.find(name);
    if (!v) fail("GPT parameters: missing tensor `" + name + "`");
    if (v->shape != shape) fail("GPT parameters: tensor `" + name + "` has the wrong shape");
    return size_t(v - p.views().data());
  };
  const int C = d.n_embd;
  GptParamIdx ix;
  ix.wte = idx("wte.weight", {d.vocab_size, C});
  ix.wpe = idx("wpe.weight", {d.block_size, C});
  for (int l = 0; l < d.n_layer; ++l) {
    std::string h = "h." + std::to_string(l) + ".";
    GptBlockIdx b;
    b.ln_1_w = idx(h + "ln_1.weight", {C});
    b.ln_1_b = idx(h + "ln_1.bias", {C});
    b.attn_w = idx(h + "attn.c_attn.weight", {3 * C, C});
    b.attn_b = idx(h + "attn.c_attn.bias", {3 * C});
    b.attn_proj_w = idx(h + "attn.c_proj.weight", {C, C});
    b.attn_proj_b = idx(h + "attn.c_proj.bias", {C});
    b.ln_2_w = idx(h + "ln_2.weight", {C});
    b.ln_2_b = idx(h + "ln_2.bias", {C});
    b.fc_w = idx(h + "mlp.c_fc.weight", {4 * C, C});
    b.fc_b = idx(h + "mlp.c_fc.bias", {4 * C});
    b.mlp_proj_w = idx(h + "mlp.c_proj.weight", {C, 4 * C});
    b.mlp_proj_b = idx(h + "mlp.c_proj.bias", {C});
    ix.h.push_back(b);
  }
  ix.ln_f_w = idx("ln_f.weight", {C});
  ix.ln_f_b = idx("ln_f.bias", {C});
  return ix;
}

Gpt::Gpt(const GptConfig& c) : config(c) {
  config.validate("model");
  declare(config, params);
  params.allocate();
  idx_ = gpt_param_index(config, params);
  for (auto& v : params.views())
    if (v.name.find("ln_") != std::string::npos && v.name.size() > 7 && v.name.rfind(".weight") == v.name.size() - 7)
      std::fill_n(params.data.data() + v.offset, v.size, 1.0f);
}

void Gpt::init_random(uint64_t seed) {
  Rng rng(seed);
  const float resid_std = 0.02f / std::sqrt(2.0f * float(config.n_layer));
  for (auto& v : params.views()) {
    float* p = params.data.data() + v.offset;
    const bool is_ln = v.name.find("ln_") != std::string::npos;
    const bool is_bias = v.name.size() > 5 && v.name.compare(v.name.size() - 5, 5, ".bias") == 0;
    if (is_ln && !is_bias) {
      std::fill_n(p, v.size, 1.0f);
    } else if (is_bias) {
      std::fill_n(p, v.size, 0.0f);
    } else {
      const bool resid = v.name.find("c_proj.weight") != std::string::npos;
      const float s = resid ? resid_std : 0.02f;
      for (size_t i = 0; i < v.size; ++i) p[i] = rng.normal_f() * s;
    }
  }
}

size_t GptQ8::bytes() const {
  size_t n = head.bytes();
  for (const Block& b : h) n += b.attn.bytes() + b.attn_proj.bytes() + b.fc.bytes() + b.mlp_proj.bytes();
  return n;
}

size_t GptQ8::weights() const {
  size_t n = size_t(head.rows) * head.cols;
  for (const Block& b : h)
    for (const Q8Matrix* m : {&b.attn, &b.attn_proj, &b.fc, &b.mlp_proj}) n += size_t(m->rows) * m->cols;
  return n;
}

const char* gpt_weights_name(GptWeights w) {
  switch (w) {
    case GptWeights::int8: return "int8";
    case GptWeights::fp16: return "fp16";
    default: return "float32";
  }
}

void Gpt::use_weights(GptWeights w) {
  if (w == GptWeights::f32) {
    q8.reset();
    return;
  }
  const GptConfig& c = config;
  const int C = c.n_embd;
  auto make = [w](const float* W, int rows, int cols) {
    return w == GptWeights::fp16 ? round_f16(W, rows, cols) : quantize_q8(W, rows, cols);
  };
  auto q = std::make_shared<GptQ8>();
  q->kind = w;
  for (const GptBlockIdx& b : idx_.h)
    q->h.push_back({make(params.ptr(b.attn_w), 3 * C, C), make(params.ptr(b.attn_proj_w), C, C),
                    make(params.ptr(b.fc_w), 4 * C, C), make(params.ptr(b.mlp_proj_w), C, 4 * C)});
  q->head = make(params.ptr(idx_.wte), c.vocab_size, C);
  q8 = std::move(q);
}

void KvCache::truncate(int n) {
  if (n < 0 || n > length) fail("KV cache: cannot truncate " + std::to_string(length) + " positions to " + std::to_string(n));
  for (size_t l = 0; l < k.size(); ++l) {
    const size_t C = length ? k[l].size() / size_t(length) : 0;
    k[l].resize(size_t(n) * C);
    v[l].resize(size_t(n) * C);
  }
  length = n;
}

// [SECTION] decoder
namespace {

// Output rows are computed in fixed chunks of kRowChunk, whatever the thread count: each chunk is one
// Eigen product of the same shape every time, so the logits are bit-identical with 1, 2 or 16 threads
// (a seed gives the same tokens on machines with different core counts). Threads take whole chunks.
constexpr int kRowChunk = 64;  // small enough to balance C×4C on 2–4 threads (768 rows = 12 chunks)

// Runs chunk(r0, r1) over [0, Out) in kRowChunk pieces, spread over `threads` when the work is big
// enough (small matrices stay in cache and are faster on one thread than split and synchronised).
template <class F>
void for_row_chunks(int Out, size_t work, int threads, const F& chunk) {
  const int nt = threads > 0 ? threads : default_decode_threads();
  const int chunks = (Out + kRowChunk - 1) / kRowChunk;
  auto range = [&](int c0, int c1) {
    for (int c = c0; c < c1; ++c) chunk(c * kRowChunk, std::min(Out, (c + 1) * kRowChunk));
  };
  if (nt <= 1 || chunks < 2 || work < (size_t(1) << 20)) {
    run_parts(1, [&](int, int) { range(0, chunks); });  // keeps Eigen single-threaded, as in a pool part
    return;
  }
  run_parts(std::min(nt, chunks), [&](int t, int n) { range(chunks * t / n, chunks * (t + 1) / n); });
}

// y (Out) = act(W (Out, In) · x (In) + b). Decoding is memory-bound: each weight is read once per token,
// so threads reading disjoint row chunks add bandwidth a single Eigen GEMV cannot reach. The activation
// (GELU after the MLP's first layer) runs on each chunk in its thread, while the chunk is still in cache.
void gemv_parallel(float* y, const float* W, const float* x, const float* b, int Out, int In, int threads,
                   Act act = Act::identity) {
  for_row_chunks(Out, size_t(Out) * In, threads, [&](int r0, int r1) {
    CMatMap Wb(W + size_t(r0) * In, r1 - r0, In);  // (rows, In)
    VecMap yb(y + r0, r1 - r0);                    // (rows)
    yb.noalias() = Wb * CVecMap(x, In);
    if (b) yb += CVecMap(b + r0, r1 - r0);
    if (act != Act::identity) act_forward(act, y + r0, y + r0, size_t(r1 - r0));
  });
}

// y (W.rows) = W · x + b with int8 weights: x is quantised once, then rows go to threads in the same
// fixed chunks as the float path (work counted in bytes read, a quarter of the float path's).
void gemv_q8(float* y, const Q8Matrix& W, const float* x, const float* b, int threads, Act act = Act::identity) {
  thread_local std::vector<float> xp;  // x padded to whole blocks
  xp.assign(size_t(W.blocks) * kQ8Block, 0.0f);
  std::copy_n(x, W.cols, xp.data());
  const float* xr = xp.data();  // the calling thread's vector, read by the pool's parts
  for_row_chunks(W.rows, size_t(W.rows) * W.cols, threads,
                 [&](int r0, int r1) {
                   q8_gemv_rows_f32(y, W, xr, b, r0, r1);
                   if (act != Act::identity) act_forward(act, y + r0, y + r0, size_t(r1 - r0));
                 });
}

void linear_rows(Mat& out, const Mat& inp, const float* W, const float* b, int Out, int threads);

// act(linear_rows) for one row with int8 or fp16 weights when the model has them (a decoding step), else float.
void linear_step(Mat& out, const Mat& inp, const float* W, const Q8Matrix* Wq, const float* b, int Out, int threads,
                 Act act = Act::identity) {
  if (inp.rows() == 1) {
    out.resize(1, Out);
    if (Wq)
      gemv_q8(out.data(), *Wq, inp.data(), b, threads, act);
    else
      gemv_parallel(out.data(), W, inp.data(), b, Out, int(inp.cols()), threads, act);
    return;
  }
  linear_rows(out, inp, W, b, Out, threads);
  if (act != Act::identity) act_forward(act, out.data(), out.data(), size_t(out.size()));
}

// out (n, Out) = inp (n, In) · Wᵀ + b: GEMV for one row; for several rows (prefill) one Eigen GEMM
// per chunk of output columns (single-threaded inside a pool part).
void linear_rows(Mat& out, const Mat& inp, const float* W, const float* b, int Out, int threads) {
  const int n = int(inp.rows()), In = int(inp.cols());
  out.resize(n, Out);
  if (n == 1) {
    gemv_parallel(out.data(), W, inp.data(), b, Out, In, threads);
    return;
  }
  for_row_chunks(Out, size_t(Out) * In * size_t(n), threads, [&](int r0, int r1) {
    CMatMap Wb(W + size_t(r0) * In, r1 - r0, In);                  // (rows, In)
    out.middleCols(r0, r1 - r0).noalias() = inp * Wb.transpose();  // (n, In)·(In, rows)
    if (b) out.middleCols(r0, r1 - r0).rowwise() += CVecMap(b + r0, r1 - r0).transpose();
  });
}

// Causal attention of n new queries (positions p … p+n−1) over the cached keys/values 0 … p+n−1.
// qkv (n, 3C) of the new rows; Kc, Vc (p+n, C); out (n, C).
void attend_cached(Mat& out, const Mat& qkv, const float* Kc, const float* Vc, int p, int H) {
  const int n = int(qkv.rows()), C = int(qkv.cols()) / 3, hs = C / H, Tk = p + n;
  const float scale = 1.0f / std::sqrt(float(hs));
  out.resize(n, C);
  Mat S(n, Tk);  // (n, Tk) scores, then weights
  for (int h = 0; h < H; ++h) {
    CStridedMap Q(qkv.data() + size_t(h) * hs, n, hs, Eigen::OuterStride<>(3 * C));  // (n, hs)
    CStridedMap K(Kc + size_t(h) * hs, Tk, hs, Eigen::OuterStride<>(C));              // (Tk, hs)
    CStridedMap V(Vc + size_t(h) * hs, Tk, hs, Eigen::OuterStride<>(C));              // (Tk, hs)
    S.noalias() = (Q * K.transpose()) * scale;
    for (int i = 0; i < n; ++i) {
      const int last = p + i;  // query i may see keys 0 … p+i
      float* row = S.data() + size_t(i) * Tk;
      float mx = -std::numeric_limits<float>::infinity();
      for (int j = 0; j <= last; ++j) mx = std::max(mx, row[j]);
      float sum = 0;
      for (int j = 0; j <= last; ++j) {
        row[j] = std::exp(row[j] - mx);
        sum += row[j];
      }
      const float inv = 1.0f / sum;
      for (int j = 0; j <= last; ++j) row[j] *= inv;
      for (int j = last + 1; j < Tk; ++j) row[j] = 0.0f;
    }
    StridedMap Y(out.data() + size_t(h) * hs, n, hs, Eigen::OuterStride<>(C));  // (n, hs)
    Y.noalias() = S * V;
  }
}

void check_ids(const GptConfig& c, const int32_t* ids, int n) {
  for (int i = 0; i < n; ++i)
    if (ids[i] < 0 || ids[i] >= c.vocab_size)
      fail("token id " + std::to_string(ids[i]) + " is outside the vocabulary (0 to " + std::to_string(c.vocab_size - 1) + ")");
}

}  // namespace

void gpt_decode(const Gpt& m, KvCache& cache, const int32_t* ids, int n, std::vector<float>& logits, bool int8) {
  const GptConfig& c = m.config;
  if (n < 1) fail("decode: no tokens to run");
  if (cache.length + n > c.block_size)
    fail("decode: context of " + std::to_string(cache.length + n) + " tokens exceeds the model's " +
         std::to_string(c.block_size));
  check_ids(c, ids, n);
  // Several tokens at once (a prompt, the window sliding in Run mode) are Eigen products, which OpenMP would split
  // over a team: on a busy machine the UI thread then waited at the team's barrier for a descheduled thread (lab
  // updates of 80–180 ms in the slowest frames, 6 ms with one thread), and the split could change float sums with
  // the core count. The rows of every product are still split by run_parts, in fixed chunks, over as many threads
  // as before (read before the scope sets OpenMP's count to one).
  const int threads = m.threads > 0 ? m.threads : default_decode_threads();
  const SingleThreadScope one_thread;
  const int C = c.n_embd, H = c.n_head, L = c.n_layer, V = c.vocab_size, p = cache.length;
  const GptParamIdx& ix = m.idx();
  const GptQ8* q8 = n == 1 && int8 ? m.q8.get() : nullptr;  // int8 weights only for one-token steps
  if (int(cache.k.size()) != L) {
    if (p != 0) fail("decode: KV cache belongs to a different model");
    cache.k.assign(size_t(L), {});
    cache.v.assign(size_t(L), {});
  }

  Mat x(n, C);  // (n, C) residual stream of the new rows
  for (int i = 0; i < n; ++i)
    x.row(i) = CVecMap(m.params.ptr(ix.wte) + size_t(ids[i]) * C, C).transpose() + CVecMap(m.params.ptr(ix.wpe) + size_t(p + i) * C, C).transpose();
  Mat ln(n, C), qkv, atty, proj, fc_act, mlp;  // (n, C), (n, 3C), (n, C), (n, C), (n, 4C), (n, C)
  for (int l = 0; l < L; ++l) {
    const GptBlockIdx& b = ix.h[size_t(l)];
    const GptQ8::Block* qb = q8 ? &q8->h[size_t(l)] : nullptr;
    layernorm_forward(mmap(ln), nullptr, nullptr, cmap(x), m.params.ptr(b.ln_1_w), m.params.ptr(b.ln_1_b), c.ln_eps);
    linear_step(qkv, ln, m.params.ptr(b.attn_w), qb ? &qb->attn : nullptr, m.params.ptr(b.attn_b), 3 * C, threads);
    auto& Kc = cache.k[size_t(l)];
    auto& Vc = cache.v[size_t(l)];
    Kc.resize(size_t(p + n) * C);
    Vc.resize(size_t(p + n) * C);
    for (int i = 0; i < n; ++i) {
      std::copy_n(qkv.data() + size_t(i) * 3 * C + C, C, Kc.data() + size_t(p + i) * C);
      std::copy_n(qkv.data() + size_t(i) * 3 * C + 2 * C, C, Vc.data() + size_t(p + i) * C);
    }
    attend_cached(atty, qkv, Kc.data(), Vc.data(), p, H);
    linear_step(proj, atty, m.params.ptr(b.attn_proj_w), qb ? &qb->attn_proj : nullptr, m.params.ptr(b.attn_proj_b), C, threads);
    x += proj;
    layernorm_forward(mmap(ln), nullptr, nullptr, cmap(x), m.params.ptr(b.ln_2_w), m.params.ptr(b.ln_2_b), c.ln_eps);
    linear_step(fc_act, ln, m.params.ptr(b.fc_w), qb ? &qb->fc : nullptr, m.params.ptr(b.fc_b), 4 * C, threads, Act::gelu);
    linear_step(mlp, fc_act, m.params.ptr(b.mlp_proj_w), qb ? &qb->mlp_proj : nullptr, m.params.ptr(b.mlp_proj_b), C, threads);
    x += mlp;
  }
  cache.length = p + n;
  Mat last = x.bottomRows(1);  // (1, C)
  Mat lnf(1, C);
  layernorm_forward(mmap(lnf), nullptr, nullptr, cmap(last), m.params.ptr(ix.ln_f_w), m.params.ptr(ix.ln_f_b), c.ln_eps);
  logits.resize(size_t(V));
  if (q8 && n == 1)
    gemv_q8(logits.data(), q8->head, lnf.data(), nullptr, threads);
  else
    gemv_parallel(logits.data(), m.params.ptr(ix.wte), lnf.data(), nullptr, V, C, threads);  // tied head: wte (V, C)
}

double gpt_int8_logit_error(const Gpt& m, const std::vector<int32_t>& ids) {
  if (!m.q8 || ids.empty()) return 0;
  KvCache cache;
  std::vector<float> f32, i8;
  const int n = int(ids.size());
  if (n > 1) gpt_decode(m, cache, ids.data(), n - 1, f32);
  gpt_decode(m, cache, &ids.back(), 1, f32, false);
  cache.truncate(n - 1);
  gpt_decode(m, cache, &ids.back(), 1, i8, true);
  double worst = 0;
  for (size_t v = 0; v < f32.size(); ++v) worst = std::max(worst, double(std::fabs(f32[v] - i8[v])));
  return worst;
}

// [SECTION] trace
namespace {
// The largest logit and Σ exp(logit − max) of one row (vectorised float exp; the sum of ≤ 50k terms ≤ 1 keeps
// float's relative precision, ~1e-6).
void softmax_stats(const float* logits, int V, float& mx, double& sum) {
  Eigen::Map<const Eigen::ArrayXf> a(logits, V);
  mx = a.maxCoeff();
  sum = double((a - mx).exp().sum());
}

std::vector<TokenScore> top_tokens_with(const float* logits, int V, int k, float mx, double sum) {
  k = std::max(0, std::min(k, V));
  auto better = [&](int32_t a, int32_t b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); };
  std::vector<int32_t> order;
  if (k <= 32) {
    // The k best in a small sorted buffer: one pass, no V-sized allocation (the logit lens calls this
    // layers × positions times per trace).
    order.reserve(size_t(k) + 1);
    for (int32_t i = 0; i < V && k > 0; ++i) {
      if (int(order.size()) == k && !better(i, order.back())) continue;
      auto at = std::upper_bound(order.begin(), order.end(), i, better);
      order.insert(at, i);
      if (int(order.size()) > k) order.pop_back();
    }
  } else {
    order.resize(static_cast<size_t>(V));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(), better);
    order.resize(size_t(k));
  }
  std::vector<TokenScore> out;
  out.reserve(size_t(k));
  for (int32_t id : order) out.push_back({id, logits[id], float(std::exp(double(logits[id]) - mx) / sum)});
  return out;
}
}  // namespace

std::vector<TokenScore> top_tokens(const float* logits, int V, int k) {
  float mx = 0;
  double sum = 1;
  if (V > 0) softmax_stats(logits, V, mx, sum);
  return top_tokens_with(logits, V, k, mx, sum);
}

Trace gpt_trace(const Gpt& m, const std::vector<int32_t>& ids, const TraceOptions& opt) {
  const GptConfig& c = m.config;
  const int T = int(ids.size()), C = c.n_embd, H = c.n_head, V = c.vocab_size;
  if (T < 1) fail("trace: empty sequence");
  if (T > c.block_size)
    fail("trace: sequence of " + std::to_string(T) + " tokens exceeds the model's context " + std::to_string(c.block_size));
  check_ids(c, ids.data(), T);
  const GptParamIdx& ix = m.idx();
  CMatMap wte(m.params.ptr(ix.wte), V, C);          // (V, C)
  CMatMap wpe(m.params.ptr(ix.wpe), c.block_size, C);  // (block_size, C)

  Trace tr;
  tr.ids = ids;
  tr.tok_emb.resize(T, C);
  tr.pos_emb.resize(T, C);
  embedding_forward(mmap(tr.tok_emb), ids.data(), wte);
  std::vector<int32_t> pos(static_cast<size_t>(T));
  std::iota(pos.begin(), pos.end(), 0);
  embedding_forward(mmap(tr.pos_emb), pos.data(), wpe);
  tr.embed = tr.tok_emb + tr.pos_emb;

  // The logit lens of one residual stream (T, C): top candidates and the next token's probability.
  auto lens = [&](const Mat& resid, std::vector<std::vector<TokenScore>>& top, std::vector<float>* next_prob) {
    Mat ln(T, C), lg(T, V);  // (T, C), (T, V)
    layernorm_forward(mmap(ln), nullptr, nullptr, cmap(resid), m.params.ptr(ix.ln_f_w), m.params.ptr(ix.ln_f_b), c.ln_eps);
    linear_forward(mmap(lg), cmap(ln), wte, nullptr);
    top.assign(size_t(T), {});
    if (next_prob) next_prob->assign(size_t(T), std::numeric_limits<float>::quiet_NaN());
    for (int t = 0; t < T; ++t) {
      const float* row = lg.data() + size_t(t) * V;
      float mx = 0;
      double sum = 1;
      softmax_stats(row, V, mx, sum);  // once per row, for the candidates and the next token's probability
      top[size_t(t)] = top_tokens_with(row, V, opt.lens_top, mx, sum);
      if (next_prob && t + 1 < T) (*next_prob)[size_t(t)] = float(std::exp(double(row[ids[size_t(t) + 1]]) - mx) / sum);
    }
  };

  Mat resid = tr.embed;  // (T, C)
  std::vector<float> pre(size_t(H) * T * T), att(size_t(H) * T * T);  // (H, T, T)
  tr.layers.resize(size_t(c.n_layer));
  for (int l = 0; l < c.n_layer; ++l) {
    const GptBlockIdx& b = ix.h[size_t(l)];
    LayerTrace& lt = tr.layers[size_t(l)];
    lt.ln_1.resize(T, C);
    layernorm_forward(mmap(lt.ln_1), nullptr, nullptr, cmap(resid), m.params.ptr(b.ln_1_w), m.params.ptr(b.ln_1_b), c.ln_eps);
    Mat qkv(T, 3 * C);  // (T, 3C)
    linear_forward(mmap(qkv), cmap(lt.ln_1), CMatMap(m.params.ptr(b.attn_w), 3 * C, C), m.params.ptr(b.attn_b));
    lt.attn_heads.resize(T, C);
    attention_forward(mmap(lt.attn_heads), pre.data(), att.data(), cmap(qkv), 1, T, H);
    if (opt.attention) {
      lt.q = qkv.leftCols(C);
      lt.k = qkv.middleCols(C, C);
      lt.v = qkv.rightCols(C);
      lt.attn_scores.resize(size_t(H));
      lt.attn_weights.resize(size_t(H));
      for (int h = 0; h < H; ++h) {
        lt.attn_scores[size_t(h)] = CMatMap(pre.data() + size_t(h) * T * T, T, T);
        lt.attn_weights[size_t(h)] = CMatMap(att.data() + size_t(h) * T * T, T, T);
      }
    }
    lt.attn_out.resize(T, C);
    linear_forward(mmap(lt.attn_out), cmap(lt.attn_heads), CMatMap(m.params.ptr(b.attn_proj_w), C, C), m.params.ptr(b.attn_proj_b));
    lt.resid_mid = resid + lt.attn_out;
    lt.ln_2.resize(T, C);
    layernorm_forward(mmap(lt.ln_2), nullptr, nullptr, cmap(lt.resid_mid), m.params.ptr(b.ln_2_w), m.params.ptr(b.ln_2_b), c.ln_eps);
    Mat fc(T, 4 * C), fc_act(T, 4 * C);  // (T, 4C)
    linear_forward(mmap(fc), cmap(lt.ln_2), CMatMap(m.params.ptr(b.fc_w), 4 * C, C), m.params.ptr(b.fc_b));
    act_forward(Act::gelu, fc_act.data(), fc.data(), size_t(fc.size()));
    lt.mlp_out.resize(T, C);
    linear_forward(mmap(lt.mlp_out), cmap(fc_act), CMatMap(m.params.ptr(b.mlp_proj_w), C, 4 * C), m.params.ptr(b.mlp_proj_b));
    lt.resid_post = lt.resid_mid + lt.mlp_out;
    if (opt.mlp) {
      lt.mlp_pre = std::move(fc);
      lt.mlp_act = std::move(fc_act);
    }
    if (opt.logit_lens) lens(lt.resid_post, lt.lens_top, &lt.lens_next_prob);
    resid = lt.resid_post;
  }
  tr.ln_f.resize(T, C);
  layernorm_forward(mmap(tr.ln_f), nullptr, nullptr, cmap(resid), m.params.ptr(ix.ln_f_w), m.params.ptr(ix.ln_f_b), c.ln_eps);
  tr.logits.resize(T, V);
  linear_forward(mmap(tr.logits), cmap(tr.ln_f), wte, nullptr);
  if (opt.logit_lens) {
    tr.lens_final.assign(size_t(T), {});
    for (int t = 0; t < T; ++t) tr.lens_final[size_t(t)] = top_tokens(tr.logits.data() + size_t(t) * V, V, opt.lens_top);
  }
  return tr;
}

}  // namespace gb
