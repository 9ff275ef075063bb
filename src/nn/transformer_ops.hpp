// The transformer's layers as forward/backward pairs (llm.c style): embedding lookup, LayerNorm,
// causal multi-head self-attention, softmax and cross-entropy. Forward computes outputs; backward
// *adds* into gradients. Activations are row-major (N, C) matrices, N = B·T rows.
#pragma once
#include <cstdint>

#include "core/tensor.hpp"

namespace gb {

// [SECTION] embedding
// out (N, C) = table[ids[n]] row by row; table is (V, C). ids must lie in [0, V) (not checked here).
void embedding_forward(MatMap out, const int32_t* ids, CMatMap table);
// dtable (V, C) += dout rows scattered back to the rows they came from.
void embedding_backward(MatMap dtable, const int32_t* ids, CMatMap dout);

// Token + position embeddings for B sequences of T tokens whose first position is pos0:
// out[b·T + t] (C) = wte[ids[b·T + t]] + wpe[pos0 + t]; wte (V, C), wpe (block_size, C).
void encoder_forward(MatMap out, const int32_t* ids, CMatMap wte, CMatMap wpe, int B, int T, int pos0 = 0);
// dwte (V, C), dwpe (block_size, C) += the scattered dout (N, C).
void encoder_backward(MatMap dwte, MatMap dwpe, CMatMap dout, const int32_t* ids, int B, int T, int pos0 = 0);

// [SECTION] layernorm
// out (N, C) = (inp − mean) · rstd · w + b per row, rstd = 1/√(var + eps) (biased variance, as
// PyTorch). mean and rstd (N) are saved for backward; either may be null when not needed.
void layernorm_forward(MatMap out, float* mean, float* rstd, CMatMap inp, const float* w, const float* b,
                       float eps = 1e-5f);
// dinp (N, C) += ∂L/∂inp; dw, db (C) += ∂L/∂w, ∂L/∂b, from dout (N, C) and the forward's inp,
// mean, rstd. dw/db may be null.
void layernorm_backward(MatMap dinp, float* dw, float* db, CMatMap dout, CMatMap inp, const float* w,
                        const float* mean, const float* rstd);

// [SECTION] softmax
// probs (N, V) = softmax of each row of logits (max subtracted first, so large logits are safe).
void softmax_forward(MatMap probs, CMatMap logits);
// dlogits (N, V) += probs ⊙ (dprobs − Σ_j probs_j dprobs_j) per row.
void softmax_backward(MatMap dlogits, CMatMap dprobs, CMatMap probs);

// [SECTION] cross-entropy
// losses (N) = −log probs[n, targets[n]]; returns their mean. probs (N, V) from softmax_forward.
// A target < 0 marks a row to ignore (loss 0, not counted in the mean).
float crossentropy_forward(float* losses, CMatMap probs, const int32_t* targets);
// Fused softmax + cross-entropy backward: dlogits (N, V) += dloss[n] · (probs[n] − onehot(target)).
// dloss (N) is ∂L/∂losses[n] (1/N for a mean); null means 1/(number of counted rows) for each row.
void crossentropy_softmax_backward(MatMap dlogits, CMatMap probs, const int32_t* targets, const float* dloss);

// [SECTION] attention
// Causal multi-head self-attention over B sequences of T tokens with H heads of size hs = C/H.
// qkv (B·T, 3C) holds [Q | K | V] per row, head h in columns [h·hs, (h+1)·hs) of each third.
//   preatt (B, H, T, T) = Q Kᵀ / √hs, entries above the diagonal (future tokens) set to −inf;
//   att    (B, H, T, T) = row softmax of preatt (0 above the diagonal);
//   out    (B·T, C)     = att · V with the heads side by side.
// preatt may be null (training keeps only att).
void attention_forward(MatMap out, float* preatt, float* att, CMatMap qkv, int B, int T, int H);
// dqkv (B·T, 3C) += gradients of Q, K and V, from dout (B·T, C) and the forward's qkv and att.
void attention_backward(MatMap dqkv, CMatMap dout, CMatMap qkv, const float* att, int B, int T, int H);

}  // namespace gb
