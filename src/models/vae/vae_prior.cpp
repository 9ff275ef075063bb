// The fitted prior of a VAE: k-means + one Gaussian per cluster, per class; sampling and checks.
#include "models/vae/vae_prior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace gb {

namespace {

double dist2(const float* a, const double* b, int Z) {
  double s = 0;
  for (int j = 0; j < Z; ++j) {
    const double d = double(a[j]) - b[j];
    s += d * d;
  }
  return s;
}

// k-means++ start, then Lloyd's iterations. pts (n, Z); returns the cluster of each point and the centres (K, Z).
std::vector<int> kmeans(const std::vector<const float*>& pts, int Z, int K, Rng& rng, std::vector<double>& centres) {
  const size_t n = pts.size();
  centres.assign(size_t(K) * Z, 0.0);
  std::vector<double> d2(n, std::numeric_limits<double>::infinity());
  for (int k = 0; k < K; ++k) {  // k-means++: each next centre drawn with probability ∝ squared distance
    size_t pick = 0;
    if (k == 0) {
      pick = size_t(rng.below(n));
    } else {
      double total = 0;
      for (double v : d2) total += v;
      double u = rng.uniform() * total;
      for (pick = 0; pick + 1 < n; ++pick) {
        u -= d2[pick];
        if (u < 0) break;
      }
    }
    for (int j = 0; j < Z; ++j) centres[size_t(k) * Z + j] = pts[pick][j];
    for (size_t i = 0; i < n; ++i) d2[i] = std::min(d2[i], dist2(pts[i], &centres[size_t(k) * Z], Z));
  }
  std::vector<int> assign(n, -1);
  for (int round = 0; round < 100; ++round) {
    bool moved = false;
    for (size_t i = 0; i < n; ++i) {
      int best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (int k = 0; k < K; ++k) {
        const double d = dist2(pts[i], &centres[size_t(k) * Z], Z);
        if (d < bd) bd = d, best = k;
      }
      if (assign[i] != best) assign[i] = best, moved = true;
    }
    if (!moved) break;
    std::vector<double> sum(size_t(K) * Z, 0.0);
    std::vector<size_t> count(size_t(K), 0);
    for (size_t i = 0; i < n; ++i) {
      ++count[size_t(assign[i])];
      for (int j = 0; j < Z; ++j) sum[size_t(assign[i]) * Z + j] += pts[i][j];
    }
    for (int k = 0; k < K; ++k)  // an emptied cluster keeps its centre
      if (count[size_t(k)] > 0)
        for (int j = 0; j < Z; ++j) centres[size_t(k) * Z + j] = sum[size_t(k) * Z + j] / double(count[size_t(k)]);
  }
  return assign;
}

}  // namespace

VaeFittedPrior fit_vae_prior(const std::vector<float>& mu, const int* labels, int N, int Z, int C, int K, uint64_t seed) {
  if (N < 1 || Z < 1 || C < 1 || K < 1) fail("fit prior: N, Z, C and K must be at least 1");
  if (mu.size() != size_t(N) * size_t(Z)) fail("fit prior: mu holds " + std::to_string(mu.size()) + " numbers, expected N·Z");
  if (!labels && C != 1) fail("fit prior: labels are needed for more than one class");
  VaeFittedPrior p;
  p.classes = C, p.components = K, p.latent = Z;
  p.weights.assign(size_t(C) * K, 0.0f);
  p.means.assign(size_t(C) * K * Z, 0.0f);
  p.chol.assign(size_t(C) * K * Z * Z, 0.0f);
  Rng rng(seed);
  for (int c = 0; c < C; ++c) {
    std::vector<const float*> pts;  // (n, Z) the class's centres
    for (int i = 0; i < N; ++i) {
      if (labels && (labels[i] < 0 || labels[i] >= C)) fail("fit prior: label " + std::to_string(labels[i]) + " outside 0–" + std::to_string(C - 1));
      if (!labels || labels[i] == c) pts.push_back(&mu[size_t(i) * Z]);
    }
    if (pts.size() < size_t(K))
      fail("fit prior: class " + std::to_string(c) + " has " + std::to_string(pts.size()) + " pictures, fewer than the " +
           std::to_string(K) + " components asked for");
    std::vector<double> centres;
    const std::vector<int> assign = kmeans(pts, Z, K, rng, centres);
    for (int k = 0; k < K; ++k) {
      Eigen::VectorXd m = Eigen::VectorXd::Zero(Z);  // (Z)
      Eigen::MatrixXd S = Eigen::MatrixXd::Zero(Z, Z);  // (Z, Z)
      size_t n = 0;
      for (size_t i = 0; i < pts.size(); ++i)
        if (assign[i] == k) {
          m += Eigen::Map<const Eigen::VectorXf>(pts[i], Z).cast<double>();
          ++n;
        }
      if (n > 0) m /= double(n);
      for (size_t i = 0; i < pts.size(); ++i)
        if (assign[i] == k) {
          const Eigen::VectorXd d = Eigen::Map<const Eigen::VectorXf>(pts[i], Z).cast<double>() - m;
          S += d * d.transpose();
        }
      if (n > 0) S /= double(n);
      S += 1e-4 * Eigen::MatrixXd::Identity(Z, Z);
      const Eigen::MatrixXd L = S.llt().matrixL();  // (Z, Z)
      p.weights[size_t(c) * K + k] = float(double(n) / double(pts.size()));
      for (int a = 0; a < Z; ++a) {
        p.means[(size_t(c) * K + k) * Z + a] = float(m(a));
        for (int b = 0; b <= a; ++b) p.chol[((size_t(c) * K + k) * Z + a) * Z + b] = float(L(a, b));
      }
    }
  }
  return p;
}

std::vector<float> VaeFittedPrior::sample(const int* labels, int N, uint64_t seed, float temperature,
                                          std::vector<int>* drawn) const {
  if (empty()) fail("vae: this model has no fitted prior");
  if (!(std::isfinite(temperature) && temperature >= 0)) fail("vae: temperature must be a finite number ≥ 0");
  const int Z = latent, K = components;
  Rng rng(seed);
  std::vector<float> z(size_t(N) * Z);
  std::vector<float> eps(static_cast<size_t>(Z));
  for (int i = 0; i < N; ++i) {
    const int c = labels ? labels[i] : 0;
    if (c < 0 || c >= classes) fail("vae: class " + std::to_string(c) + " outside the fitted prior's 0–" + std::to_string(classes - 1));
    const float* w = &weights[size_t(c) * K];
    double u = rng.uniform();
    int k = 0;
    for (; k + 1 < K; ++k) {
      u -= w[k];
      if (u < 0) break;
    }
    while (k > 0 && w[k] == 0) --k;  // rounding left u ≥ 0 past the last used component
    if (drawn) drawn->push_back(k);
    for (auto& e : eps) e = rng.normal_f();
    const float* m = &means[(size_t(c) * K + k) * Z];
    const float* L = &chol[(size_t(c) * K + k) * Z * Z];
    for (int a = 0; a < Z; ++a) {
      double s = 0;
      for (int b = 0; b <= a; ++b) s += double(L[size_t(a) * Z + b]) * eps[size_t(b)];
      z[size_t(i) * Z + a] = m[a] + temperature * float(s);
    }
  }
  return z;
}

std::string VaeFittedPrior::check() const {
  const size_t C = size_t(classes), K = size_t(components), Z = size_t(latent);
  if (weights.size() != C * K) return "prior.weights has " + std::to_string(weights.size()) + " numbers, expected classes × components";
  if (means.size() != C * K * Z) return "prior.means has " + std::to_string(means.size()) + " numbers, expected classes × components × latent";
  if (chol.size() != C * K * Z * Z) return "prior.chol has " + std::to_string(chol.size()) + " numbers, expected classes × components × latent²";
  for (size_t c = 0; c < C; ++c) {
    double total = 0;
    for (size_t k = 0; k < K; ++k) {
      const float w = weights[c * K + k];
      if (!(std::isfinite(w) && w >= 0)) return "prior.weights of class " + std::to_string(c) + " has a negative or non-finite weight";
      total += w;
    }
    if (std::fabs(total - 1.0) > 1e-3) return "prior.weights of class " + std::to_string(c) + " sum to " + std::to_string(total) + ", not 1";
  }
  for (float v : means)
    if (!std::isfinite(v)) return "prior.means holds a non-finite number";
  for (size_t ck = 0; ck < C * K; ++ck)
    for (size_t a = 0; a < Z; ++a)
      for (size_t b = 0; b < Z; ++b) {
        const float v = chol[(ck * Z + a) * Z + b];
        if (!std::isfinite(v)) return "prior.chol holds a non-finite number";
        if (b > a && v != 0) return "prior.chol is not lower-triangular (component " + std::to_string(ck) + ")";
        if (b == a && !(v > 0)) return "prior.chol has a diagonal entry ≤ 0 (component " + std::to_string(ck) + ")";
      }
  return "";
}

}  // namespace gb
