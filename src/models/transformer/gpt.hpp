// The GPT (GPT-2 architecture) for inference: config, weights under GPT-2's names, a fast
// incremental decoder with a KV cache, and a traced forward pass that records every internal.
//
// Architecture: token + learned position embeddings; n_layer pre-LayerNorm blocks
//   x = x + c_proj(attn(ln_1(x)));  x = x + mlp_c_proj(gelu_tanh(c_fc(ln_2(x))))
// then ln_f and an output head tied to the token embedding (logits = ln_f(x) · wteᵀ).
//
// How a lab drives it (all plain data, so undo is cheap):
//   Gpt model = ...;                        // from load_gpt (checkpoint.hpp) or Gpt(config) + init_random
//   KvCache cache;                          // holds K/V of every position seen so far
//   std::vector<float> logits;              // (V) of the last position
//   gpt_decode(model, cache, ids.data(), n, logits);   // prefill a prompt, then one token at a time
//   cache.truncate(k);                      // undo: forget positions ≥ k (then re-decode from there)
//   Trace tr = gpt_trace(model, ids, {});   // every internal of the current sequence, for panels
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "nn/params.hpp"
#include "models/transformer/quant.hpp"

namespace gb {

// [SECTION] config
struct GptConfig {
  int n_layer = 4;        // transformer blocks
  int n_head = 4;         // attention heads per block (n_embd % n_head == 0)
  int n_embd = 256;       // residual stream width C
  int block_size = 256;   // longest context T (rows of the position table)
  int vocab_size = 4096;  // V, rows of the tied token embedding
  float ln_eps = 1e-5f;   // LayerNorm epsilon (GPT-2: 1e-5)

  int head_size() const { return n_embd / n_head; }
  // Throws gb::Error "WHERE: …" for sizes that make no model (≤ 0, heads not dividing the width, absurd sizes).
  void validate(const std::string& where) const;
  // {"arch":"gpt","n_layer":4,...}: the `glassbox.config` metadata of a checkpoint.
  std::string to_json() const;
  // Parses to_json's output (unknown keys ignored, missing ones keep defaults, then validate);
  // throws gb::Error naming `where` on bad JSON or bad values.
  static GptConfig from_json(const std::string& json, const std::string& where);
  // Number of parameters (tied head counted once).
  size_t param_count() const;
};

// Indices into a ParamSet's views() of the GPT-2 named tensors (weights (Out, In) as nn::linear):
// the one index used by inference (Gpt::idx()) and training (gpt_backward).
struct GptBlockIdx {
  size_t ln_1_w, ln_1_b, attn_w, attn_b, attn_proj_w, attn_proj_b;
  size_t ln_2_w, ln_2_b, fc_w, fc_b, mlp_proj_w, mlp_proj_b;
};
struct GptParamIdx {
  size_t wte, wpe, ln_f_w, ln_f_b;
  std::vector<GptBlockIdx> h;
};
// Looks the GPT-2 names up in a ParamSet (wte.weight, h.0.attn.c_attn.weight, …); throws gb::Error
// when one is missing or has the wrong shape.
GptParamIdx gpt_param_index(const GptConfig& d, const ParamSet& p);

// Which weights a one-token decoding step reads: the float32 originals, int8 blocks or fp16 (quant.hpp).
enum class GptWeights { f32, int8, fp16 };
const char* gpt_weights_name(GptWeights w);  // "float32", "int8", "fp16"

// Int8 (or fp16) copies of the decoder's weights (quant.hpp): per block the four linear layers, and the tied head.
struct GptQ8 {
  GptWeights kind = GptWeights::int8;
  struct Block {
    Q8Matrix attn, attn_proj, fc, mlp_proj;
  };
  std::vector<Block> h;
  Q8Matrix head;  // wte (V, C)
  size_t bytes() const;    // int8 values and scales, or fp16 values
  size_t weights() const;  // float weights they replace
};

// [SECTION] the model
class Gpt {
 public:
  GptConfig config;
  // Every weight under GPT-2's names, linear weights stored as PyTorch's nn.Linear (Out, In):
  //   wte.weight (V, C)  wpe.weight (block_size, C)
  //   h.{i}.ln_1.weight/bias (C)  h.{i}.attn.c_attn.weight (3C, C) bias (3C)  h.{i}.attn.c_proj.weight (C, C) bias (C)
  //   h.{i}.ln_2.weight/bias (C)  h.{i}.mlp.c_fc.weight (4C, C) bias (4C)   h.{i}.mlp.c_proj.weight (C, 4C) bias (C)
  //   ln_f.weight/bias (C)
  ParamSet params;
  // Threads for the decoder's row-parallel matrix–vector products (0: OpenMP's default). Results
  // do not depend on it (fixed row chunks). On a busy machine one thread can beat two: every GEMV
  // waits for both halves, so a descheduled helper thread stalls the token.
  int threads = 0;
  // When set, one-token decoding steps use these int8 or fp16 weights (use_weights); the prompt, traces and
  // training use the float32 weights. Shared, so copying a Gpt stays cheap; rebuilt by use_weights after
  // the float weights change.
  std::shared_ptr<const GptQ8> q8;

  Gpt() : Gpt(GptConfig{}) {}
  // Declares and allocates every tensor (weights zero; LayerNorm weights one).
  explicit Gpt(const GptConfig& c);
  // GPT-2 initialisation from `seed`: weights N(0, 0.02), residual projections N(0, 0.02/√(2L)),
  // biases 0, LayerNorm γ = 1, β = 0.
  void init_random(uint64_t seed);

  // Declares the GPT-2 named tensors (shapes above) into an empty ParamSet, in a fixed order.
  static void declare(const GptConfig& c, ParamSet& p);

  // Named tensor access (pointer to float data of that tensor).
  const float* w(const std::string& name) const { return params.data.data() + params.view(name).offset; }

  // Builds the int8 or fp16 copies (or drops them: f32) from the current float weights.
  void use_weights(GptWeights w);
  GptWeights weights() const { return q8 ? q8->kind : GptWeights::f32; }

  // Indices of the named tensors in params.views() (params.ptr(idx().wte), …), resolved once.
  const GptParamIdx& idx() const { return idx_; }

 private:
  GptParamIdx idx_;
};

// [SECTION] incremental decoding
// K and V of every position processed so far, per layer; plus scratch buffers of the decoder.
// Plain data: copy it to fork (beam search), truncate it to undo.
struct KvCache {
  int length = 0;                            // positions held (the next token goes at position `length`)
  std::vector<std::vector<float>> k, v;      // n_layer × (length, C), heads side by side
  void clear() { length = 0; k.clear(); v.clear(); }
  // Forgets positions ≥ n (n ≤ length).
  void truncate(int n);
};

// Runs `n` tokens at positions cache.length … cache.length + n − 1 through the model, appending
// their K/V to the cache, and writes the logits of the last of them into `logits` (resized to V).
// Only the last position goes through the V×C head. Throws gb::Error when ids are out of [0, V)
// or the context would exceed block_size. n == 1 uses row-parallel GEMV (the speed path), with the
// int8 or fp16 weights when the model has them (m.q8) and `int8` is true.
void gpt_decode(const Gpt& m, KvCache& cache, const int32_t* ids, int n, std::vector<float>& logits, bool int8 = true);

// What the reduced weights (int8 or fp16, m.q8) cost on these ids: the largest |logit(reduced) − logit(float32)|
// over the vocabulary for the last token (the rest run as float32, as a decoding step would). 0 without m.q8.
double gpt_int8_logit_error(const Gpt& m, const std::vector<int32_t>& ids);

// [SECTION] trace
// What gpt_trace records (everything except the logit lens by default). Memory: about
// (12 + 8)·L·T·C floats for the per-layer matrices plus 2·L·H·T² for attention and T·V for the logits
// (GPT-2 small at T = 1024: ~1.2 GB of attention alone, so turn `attention` off for long sequences
// or trace a window). The logit lens adds an L·T·C·V multiply-add pass (seconds for GPT-2).
struct TraceOptions {
  bool attention = true;   // q, k, v, scores and weights per head
  bool mlp = true;         // MLP pre-activation and GELU output (T, 4C)
  bool logit_lens = false; // each layer's residual through ln_f and the head (costs V×C per layer per position)
  int lens_top = 10;       // candidates kept per position per layer for the logit lens
};

// One entry of a top-k list: token id, its raw logit and its softmax probability.
struct TokenScore {
  int32_t id = 0;
  float logit = 0;
  float prob = 0;
};

// Internals of one block for the traced sequence of T tokens (names follow the panels).
struct LayerTrace {
  Mat ln_1;                       // (T, C) LayerNorm before attention
  Mat q, k, v;                    // (T, C) each; head h is columns [h·hs, (h+1)·hs)
  std::vector<Mat> attn_scores;   // H × (T, T) q·k/√hs before softmax; −inf above the diagonal (masked future)
  std::vector<Mat> attn_weights;  // H × (T, T) after softmax (rows sum to 1, 0 above the diagonal)
  Mat attn_heads;                 // (T, C) weights · v per head, heads side by side (before c_proj)
  Mat attn_out;                   // (T, C) attention's output after c_proj (added to the residual)
  Mat resid_mid;                  // (T, C) residual stream after the attention sub-block
  Mat ln_2;                       // (T, C) LayerNorm before the MLP
  Mat mlp_pre;                    // (T, 4C) c_fc output, before GELU
  Mat mlp_act;                    // (T, 4C) after GELU
  Mat mlp_out;                    // (T, C) MLP output after c_proj (added to the residual)
  Mat resid_post;                 // (T, C) residual stream after the block
  // Logit lens (only with TraceOptions::logit_lens): per position, resid_post through ln_f and the head.
  std::vector<std::vector<TokenScore>> lens_top;  // T × lens_top best candidates
  std::vector<float> lens_next_prob;              // (T) probability the lens gives the actual next token (NaN at the last position)
};

struct Trace {
  std::vector<int32_t> ids;         // (T) the sequence
  std::vector<std::string> tokens;  // (T) display strings when the caller supplied them (else empty)
  Mat tok_emb;                      // (T, C) wte rows
  Mat pos_emb;                      // (T, C) wpe rows
  Mat embed;                        // (T, C) tok_emb + pos_emb: the residual stream entering block 0
  std::vector<LayerTrace> layers;   // n_layer
  Mat ln_f;                         // (T, C) final LayerNorm output
  Mat logits;                       // (T, V) head output for every position
  std::vector<std::vector<TokenScore>> lens_final;  // logit lens of the final layer's output = logits (T × lens_top), with logit_lens
};

// Uncached forward over the whole sequence (1 ≤ T ≤ block_size), recording every internal.
// Independent of gpt_decode's code path (tests check the two agree).
Trace gpt_trace(const Gpt& m, const std::vector<int32_t>& ids, const TraceOptions& opt = {});

// The `k` highest logits of a row, best first, with their softmax probabilities over the whole row.
std::vector<TokenScore> top_tokens(const float* logits, int V, int k);

}  // namespace gb
