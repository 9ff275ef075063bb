// U-Net ε-model: forward and every parameter gradient against PyTorch (unet_vs_torch.py), and a
// finite-difference spot check that runs without PyTorch.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/rng.hpp"
#include "core/safetensors.hpp"
#include "models/diffusion/unet.hpp"

using namespace gb;

TEST_CASE("U-Net gradients match central finite differences (spot check)") {
  UNetConfig cfg;
  cfg.c0 = 8; cfg.c1 = 16; cfg.emb = 16; cfg.tdim = 8; cfg.groups = 4;
  UNet net(cfg, NoiseSchedule::make(ScheduleKind::linear, 1000));
  Rng rng(1);
  net.init(rng);
  for (auto& v : net.params.data) v += 0.05f * rng.normal_f();  // conv_out is zero after init
  const int B = 2;
  std::vector<float> x(B * 784), w(B * 784), eps(B * 784);
  for (auto& v : x) v = rng.normal_f();
  for (auto& v : w) v = rng.normal_f();
  int t[B] = {10, 700}, lab[B] = {2, -1};
  UNetWork work;
  auto loss = [&] {
    net.forward(work, eps.data(), x.data(), t, lab, B);
    double s = 0;
    for (size_t i = 0; i < eps.size(); ++i) s += double(eps[i]) * w[i];
    return s;
  };
  loss();
  net.params.zero_grad();
  net.backward(work, w.data());
  double worst = 0;
  int probes = 0;
  for (const char* name : {"conv_in.weight", "rb0.conv1.weight", "rb1.skip.weight", "rb2.gn1.weight", "rb3.conv2.bias",
                           "time.lin1.weight", "class_emb.weight", "conv_out.weight", "rb1.emb.weight"}) {
    const ParamView& v = net.params.view(name);
    for (int k = 0; k < 3; ++k) {
      size_t i = v.offset + (size_t(k) * 37 + (name[0] == 'c' && name[1] == 'l' ? 2 * 16 : 0)) % v.size;
      float keep = net.params.data[i];
      const float h = 1e-2f;
      net.params.data[i] = keep + h;
      double lp = loss();
      net.params.data[i] = keep - h;
      double lm = loss();
      net.params.data[i] = keep;
      double num = (lp - lm) / (2 * h), ana = net.params.grad[i];
      worst = std::max(worst, std::fabs(num - ana) / std::max(1.0, std::fabs(num)));
      ++probes;
    }
  }
  INFO("worst relative error " << worst << " over " << probes << " probes");
  CHECK(worst < 2e-2);  // float32 forward through ~20 layers: differences of ~1e-3 relative are rounding
}

TEST_CASE("U-Net matches PyTorch" * doctest::skip()) {
  const char* path = std::getenv("GB_UNET_REF");
  REQUIRE_MESSAGE(path, "run through tests/diffusion/unet_vs_torch.py");
  SafeTensors st = read_safetensors(path);
  UNetConfig cfg = UNetConfig::from_json(st.metadata.at("config"));
  UNet net(cfg, NoiseSchedule::make(ScheduleKind::linear, 1000));
  for (size_t i = 0; i < net.params.views().size(); ++i) {
    const ParamView& v = net.params.views()[i];
    std::vector<float> d = st.get(v.name).to_float();
    REQUIRE(d.size() == v.size);
    std::copy(d.begin(), d.end(), net.params.ptr(i));
  }
  std::vector<float> x = st.get("input.x").to_float(), w = st.get("input.w").to_float(), ref = st.get("ref.eps").to_float();
  const int B = int(x.size() / 784);
  std::vector<int> t(B), lab(B);
  std::memcpy(t.data(), st.get("input.t").bytes, 4 * B);
  std::memcpy(lab.data(), st.get("input.label").bytes, 4 * B);
  std::vector<float> eps(x.size());
  UNetWork work;
  net.forward(work, eps.data(), x.data(), t.data(), lab.data(), B);
  float dmax = 0, emax = 0;
  for (size_t i = 0; i < eps.size(); ++i) {
    dmax = std::max(dmax, std::fabs(eps[i] - ref[i]));
    emax = std::max(emax, std::fabs(ref[i]));
  }
  std::printf("U-Net forward: max |eps - torch| = %.3g (max |eps| %.3g)\n", dmax, emax);
  CHECK(dmax < 1e-4f * std::max(1.0f, emax));
  net.params.zero_grad();
  net.backward(work, w.data());
  float worst = 0;
  std::string worst_name;
  for (size_t i = 0; i < net.params.views().size(); ++i) {
    const ParamView& v = net.params.views()[i];
    std::vector<float> g = st.get("grad." + v.name).to_float();
    float gmax = 0, d = 0;
    for (size_t k = 0; k < v.size; ++k) {
      gmax = std::max(gmax, std::fabs(g[k]));
      d = std::max(d, std::fabs(g[k] - net.params.grad[v.offset + k]));
    }
    float rel = d / std::max(1.0f, gmax);
    if (rel > worst) { worst = rel; worst_name = v.name; }
    INFO(v.name << ": max |grad diff| " << d << " (max |grad| " << gmax << ")");
    // gradients are sums over 3·784 outputs: 1e-3 relative to the gradient's scale covers float32 rounding
    CHECK(rel < 1e-3f);
  }
  std::printf("U-Net backward: worst relative gradient difference %.3g (%s) over %zu tensors\n", worst,
              worst_name.c_str(), net.params.views().size());
}
