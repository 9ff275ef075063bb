// MLP forward/backward for the 2D GAN.
#include "models/gan/mlp.hpp"

#include <cmath>

namespace gb {

Mlp::Mlp(ParamSet& p, const std::string& prefix, std::vector<int> sizes, Act hidden, Act out)
    : sizes_(std::move(sizes)), hidden_(hidden), out_(out) {
  for (size_t l = 0; l + 1 < sizes_.size(); ++l) {
    w_.push_back(p.declare(prefix + "." + std::to_string(l) + ".weight", {sizes_[l + 1], sizes_[l]}));
    b_.push_back(p.declare(prefix + "." + std::to_string(l) + ".bias", {sizes_[l + 1]}, false));
  }
}

void Mlp::init(ParamSet& p, Rng& rng) const {
  for (size_t l = 0; l < w_.size(); ++l) {
    const float bound = 1.0f / std::sqrt(float(sizes_[l]));
    for (size_t i : {w_[l], b_[l]}) {
      float* w = p.ptr(i);
      for (size_t k = 0; k < p.views()[i].size; ++k) w[k] = bound * (2 * rng.uniform_f() - 1);
    }
  }
}

void Mlp::forward(const ParamSet& p, MlpCache& c, const float* x, int N) const {
  const size_t L = w_.size();
  c.N = N;
  c.in.assign(x, x + size_t(N) * sizes_[0]);
  c.pre.resize(L);
  c.post.resize(L);
  const float* h = c.in.data();
  for (size_t l = 0; l < L; ++l) {
    const int In = sizes_[l], Out = sizes_[l + 1];
    c.pre[l].resize(size_t(N) * Out);
    c.post[l].resize(size_t(N) * Out);
    linear_forward(MatMap(c.pre[l].data(), N, Out), CMatMap(h, N, In), p.mat(w_[l]), p.ptr(b_[l]));
    act_forward(l + 1 == L ? out_ : hidden_, c.post[l].data(), c.pre[l].data(), c.pre[l].size());
    h = c.post[l].data();
  }
}

void Mlp::backward(const ParamSet& p, const MlpCache& c, const float* dout, float* dx, ParamSet* grads) const {
  const size_t L = w_.size();
  const int N = c.N;
  std::vector<float> dpost(dout, dout + size_t(N) * sizes_.back()), dpre;
  for (size_t l = L; l-- > 0;) {
    const int In = sizes_[l], Out = sizes_[l + 1];
    dpre.assign(size_t(N) * Out, 0.0f);
    act_backward(l + 1 == L ? out_ : hidden_, dpre.data(), dpost.data(), c.pre[l].data(), dpre.size());
    const float* inp = l == 0 ? c.in.data() : c.post[l - 1].data();
    std::vector<float> dinp(size_t(N) * In, 0.0f);
    CMatMap dpre_m(dpre.data(), N, Out);  // (N, Out)
    if (grads) {
      grads->grad_mat(w_[l]).noalias() += dpre_m.transpose() * CMatMap(inp, N, In);  // (Out, In)
      // Bias: summed in a fixed order (an Eigen sum over a 1-wide column is a vector reduction whose
      // order depends on the buffer's address alignment, which would make training non-reproducible).
      float* db = grads->grad_ptr(b_[l]);  // (Out)
      for (int n = 0; n < N; ++n)
        for (int o = 0; o < Out; ++o) db[o] += dpre[size_t(n) * Out + o];
    }
    if (l > 0 || dx) MatMap(dinp.data(), N, In).noalias() += dpre_m * p.mat(w_[l]);  // (N, In)
    if (l == 0) {
      if (dx)
        for (size_t i = 0; i < dinp.size(); ++i) dx[i] += dinp[i];
    } else {
      dpost.swap(dinp);
    }
  }
}

}  // namespace gb
