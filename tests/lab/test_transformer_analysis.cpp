// Transformer analysis helpers: PCA against a closed form and Eigen's SVD, cosine neighbours
// against hand-worked tables and brute force, and the per-version cache.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/SVD>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "lab/transformer_analysis.hpp"
#include "common/tiny_models.hpp"

using namespace gb;

TEST_CASE("pca_rows: points on an ellipse give its axes and the closed-form variances") {
  // Rows: offset + a·cos θ_i·u + b·sin θ_i·w, θ_i = 2πi/n (n ≥ 3 equally spaced angles), so
  // Σcos² = Σsin² = n/2, Σcos·sin = 0: variance along u is a²·(n/2)/(n−1), along w b²·(n/2)/(n−1), 0 else.
  const int n = 12, d = 3;
  const double a = 3.0, b = 1.0;
  const Eigen::Vector3d u(1.0 / 3, 2.0 / 3, 2.0 / 3), w(2.0 / 3, 1.0 / 3, -2.0 / 3), off(5, -1, 2);
  std::vector<float> data(size_t(n * d));  // (n, d)
  for (int i = 0; i < n; ++i) {
    double t = 2 * M_PI * i / n;
    Eigen::Vector3d r = off + a * std::cos(t) * u + b * std::sin(t) * w;
    for (int j = 0; j < d; ++j) data[size_t(i * d + j)] = float(r(j));
  }
  Pca p = pca_rows(data.data(), n, d, 3);
  double expect_u = a * a * (n / 2.0) / (n - 1), expect_w = b * b * (n / 2.0) / (n - 1);
  CHECK(p.variance[0] == doctest::Approx(expect_u).epsilon(1e-5));
  CHECK(p.variance[1] == doctest::Approx(expect_w).epsilon(1e-5));
  CHECK(std::abs(p.variance[2]) < 1e-5);
  CHECK(p.total_variance == doctest::Approx(expect_u + expect_w).epsilon(1e-5));
  for (int j = 0; j < d; ++j) CHECK(p.mean(j) == doctest::Approx(off(j)).epsilon(1e-5));
  // Components are ±u and ±w; the sign convention makes the largest entry positive: u → +u (2/3
  // ties with 2/3: either of those entries is positive in +u), w → the largest |entry| is ±2/3 twice,
  // so only check alignment and unit length there.
  Eigen::Vector3f c0 = p.components.row(0).transpose(), c1 = p.components.row(1).transpose();
  CHECK(std::abs(c0.cast<double>().dot(u)) == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(c0.cast<double>().dot(u) > 0);
  CHECK(std::abs(c1.cast<double>().dot(w)) == doctest::Approx(1.0).epsilon(1e-5));
  // Projections are a·cos θ and b·sin θ up to the component's sign.
  double s0 = c0.cast<double>().dot(u) > 0 ? 1 : -1, s1 = c1.cast<double>().dot(w) > 0 ? 1 : -1;
  for (int i = 0; i < n; ++i) {
    double t = 2 * M_PI * i / n;
    CHECK(p.projected(i, 0) == doctest::Approx(s0 * a * std::cos(t)).epsilon(1e-4).scale(1.0));
    CHECK(p.projected(i, 1) == doctest::Approx(s1 * b * std::sin(t)).epsilon(1e-4).scale(1.0));
  }
}

TEST_CASE("pca_rows agrees with Eigen's SVD of the centred matrix") {
  const int n = 60, d = 7, k = 3;
  Rng rng(1234);
  std::vector<float> data(size_t(n * d));  // (n, d): correlated columns so the spectrum is spread
  for (int i = 0; i < n; ++i) {
    double z0 = rng.normal(), z1 = rng.normal();
    for (int j = 0; j < d; ++j)
      data[size_t(i * d + j)] = float(4.0 * z0 * (j + 1) / d + 2.0 * z1 * ((j % 2) ? 1 : -1) + 0.3 * rng.normal() + j);
  }
  Pca p = pca_rows(data.data(), n, d, k);

  Eigen::MatrixXd x(n, d);  // (n, d) in double, centred
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) x(i, j) = data[size_t(i * d + j)];
  x.rowwise() -= x.colwise().mean();
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(x, Eigen::ComputeThinV | Eigen::ComputeThinU);
  double total = x.squaredNorm() / (n - 1);
  CHECK(p.total_variance == doctest::Approx(total).epsilon(1e-4));
  for (int c = 0; c < k; ++c) {
    double sv = svd.singularValues()(c);
    CHECK(p.variance[size_t(c)] == doctest::Approx(sv * sv / (n - 1)).epsilon(1e-4));
    Eigen::VectorXd ref = svd.matrixV().col(c);  // (d)
    double dot = p.components.row(c).cast<double>().dot(ref.transpose());
    CHECK(std::abs(dot) == doctest::Approx(1.0).epsilon(1e-4));
    // Sign convention: the entry of largest magnitude is positive.
    Eigen::Index big = 0;
    p.components.row(c).cwiseAbs().maxCoeff(&big);
    CHECK(p.components(c, big) > 0);
    // Projections = U·S (up to the same sign).
    double sign = dot > 0 ? 1 : -1;
    for (int i = 0; i < n; ++i)
      CHECK(p.projected(i, c) == doctest::Approx(sign * svd.matrixU()(i, c) * sv).epsilon(1e-3).scale(1.0));
  }
}

TEST_CASE("pca_rows rejects shapes that have no principal components") {
  std::vector<float> one(4, 1.0f);
  CHECK_THROWS_AS(pca_rows(one.data(), 1, 4, 1), Error);
  CHECK_THROWS_AS(pca_rows(one.data(), 2, 2, 3), Error);
  CHECK_THROWS_AS(pca_rows(one.data(), 2, 2, 0), Error);
}

TEST_CASE("nearest_by_cosine: hand-worked table") {
  // (5, 2) rows: angles 0°, 10°, 90°, 180° and the zero vector.
  const float c10 = std::cos(10 * float(M_PI) / 180), s10 = std::sin(10 * float(M_PI) / 180);
  std::vector<float> t = {2, 0, 3 * c10, 3 * s10, 0, 1, -1, 0, 0, 0};
  std::vector<Neighbour> nb = nearest_by_cosine(t.data(), 5, 2, t.data(), 5, 0);  // query row 0, excluded
  REQUIRE(nb.size() == 4);
  CHECK(nb[0].id == 1);
  CHECK(nb[0].cosine == doctest::Approx(c10));
  CHECK(nb[1].id == 2);  // cos 90° = 0 ties with the zero row (4): lower id first
  CHECK(nb[1].cosine == doctest::Approx(0.0).scale(1.0));
  CHECK(nb[2].id == 4);
  CHECK(nb[3].id == 3);
  CHECK(nb[3].cosine == doctest::Approx(-1.0));
  // k smaller than the table, nothing excluded: the query row itself comes first with cosine 1.
  nb = nearest_by_cosine(t.data(), 5, 2, t.data(), 2);
  REQUIRE(nb.size() == 2);
  CHECK(nb[0].id == 0);
  CHECK(nb[0].cosine == doctest::Approx(1.0));
  CHECK(nb[1].id == 1);
}

TEST_CASE("TransformerAnalysis caches per model version and matches brute force") {
  const GptConfig cfg = test::tiny_gpt_config(50, 8);
  auto mp = test::tiny_gpt(cfg, 7);
  Gpt& m = *mp;
  TransformerAnalysis an;
  const EmbeddingMap& a = an.embedding_map(mp, 1);
  REQUIRE(a.vocab == 50);
  REQUIRE(a.x.size() == 50);
  CHECK(a.share[0] >= a.share[1]);
  CHECK(a.share[0] + a.share[1] <= 1.0f + 1e-5f);
  Pca ref = pca_rows(m.w("wte.weight"), 50, 16, 2);
  CHECK(a.x[3] == doctest::Approx(ref.projected(3, 0)));
  CHECK(a.y[3] == doctest::Approx(ref.projected(3, 1)));
  float x3 = a.x[3];

  // Same version: not recomputed even if weights changed behind its back (that is the contract).
  m.params.data[m.idx().wte + 3 * 16] += 10.0f;
  CHECK(an.embedding_map(mp, 1).x[3] == x3);
  // New version: recomputed.
  CHECK(an.embedding_map(mp, 2).x[3] != doctest::Approx(x3));
  // Another model object (what the lab does on load / train use): recomputed.
  auto other = std::make_shared<Gpt>(cfg);
  other->init_random(8);
  float other_x3 = an.embedding_map(other, 2).x[3];
  float again_x3 = an.embedding_map(mp, 2).x[3];
  CHECK(other_x3 != doctest::Approx(again_x3));
  CHECK(an.embedding_map(nullptr).vocab == 0);

  const std::vector<Neighbour>& nb = an.neighbours(mp, 5, 4, 2);
  REQUIRE(nb.size() == 4);
  const float* wte = m.w("wte.weight");  // (V, C)
  auto cosine = [&](int i, int j) {
    double dot = 0, ni = 0, nj = 0;
    for (int c = 0; c < 16; ++c) {
      dot += double(wte[i * 16 + c]) * wte[j * 16 + c];
      ni += double(wte[i * 16 + c]) * wte[i * 16 + c];
      nj += double(wte[j * 16 + c]) * wte[j * 16 + c];
    }
    return dot / std::sqrt(ni * nj);
  };
  double best = -2;
  int best_id = -1;
  for (int j = 0; j < 50; ++j)
    if (j != 5 && cosine(5, j) > best) best = cosine(5, j), best_id = j;
  CHECK(nb[0].id == best_id);
  CHECK(nb[0].cosine == doctest::Approx(best).epsilon(1e-5));
  for (size_t i = 1; i < nb.size(); ++i) CHECK(nb[i].cosine <= nb[i - 1].cosine);
  for (auto& e : nb) CHECK(e.id != 5);
}

TEST_CASE("tokens_used marks exactly the tokens of a text's tokenization") {
  Tokenizer tok;  // 256 byte tokens
  std::vector<char> u = tokens_used(tok, "abca");
  REQUIRE(u.size() == 256);
  int n = 0;
  for (char c : u) n += c;
  CHECK(n == 3);
  CHECK(u[size_t(tok.byte_token('a'))] == 1);
  CHECK(u[size_t(tok.byte_token('c'))] == 1);
  CHECK(u[size_t(tok.byte_token('d'))] == 0);
}

TEST_CASE("embedding_map with the training text: the never-used tokens' cluster does not take the directions") {
  const GptConfig cfg = test::tiny_gpt_config(256, 8);
  auto mp = test::tiny_gpt(cfg, 3);
  Gpt& m = *mp;
  Tokenizer tok;
  const std::string text = "abcdefghij";
  // The unused tokens' rows all sit together far out along dimension 0, as training leaves them.
  float* wte = m.params.data.data() + m.idx().wte;  // (256, 16)
  for (int i = 0; i < 256; ++i)
    if (text.find(char(i)) == std::string::npos) {
      for (int c = 0; c < 16; ++c) wte[i * 16 + c] = 0.01f * float(c % 3);
      wte[i * 16] = 5.0f;
    }
  auto path = std::filesystem::temp_directory_path() / "glassbox_test_used_tokens.txt";
  { std::ofstream(path) << text; }
  TransformerAnalysis an;
  // Without the text: the cluster against the rest is the first direction.
  const EmbeddingMap& all = an.embedding_map(mp, 1);
  CHECK(all.used.empty());
  CHECK(all.unused == 0);
  CHECK(all.share[0] > 0.9f);
  // With it: 10 tokens in the PCA, the same directions as a PCA of those rows alone, every token projected.
  const EmbeddingMap& m2 = an.embedding_map(mp, 1, &tok, path.string());
  REQUIRE(m2.used.size() == 256);
  CHECK(m2.unused == 246);
  CHECK(m2.corpus == path.string());
  std::vector<float> rows;
  for (char ch : text) rows.insert(rows.end(), wte + int(ch) * 16, wte + int(ch) * 16 + 16);
  Pca ref = pca_rows(rows.data(), 10, 16, 2);
  CHECK(m2.share[0] == doctest::Approx(ref.variance[0] / ref.total_variance));
  CHECK(m2.share[0] < 0.9f);
  CHECK(std::abs(m2.x[size_t('c')]) == doctest::Approx(std::abs(ref.projected(2, 0))).epsilon(1e-4));
  CHECK(m2.x.size() == 256);
  std::filesystem::remove(path);
  // A text that is not there: every token in, as without one (no exception reaches the panel).
  const EmbeddingMap& gone = an.embedding_map(mp, 2, &tok, path.string() + ".missing");
  CHECK(gone.used.empty());
  CHECK(gone.vocab == 256);
}
