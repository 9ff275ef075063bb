// 2D ε-model (MLP) forward/backward and the toy point sets.
#include "models/diffusion/mlp2d.hpp"

#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/tensor.hpp"
#include "nn/linear.hpp"

namespace gb {

std::string Mlp2dConfig::to_json() const {
  return nlohmann::json{{"hidden", hidden}, {"layers", layers}, {"tdim", tdim}}.dump();
}

Mlp2dConfig Mlp2dConfig::from_json(const std::string& text, const std::string& file) {
  Mlp2dConfig c;
  const JsonIn j = JsonIn::parse(text, file, "glassbox.config");
  c.hidden = j.int32("hidden", 1, 4096);
  c.layers = j.int32("layers", 1, 16);
  c.tdim = j.int32("tdim", 2, 1024);
  if (c.tdim % 2) fail_file(file, "glassbox.config.tdim " + std::to_string(c.tdim) + " must be even");
  return c;
}

Mlp2d::Mlp2d(const Mlp2dConfig& c, const NoiseSchedule& schedule) : config_(c), schedule_(schedule) {
  in_w_ = params.declare("in.weight", {c.hidden, 2});
  t_w_ = params.declare("time.weight", {c.hidden, c.tdim});
  in_b_ = params.declare("in.bias", {c.hidden}, false);
  for (int k = 1; k < c.layers; ++k) {
    hw_.push_back(params.declare("h" + std::to_string(k) + ".weight", {c.hidden, c.hidden}));
    hb_.push_back(params.declare("h" + std::to_string(k) + ".bias", {c.hidden}, false));
  }
  out_w_ = params.declare("out.weight", {2, c.hidden});
  out_b_ = params.declare("out.bias", {2}, false);
  params.allocate();
}

void Mlp2d::init(Rng& rng) {
  for (size_t i = 0; i < params.views().size(); ++i) {
    const ParamView& v = params.views()[i];
    int fan_in = v.shape.size() == 2 ? v.shape[1] : config_.hidden;
    if (v.name == "in.bias" || v.name == "in.weight" || v.name == "time.weight") fan_in = 2 + config_.tdim;
    if (v.name == "out.bias") fan_in = config_.hidden;
    float bound = 1.0f / std::sqrt(float(fan_in));
    float* p = params.ptr(i);
    for (size_t k = 0; k < v.size; ++k) p[k] = bound * (2.0f * rng.uniform_f() - 1.0f);
  }
}

void Mlp2d::forward(Mlp2dWork& w, float* eps, const float* x, const int* t, int B) const {
  const Mlp2dConfig& c = config_;
  const int H = c.hidden;
  w.B = B;
  w.x.assign(x, x + 2 * B);
  w.tsin.resize(size_t(B) * c.tdim);
  for (int n = 0; n < B; ++n) timestep_embedding(w.tsin.data() + size_t(n) * c.tdim, float(t[n]), c.tdim);
  w.pre.resize(c.layers);
  w.h.resize(c.layers);
  for (int k = 0; k < c.layers; ++k) {
    w.pre[k].resize(size_t(B) * H);
    w.h[k].resize(size_t(B) * H);
  }
  MatMap pre0(w.pre[0].data(), B, H);  // (B, H)
  linear_forward(pre0, CMatMap(w.x.data(), B, 2), params.mat(in_w_), params.ptr(in_b_));
  pre0.noalias() += CMatMap(w.tsin.data(), B, c.tdim) * params.mat(t_w_).transpose();  // (B, tdim)·(tdim, H)
  act_forward(Act::silu, w.h[0].data(), w.pre[0].data(), w.pre[0].size());
  for (int k = 1; k < c.layers; ++k) {
    linear_forward(MatMap(w.pre[k].data(), B, H), CMatMap(w.h[k - 1].data(), B, H), params.mat(hw_[k - 1]),
                   params.ptr(hb_[k - 1]));
    act_forward(Act::silu, w.h[k].data(), w.pre[k].data(), w.pre[k].size());
  }
  linear_forward(MatMap(eps, B, 2), CMatMap(w.h[c.layers - 1].data(), B, H), params.mat(out_w_), params.ptr(out_b_));
}

void Mlp2d::backward(Mlp2dWork& w, const float* deps) {
  const Mlp2dConfig& c = config_;
  const int H = c.hidden, B = w.B;
  w.g1.assign(size_t(B) * H, 0.0f);  // d h (B, H)
  linear_backward(MatMap(w.g1.data(), B, H), params.grad_mat(out_w_), params.grad_ptr(out_b_), CMatMap(deps, B, 2),
                  CMatMap(w.h[c.layers - 1].data(), B, H), std::as_const(params).mat(out_w_));
  for (int k = c.layers - 1; k >= 0; --k) {
    w.g2.assign(size_t(B) * H, 0.0f);  // d pre_k
    act_backward(Act::silu, w.g2.data(), w.g1.data(), w.pre[k].data(), w.g2.size());
    if (k > 0) {
      w.g1.assign(size_t(B) * H, 0.0f);
      linear_backward(MatMap(w.g1.data(), B, H), params.grad_mat(hw_[k - 1]), params.grad_ptr(hb_[k - 1]),
                      CMatMap(w.g2.data(), B, H), CMatMap(w.h[k - 1].data(), B, H), std::as_const(params).mat(hw_[k - 1]));
    } else {
      linear_backward(MatMap(nullptr, 0, 2), params.grad_mat(in_w_), params.grad_ptr(in_b_), CMatMap(w.g2.data(), B, H),
                      CMatMap(w.x.data(), B, 2), std::as_const(params).mat(in_w_));
      params.grad_mat(t_w_).noalias() += CMatMap(w.g2.data(), B, H).transpose() * CMatMap(w.tsin.data(), B, c.tdim);
    }
  }
}

void Mlp2d::predict(float* eps, const float* x, const int* t, const int*, int B) const {
  thread_local Mlp2dWork work;
  forward(work, eps, x, t, B);
}

}  // namespace gb
