// PCA of a matrix's rows, cosine nearest neighbours, and the per-model-version cache the
// transformer panels read (embedding map, neighbours of a token).
#include "lab/transformer_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <Eigen/Eigenvalues>

#include "core/error.hpp"
#include "models/data/corpus.hpp"

namespace gb {

// [SECTION] PCA

Pca pca_rows(const float* data, int n, int d, int k) {
  if (n < 2 || d < 1) throw Error("pca: need at least 2 rows and 1 column (got " + std::to_string(n) + " × " + std::to_string(d) + ")");
  if (k < 1 || k > d) throw Error("pca: components " + std::to_string(k) + " not in [1, " + std::to_string(d) + "]");
  CMatMap x(data, n, d);  // (n, d)
  Pca p;
  Eigen::VectorXd mean_d = Eigen::VectorXd::Zero(d);  // (d) summed in double: n can be 50 000
  for (int i = 0; i < n; ++i) mean_d += x.row(i).transpose().cast<double>();
  mean_d /= double(n);
  p.mean = mean_d.cast<float>();

  // Covariance (d, d), accumulated over blocks of centred rows so no centred copy of the whole
  // table is made. Each block's product is float GEMM (fast); blocks are summed in double.
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);  // (d, d)
  const int block = 1024;
  Mat xc;                                             // (rows in block, d)
  for (int r0 = 0; r0 < n; r0 += block) {
    int rows = std::min(block, n - r0);
    xc = x.middleRows(r0, rows).rowwise() - p.mean.transpose();
    Eigen::MatrixXf part = xc.transpose() * xc;       // (d, d)
    cov += part.cast<double>();
  }
  cov /= double(n - 1);

  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);  // eigenvalues ascending
  if (eig.info() != Eigen::Success) throw Error("pca: eigen-decomposition did not converge");
  p.total_variance = float(cov.trace());
  p.components.resize(k, d);
  p.variance.resize(k);
  for (int c = 0; c < k; ++c) {
    int j = d - 1 - c;                                     // largest first
    Eigen::VectorXd v = eig.eigenvectors().col(j);         // (d) unit
    Eigen::Index big = 0;
    v.cwiseAbs().maxCoeff(&big);
    if (v(big) < 0) v = -v;                                // sign convention: largest entry positive
    p.components.row(c) = v.cast<float>().transpose();
    p.variance[c] = float(std::max(0.0, eig.eigenvalues()(j)));
  }
  p.projected.resize(n, k);  // (n, k)
  for (int r0 = 0; r0 < n; r0 += block) {
    int rows = std::min(block, n - r0);
    xc = x.middleRows(r0, rows).rowwise() - p.mean.transpose();
    p.projected.middleRows(r0, rows) = xc * p.components.transpose();
  }
  return p;
}

// [SECTION] Cosine similarity

std::vector<Neighbour> nearest_by_cosine(const float* table, int n, int d, const float* query, int k, int exclude) {
  std::vector<Neighbour> all;
  if (n <= 0 || d <= 0 || k <= 0) return all;
  CMatMap t(table, n, d);  // (n, d)
  CVecMap q(query, d);     // (d)
  double qn = q.cast<double>().norm();
  all.reserve(size_t(n));
  for (int i = 0; i < n; ++i) {
    if (i == exclude) continue;
    double rn = t.row(i).cast<double>().norm();
    double dot = t.row(i).cast<double>().dot(q.cast<double>().transpose());
    float c = (qn > 0 && rn > 0) ? float(std::clamp(dot / (qn * rn), -1.0, 1.0)) : 0.0f;
    all.push_back({int32_t(i), c});
  }
  size_t kk = std::min(all.size(), size_t(k));
  auto better = [](const Neighbour& a, const Neighbour& b) { return a.cosine != b.cosine ? a.cosine > b.cosine : a.id < b.id; };
  std::partial_sort(all.begin(), all.begin() + long(kk), all.end(), better);
  all.resize(kk);
  return all;
}

// [SECTION] Tokens a text uses

std::vector<char> tokens_used(const Tokenizer& tok, std::string_view text) {
  std::vector<char> used(size_t(tok.vocab_size()), 0);
  for (int id : tok.encode(text, true))
    if (id >= 0 && id < tok.vocab_size()) used[size_t(id)] = 1;
  return used;
}

// [SECTION] Cache

bool TransformerAnalysis::Key::matches(const std::shared_ptr<const Gpt>& m, uint64_t v) const {
  if (!m || model.expired() || v != version) return false;
  return !model.owner_before(m) && !m.owner_before(model) && model.lock().get() == m.get();
}

const EmbeddingMap& TransformerAnalysis::embedding_map(const std::shared_ptr<const Gpt>& mp, uint64_t version,
                                                       const Tokenizer* tok, const std::string& corpus_name) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string corpus = tok ? corpus_name : "";
  if (map_key_.matches(mp, version) && map_corpus_ == corpus) return map_;
  map_ = EmbeddingMap{};
  map_key_ = Key{mp, version};
  map_corpus_ = corpus;
  if (!mp) return map_;
  const Gpt& m = *mp;
  const int V = m.config.vocab_size, C = m.config.n_embd;
  const float* wte = m.params.data.data() + m.idx().wte;  // (V, C)
  map_.vocab = V;
  map_.width = C;
  if (!corpus.empty() && tok->vocab_size() == V) {
    // Tokenizing the corpus takes about a second: reuse the last count while the text and the vocabulary are the
    // same (training replaces the model object at every "use these weights", not its tokenizer).
    uint64_t tok_hash = 1469598103934665603ull;  // FNV-1a over every token's bytes
    for (int i = 0; i < V; ++i) {
      for (unsigned char c : tok->token_bytes(i)) tok_hash = (tok_hash ^ c) * 1099511628211ull;
      tok_hash = (tok_hash ^ 0xFFu) * 1099511628211ull;
    }
    if (used_corpus_ != corpus || used_tok_hash_ != tok_hash) {
      used_corpus_.clear();
      try {
        used_ = tokens_used(*tok, load_corpus(corpus));
        used_corpus_ = corpus;
        used_tok_hash_ = tok_hash;
      } catch (const Error&) {
        used_.clear();  // the text is gone (a deleted file): every token in the PCA, as without a corpus
      }
    }
    if (!used_.empty()) {
      map_.used = used_;
      map_.corpus = corpus;
    }
  }
  // The rows in the PCA: the used tokens, unless too few of them are left to find two directions.
  std::vector<int> rows;
  for (int i = 0; i < V; ++i)
    if (map_.used.empty() || map_.used[size_t(i)]) rows.push_back(i);
  if (int(rows.size()) < 3) {
    map_.used.clear();
    map_.corpus.clear();
    rows.resize(size_t(V));
    for (int i = 0; i < V; ++i) rows[size_t(i)] = i;
  }
  map_.unused = V - int(rows.size());
  Mat sub(int(rows.size()), C);  // (used, C)
  for (size_t r = 0; r < rows.size(); ++r) sub.row(long(r)) = CVecMap(wte + size_t(rows[r]) * size_t(C), C).transpose();
  Pca p = pca_rows(sub.data(), int(rows.size()), C, 2);
  map_.x.resize(size_t(V));
  map_.y.resize(size_t(V));
  for (int i = 0; i < V; ++i) {  // every token on the same two directions
    Vec centred = CVecMap(wte + size_t(i) * size_t(C), C) - p.mean;  // (C)
    map_.x[size_t(i)] = centred.dot(p.components.row(0).transpose());
    map_.y[size_t(i)] = centred.dot(p.components.row(1).transpose());
  }
  for (int c = 0; c < 2; ++c) map_.share[c] = p.total_variance > 0 ? p.variance[size_t(c)] / p.total_variance : 0.0f;
  return map_;
}

const std::vector<Neighbour>& TransformerAnalysis::neighbours(const std::shared_ptr<const Gpt>& mp, int32_t id, int k,
                                                              uint64_t version) {
  std::lock_guard<std::mutex> lock(mu_);
  if (nb_key_.matches(mp, version) && nb_id_ == id && nb_k_ == k) return nb_;
  nb_.clear();
  nb_key_ = Key{mp, version};
  nb_id_ = id;
  nb_k_ = k;
  if (!mp) return nb_;
  const Gpt& m = *mp;
  const int V = m.config.vocab_size, C = m.config.n_embd;
  if (id >= 0 && id < V) {
    const float* wte = m.params.data.data() + m.idx().wte;  // (V, C)
    nb_ = nearest_by_cosine(wte, V, C, wte + size_t(id) * size_t(C), k, id);
  }
  return nb_;
}

TransformerAnalysis& shared_transformer_analysis() {
  static TransformerAnalysis instance;
  return instance;
}

}  // namespace gb
