// Pure computations behind the transformer panels that are too heavy to redo every frame: a 2D
// PCA map of the token-embedding table and cosine nearest neighbours of a token, cached per model
// version so a panel can ask for them every frame for free. No ImGui/OpenGL here.
//
//   gb::TransformerAnalysis& an = gb::shared_transformer_analysis();
//   const gb::EmbeddingMap& map = an.embedding_map(lab.model_ptr());   // PCA once per model
//   auto& near = an.neighbours(lab.model_ptr(), token_id, 10);          // V·C once per token
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb {

// [SECTION] PCA
// Principal component analysis of the rows of a (n, d) matrix (rows = samples).
struct Pca {
  Vec mean;                      // (d) column means that were subtracted
  Mat components;                // (k, d) unit principal directions, most variance first
  std::vector<float> variance;   // (k) variance along each direction (divided by n − 1)
  float total_variance = 0;      // sum of the variances of all d columns (so variance[i] / total = share)
  Mat projected;                 // (n, k) each row's coordinates along the components
};

// The top `k` components of the rows of `data` (n, d), row-major. Exact: eigen-decomposition of
// the (d, d) covariance (cost n·d² + d³). Sign convention: each component's entry of largest
// magnitude is positive, so results are reproducible. Throws gb::Error when n < 2, d < 1 or k ∉ [1, d].
Pca pca_rows(const float* data, int n, int d, int k);

// [SECTION] Cosine similarity
struct Neighbour {
  int32_t id = 0;    // row index (token id)
  float cosine = 0;  // cos(angle) between that row and the query, in [−1, 1]
};

// The `k` rows of `table` (n, d) most similar to `query` (d) by cosine similarity, best first;
// `exclude` (a row index, −1: none) is skipped, so a token is not its own neighbour. Rows or a
// query of zero length get cosine 0. Ties break toward the lower id.
std::vector<Neighbour> nearest_by_cosine(const float* table, int n, int d, const float* query, int k, int exclude = -1);

// [SECTION] Tokens a text uses
// (V) 1 for every token that occurs in the tokenization of `text` (specials allowed), else 0. A trained
// BPE vocabulary holds tokens a text never produces whole: single bytes that are always merged, and the
// pieces merges build on the way to whole words ("Ġt", "he", "ing" when the corpus only has "Ġthe", "Ġthing").
std::vector<char> tokens_used(const Tokenizer& tok, std::string_view text);

// [SECTION] Cached analyses of a model
// The vocabulary's token embeddings (wte rows) projected on their first two principal components.
// When the training text is known, the directions come from the tokens that text uses only: the
// tokens it never uses were never the model's input, so their rows were only ever pushed the same way
// (down, as wrong answers, through the tied output layer) and form one tight cluster that otherwise
// takes the first direction (45% of the shipped model's spread) and squeezes every trained token together.
struct EmbeddingMap {
  int vocab = 0;               // V
  int width = 0;               // C
  std::vector<float> x, y;     // (V) coordinates along principal components 1 and 2 (every token projected)
  float share[2] = {0, 0};     // fraction of the variance of the tokens in the PCA each component explains
  std::vector<char> used;      // (V) 1: the training text uses the token (in the PCA); empty: text unknown (all in)
  int unused = 0;              // tokens with used == 0
  std::string corpus;          // the training text's name ("stories"), "" when unknown
};

// Holds the last results for one model; recomputes only when the model changes. A model is the
// same while it is the same shared object (the TransformerLab replaces the object whenever weights
// change: load, train use) and `version` is unchanged (for callers that edit weights in place).
// Holds only weak references, never keeps a model alive. Locked by one mutex; the references
// returned stay valid until the next call with a different model/token (UI thread use).
class TransformerAnalysis {
 public:
  // PCA of m's token-embedding table (V, C).
  // `tok` and `corpus` (a load_corpus name such as "stories"; "" unknown) pick the tokens the model trained
  // on: tokenizing a 3 MB corpus takes a moment, once per model.
  const EmbeddingMap& embedding_map(const std::shared_ptr<const Gpt>& m, uint64_t version = 0,
                                    const Tokenizer* tok = nullptr, const std::string& corpus = "");
  // The k nearest tokens to token `id` by cosine similarity of their embeddings (id itself excluded).
  const std::vector<Neighbour>& neighbours(const std::shared_ptr<const Gpt>& m, int32_t id, int k, uint64_t version = 0);

 private:
  struct Key {
    std::weak_ptr<const Gpt> model;
    uint64_t version = 0;
    bool matches(const std::shared_ptr<const Gpt>& m, uint64_t v) const;
  };
  std::mutex mu_;
  Key map_key_;
  std::string map_corpus_;
  EmbeddingMap map_;
  std::string used_corpus_;      // the text tokens_used last ran on ("" none) …
  uint64_t used_tok_hash_ = 0;   // … with this vocabulary (a hash of every token's bytes)
  std::vector<char> used_;       // … and its result
  Key nb_key_;
  int32_t nb_id_ = -1;
  int nb_k_ = 0;
  std::vector<Neighbour> nb_;
};

// The one cache the app's panels share (lives in the lab layer, outside any draw function).
TransformerAnalysis& shared_transformer_analysis();

}  // namespace gb
