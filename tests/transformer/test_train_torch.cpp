// GPT training against PyTorch (reference file written by tests/transformer/ref_train/train_vs_torch.py):
// logits, loss and every gradient on the same weights and batch, then the losses and weights of
// several AdamW steps.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/tiny_models.hpp"
#include "core/safetensors.hpp"
#include "models/transformer/train.hpp"

using namespace gb;

namespace {
using test::max_abs;
using test::max_abs_diff;
std::vector<int32_t> ints(const SafeTensor& t) {
  std::vector<int32_t> v(size_t(t.numel()));
  std::memcpy(v.data(), t.bytes, v.size() * 4);
  return v;
}
}  // namespace

TEST_CASE("GPT training matches PyTorch: logits, loss, gradients, AdamW steps" * doctest::skip()) {
  const char* path = std::getenv("GB_TRAIN_REF");
  REQUIRE_MESSAGE(path != nullptr, "run through tests/transformer/ref_train/train_vs_torch.py (sets GB_TRAIN_REF)");
  SafeTensors ref = read_safetensors(path);
  auto dims = nlohmann::json::parse(ref.metadata.at("dims"));
  auto tr = nlohmann::json::parse(ref.metadata.at("train"));
  TrainConfig c;
  c.model.n_layer = dims["n_layer"];
  c.model.n_head = dims["n_head"];
  c.model.n_embd = dims["n_embd"];
  c.model.block_size = dims["block_size"];
  c.model.vocab_size = dims["vocab_size"];
  c.batch = dims["batch"];
  c.steps = tr["steps"];
  c.lr = tr["lr"];
  c.lr_min = tr["lr_min"];
  c.warmup = tr["warmup"];
  c.weight_decay = tr["weight_decay"];
  c.beta2 = tr["beta2"];
  c.grad_clip = tr["grad_clip"];
  const int B = c.batch, T = c.model.block_size, V = c.model.vocab_size;

  Trainer t(c, std::vector<int32_t>(size_t(4 * (T + 1)), 0), "");
  ParamSet& p = t.mutable_params();
  for (auto& v : p.views()) {
    std::vector<float> w = ref.get_float(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    std::copy(w.begin(), w.end(), p.data.begin() + std::ptrdiff_t(v.offset));
  }

  // step 0 in detail
  std::vector<int32_t> batch = ints(ref.get("batch.0")), inp, tgt;
  for (int b = 0; b < B; ++b)
    for (int i = 0; i < T; ++i) {
      inp.push_back(batch[size_t(b * (T + 1) + i)]);
      tgt.push_back(batch[size_t(b * (T + 1) + i + 1)]);
    }
  GptParamIdx ix = gpt_param_index(c.model, p);
  GptActs a;
  p.zero_grad();
  const float loss = gpt_train_forward(c.model, ix, p, inp.data(), tgt.data(), B, T, a);
  const std::vector<float> ref_logits = ref.get_float("ref.logits", {B * T, V});
  const double logit_err = max_abs_diff(a.logits.data(), ref_logits);
  const float ref_loss = ref.get_float("ref.loss", {1})[0];
  MESSAGE("logits max |diff| " << logit_err << " (max |logit| " << max_abs(ref_logits) << "), loss " << loss << " vs " << ref_loss);
  // Tolerances: float32 against a float64 reference; logits are O(1) sums of ~C·L products, so
  // ~1e-6 relative rounding per op accumulates to a few 1e-6; 1e-4 leaves a wide margin.
  CHECK(logit_err < 1e-4);
  CHECK(std::abs(loss - ref_loss) < 1e-5);
  gpt_train_backward(c.model, ix, p, inp.data(), a);
  double worst_grad = 0;
  for (auto& v : p.views()) {
    std::vector<float> g = ref.get_float("grad." + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    const double err = max_abs_diff(p.grad.data() + v.offset, g), scale = max_abs(g);
    CAPTURE(v.name);
    CAPTURE(err);
    CAPTURE(scale);
    // every gradient within 1e-4 of its tensor's largest entry (plus 1e-6 absolute)
    CHECK(err <= 1e-4 * scale + 1e-6);
    if (!v.name.ends_with("attn.c_attn.bias")) worst_grad = std::max(worst_grad, err / scale);
  }
  MESSAGE("gradients: worst max|diff| / max|grad| over tensors " << worst_grad);

  // the AdamW steps through the trainer's own step code (clip, schedule, decay groups)
  const std::vector<float> ref_losses = ref.get_float("ref.step_losses", {c.steps});
  for (int s = 0; s < c.steps; ++s) {
    auto r = t.step_on(ints(ref.get("batch." + std::to_string(s))));
    REQUIRE(r.ok);
    MESSAGE("step " << s << " loss " << r.loss << " torch " << ref_losses[size_t(s)]);
    // Adam divides by √v, which magnifies float32 rounding of small gradients; after 6 steps at
    // lr 3e-2 the losses still agree to ~1e-5, so 2e-4 is a safe bound.
    CHECK(std::abs(r.loss - ref_losses[size_t(s)]) < 2e-4);
  }
  double worst = 0;
  for (auto& v : p.views()) {
    std::vector<float> w = ref.get_float("final." + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    if (v.name.ends_with("attn.c_attn.bias")) {
      // The key bias has an exactly zero true gradient (it adds q·b_k to a whole row of scores,
      // which softmax ignores), so both sides hold pure rounding noise there and Adam turns noise
      // into ±lr steps (seen: 3.3e-3 apart after 6 steps). Compare only the Q and V thirds.
      const size_t C3 = v.size / 3;
      std::fill(w.begin() + std::ptrdiff_t(C3), w.begin() + std::ptrdiff_t(2 * C3), 0.0f);
      std::vector<float> mine(p.data.begin() + std::ptrdiff_t(v.offset), p.data.begin() + std::ptrdiff_t(v.offset + v.size));
      std::fill(mine.begin() + std::ptrdiff_t(C3), mine.begin() + std::ptrdiff_t(2 * C3), 0.0f);
      worst = std::max(worst, max_abs_diff(mine.data(), w));
      continue;
    }
    const double e = max_abs_diff(p.data.data() + v.offset, w);
    if (e > 1e-4) MESSAGE(v.name << " max |diff| " << e);
    worst = std::max(worst, e);
  }
  MESSAGE("weights after " << c.steps << " AdamW steps: max |diff| " << worst);
  CHECK(worst < 1e-4);
}
