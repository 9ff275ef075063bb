// Tables of what the panels show, for CSV/JSON export (see export_data.hpp). One builder per panel, reading the labs'
// public accessors only.
#include "lab/export_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/teach_lab.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/vae_lab.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/transformer/train.hpp"

namespace gb {

std::string export_token_text(const std::string& bytes) { return token_display(bytes); }

namespace {

// [SECTION] Helpers

template <class L>
L& lab_of(Session& s, const char* name) {
  auto* lab = dynamic_cast<L*>(&s.lab(name));
  if (!lab) throw Error(std::string("export: the ") + name + " workspace is not what it should be");
  return *lab;
}

[[noreturn]] void nothing(const std::string& panel, const std::string& why) { throw Error(panel + ": " + why); }

std::string class_name(int label) {
  if (label < 0 || label >= kFashionClasses) return "";
  return kFashionClassNames[label];
}

ExportCell num(double v) { return ExportCell(v); }
ExportCell whole(int64_t v) { return ExportCell(v); }
ExportCell text(std::string v) { return ExportCell(std::move(v)); }

// A loss curve: one row per entry; each named series as long as the steps (NaN where a series has no value).
ExportTable loss_table(const std::string& panel, const std::string& what, const std::vector<int64_t>& steps,
                       const std::vector<std::pair<std::string, std::vector<float>>>& series,
                       const std::vector<std::string>& help) {
  ExportTable t;
  t.panel = panel;
  t.what = what;
  t.columns = {"step"};
  t.column_help = {"training steps done when the value was measured"};
  for (size_t i = 0; i < series.size(); ++i) {
    t.columns.push_back(series[i].first);
    t.column_help.push_back(i < help.size() ? help[i] : "");
  }
  for (size_t r = 0; r < steps.size(); ++r) {
    std::vector<ExportCell> row = {whole(steps[r])};
    for (auto& s : series) row.push_back(num(r < s.second.size() ? double(s.second[r]) : NAN));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<int64_t> one_based(size_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), int64_t(1));
  return v;
}

// [SECTION] Transformer

std::string token_of(const TransformerLab& lab, int32_t id) {
  try {
    return export_token_text(lab.tokenizer().token_bytes(id));
  } catch (const Error&) {
    return "<id " + std::to_string(id) + ">";
  }
}

ExportTable transformer_probabilities(Session& s, const std::string& panel) {
  auto& lab = lab_of<TransformerLab>(s, "transformer");
  const SampleStep* st = lab.next();
  if (!st) nothing(panel, "no next-token distribution (no model, or an empty prompt)");
  ExportTable t;
  t.panel = panel;
  t.what = "the next token's probabilities, every token of the vocabulary, most likely first";
  const SamplerSettings& ss = st->settings;
  t.meta = {{"context", text(export_token_text(lab.text()))},
            {"temperature", num(ss.temperature)},
            {"top_k", whole(ss.top_k)},
            {"top_p", num(ss.top_p)},
            {"greedy", whole(st->greedy ? 1 : 0)},
            {"top_k_kept", whole(st->top_k_kept)},
            {"top_p_kept", whole(st->top_p_kept)},
            {"random_draw", num(st->random)},
            {"next_token_id", whole(st->token)},
            {"next_token", text(token_of(lab, st->token))},
            {"seed", whole(int64_t(lab.settings().seed))}};
  t.columns = {"rank", "id", "token", "logit", "prob_model", "prob_temperature", "prob_top_k", "prob_final", "kept"};
  t.column_help = {"1 = the most likely after every cut",
                   "token id in the model's vocabulary",
                   "the token's bytes (not valid UTF-8: hex like <E6 97>)",
                   "the model's raw score",
                   "softmax(logits): the model's own distribution (temperature 1, no cuts)",
                   "softmax(logits / temperature)",
                   "after the top-k cut, renormalised",
                   "after the top-p cut, renormalised: what the draw uses",
                   "1 when the token survives top-k and top-p"};
  const int V = int(st->logits.size());
  std::vector<int> order(size_t(V), 0);
  std::iota(order.begin(), order.end(), 0);
  auto at = [](const std::vector<float>& v, int i) { return i < int(v.size()) ? double(v[size_t(i)]) : NAN; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    double fa = at(st->probs_final, a), fb = at(st->probs_final, b);
    if (fa != fb) return fa > fb;
    return at(st->probs, a) > at(st->probs, b);
  });
  for (int r = 0; r < V; ++r) {
    int i = order[size_t(r)];
    t.rows.push_back({whole(r + 1), whole(i), text(token_of(lab, i)), num(at(st->logits, i)), num(at(st->probs, i)),
                      num(at(st->probs_temp, i)), num(at(st->probs_top_k, i)), num(at(st->probs_final, i)),
                      whole(at(st->probs_final, i) > 0 ? 1 : 0)});
  }
  return t;
}

ExportTable transformer_generate(Session& s, const std::string& panel) {
  auto& lab = lab_of<TransformerLab>(s, "transformer");
  if (!lab.has_model()) nothing(panel, "no model loaded");
  ExportTable t;
  t.panel = panel;
  t.what = "the prompt's tokens and every generated token with the probability it had";
  t.meta = {{"text", text(export_token_text(lab.text()))},
            {"temperature", num(lab.settings().sampler.temperature)},
            {"top_k", whole(lab.settings().sampler.top_k)},
            {"top_p", num(lab.settings().sampler.top_p)},
            {"seed", whole(int64_t(lab.settings().seed))}};
  t.columns = {"position", "id", "token", "source", "prob_drawn", "prob_model", "random_draw"};
  t.column_help = {"index in the sequence (0 = first prompt token)", "token id", "the token's bytes (<E6 97> when not UTF-8)",
                   "prompt, drawn, picked (a student's choice) or beam", "probability in the distribution it was drawn from",
                   "probability under the model alone (temperature 1, no cuts)", "the uniform number drawn (-1: none)"};
  const auto& ids = lab.all_ids();
  std::map<int, const GenStep*> by_pos;
  for (auto& g : lab.steps()) by_pos[g.position] = &g;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = by_pos.find(int(i));
    if (it == by_pos.end()) {
      t.rows.push_back({whole(int64_t(i)), whole(ids[i]), text(token_of(lab, ids[i])), text("prompt"), num(NAN), num(NAN),
                        num(NAN)});
      continue;
    }
    const GenStep& g = *it->second;
    std::string src = g.forced ? "picked" : g.beam ? "beam" : "drawn";
    t.rows.push_back({whole(int64_t(i)), whole(ids[i]), text(token_of(lab, ids[i])), text(src), num(g.prob),
                      num(g.model_prob), num(g.forced ? -1.0 : g.sample.random)});
  }
  return t;
}

ExportTable transformer_tokens(Session& s, const std::string& panel) {
  auto& lab = lab_of<TransformerLab>(s, "transformer");
  if (!lab.has_model()) nothing(panel, "no model loaded");
  ExportTable t;
  t.panel = panel;
  t.what = "how the text is cut into tokens";
  t.columns = {"position", "id", "token", "bytes"};
  t.column_help = {"index in the sequence", "token id", "the token's bytes (<E6 97> when not UTF-8)", "how many bytes"};
  const auto& ids = lab.all_ids();
  for (size_t i = 0; i < ids.size(); ++i) {
    int64_t nbytes = 0;
    try {
      nbytes = int64_t(lab.tokenizer().token_bytes(ids[i]).size());
    } catch (const Error&) {
    }
    t.rows.push_back({whole(int64_t(i)), whole(ids[i]), text(token_of(lab, ids[i])), whole(nbytes)});
  }
  return t;
}

ExportTable transformer_attention(Session& s, const std::string& panel) {
  auto& lab = lab_of<TransformerLab>(s, "transformer");
  auto tr = lab.trace_now();
  if (!tr || tr->layers.empty() || tr->ids.empty()) nothing(panel, "no attention to export (no model, or an empty prompt)");
  const int layer = std::clamp(lab.selected_layer(), 0, int(tr->layers.size()) - 1);
  const LayerTrace& L = tr->layers[size_t(layer)];
  const int head = std::clamp(lab.selected_head(), 0, int(L.attn_weights.size()) - 1);
  const Mat& w = L.attn_weights[size_t(head)];  // (T, T) row = query, column = key
  const int T = int(tr->ids.size());
  ExportTable t;
  t.panel = panel;
  t.what = "attention weights of layer " + std::to_string(layer) + " head " + std::to_string(head) +
           ": row = the token that looks (query), column = the token it looks at (key); each row sums to 1";
  t.meta = {{"layer", whole(layer)}, {"head", whole(head)}, {"tokens", whole(T)}, {"first_position", whole(lab.window_start())}};
  t.columns = {"query_position", "query_token"};
  t.column_help = {"position of the looking token in the window", "the looking token (<E6 97> when not UTF-8)"};
  std::vector<std::string> labels;
  for (int i = 0; i < T; ++i) labels.push_back(token_of(lab, tr->ids[size_t(i)]));
  for (int k = 0; k < T; ++k) {
    t.columns.push_back(std::to_string(k) + ":" + labels[size_t(k)]);
    t.column_help.push_back("weight on key position " + std::to_string(k) + " (0 for a future token: masked)");
  }
  for (int q = 0; q < T; ++q) {
    std::vector<ExportCell> row = {whole(q), text(labels[size_t(q)])};
    for (int k = 0; k < T; ++k) row.push_back(num(w(q, k)));
    t.rows.push_back(std::move(row));
  }
  t.meta.push_back({"head_size", whole(int64_t(L.q.cols()) / std::max<int64_t>(1, int64_t(L.attn_weights.size())))});
  return t;
}

ExportTable transformer_training(Session& s, const std::string& panel) {
  auto& lab = lab_of<TransformerLab>(s, "transformer");
  auto snap = lab.training();
  if (!snap || snap->history.empty()) nothing(panel, "no training has run yet (transformer train start)");
  std::vector<int64_t> steps;
  std::vector<float> train, val, lr, gn;
  for (auto& p : snap->history) {
    steps.push_back(p.step);
    train.push_back(p.train);
    val.push_back(p.val < 0 ? NAN : p.val);
    lr.push_back(p.lr);
    gn.push_back(p.grad_norm);
  }
  ExportTable t = loss_table(panel, "the transformer's training loss curve", steps,
                             {{"train_loss", train}, {"val_loss", val}, {"learning_rate", lr}, {"grad_norm", gn}},
                             {"cross-entropy of the step's batch, nats per token", "validation loss (empty: not measured)",
                              "learning rate used", "gradient norm before clipping"});
  t.meta = {{"source", text(lab.training_source())}, {"corpus", text(lab.training_corpus())},
            {"total_steps", whole(snap->total_steps)}};
  return t;
}

// [SECTION] Diffusion

ExportTable diffusion_schedule(Session& s, const std::string& panel) {
  auto& lab = lab_of<DiffusionLab>(s, "diffusion");
  std::string error;
  if (!lab.ensure_model(error) || !lab.model()) nothing(panel, "no model: " + error);
  const NoiseSchedule& ns = lab.model()->schedule();
  std::vector<int> visited = sampler_timesteps(ns.T, std::clamp(lab.sampler_config().steps, 1, ns.T));
  std::vector<char> on(size_t(ns.T), 0);
  for (int v : visited)
    if (v >= 0 && v < ns.T) on[size_t(v)] = 1;
  ExportTable t;
  t.panel = panel;
  t.what = "the noise schedule: how much noise each forward step adds and how much of the picture survives";
  t.meta = {{"schedule", text(schedule_name(ns.kind))}, {"T", whole(ns.T)}, {"data", text(lab.data())},
            {"sampler", text(sampler_name(lab.sampler_config().kind))}, {"sampler_steps", whole(lab.sampler_config().steps)}};
  t.columns = {"t", "beta", "alpha", "alpha_bar", "signal", "noise", "sampler_visits"};
  t.column_help = {"timestep (0 = least noisy)", "β_t: noise added at step t", "α_t = 1 − β_t",
                   "ᾱ_t = Π α_s: how much of x_0 survives", "√ᾱ_t: the picture's weight in x_t",
                   "√(1 − ᾱ_t): the noise's weight in x_t", "1 when the current sampler denoises at this t"};
  for (int i = 0; i < ns.T; ++i) {
    double ab = ns.alpha_bar[size_t(i)];
    t.rows.push_back({whole(i), num(ns.beta[size_t(i)]), num(ns.alpha[size_t(i)]), num(ab), num(std::sqrt(ab)),
                      num(std::sqrt(std::max(0.0, 1 - ab))), whole(on[size_t(i)])});
  }
  return t;
}

ExportTable diffusion_training(Session& s, const std::string& panel) {
  auto& lab = lab_of<DiffusionLab>(s, "diffusion");
  auto snap = lab.training();
  if (!snap || snap->loss_history.empty()) nothing(panel, "no training has run yet (diffusion train start)");
  ExportTable t = loss_table(panel, "the diffusion model's training loss (noise prediction error)",
                             one_based(snap->loss_history.size()), {{"loss", snap->loss_history}},
                             {"mean squared error between the true and the predicted noise"});
  t.meta = {{"data", text(lab.data())}, {"total_steps", whole(snap->total)}};
  return t;
}

ExportTable diffusion_points(Session& s, const std::string& panel) {
  auto& lab = lab_of<DiffusionLab>(s, "diffusion");
  if (lab.is_image()) nothing(panel, "the image model has no 2D points (diffusion data moons)");
  const auto& frames = lab.frames();
  int k = lab.sampler() ? lab.sampler()->steps_taken() : 0;
  if (k >= int(frames.size()) || frames[size_t(k)].empty()) nothing(panel, "no points yet");
  const auto& f = frames[size_t(k)];
  ExportTable t;
  t.panel = panel;
  t.what = "the 2D points after " + std::to_string(k) + " denoising steps";
  t.meta = {{"data", text(lab.data())}, {"steps_taken", whole(k)}, {"seed", whole(int64_t(lab.sampler_config().seed))}};
  t.columns = {"index", "x", "y"};
  for (size_t i = 0; i + 1 < f.size(); i += 2) t.rows.push_back({whole(int64_t(i / 2)), num(f[i]), num(f[i + 1])});
  return t;
}

// [SECTION] GAN

ExportTable gan_playground(Session& s, const std::string& panel) {
  auto& lab = lab_of<GanLab>(s, "gan");
  const Gan2dView& v = lab.view2d();
  ExportTable t;
  t.panel = panel;
  t.what = "the 2D GAN's real points, the generator's fakes and where G wants each fake to move";
  t.meta = {{"preset", text(lab.preset())}, {"g_steps", whole(lab.toy().g_steps())}, {"d_steps", whole(lab.toy().d_steps())}};
  t.columns = {"kind", "index", "x", "y", "push_x", "push_y"};
  t.column_help = {"real (from the data) or fake (G(z))", "index within its kind", "x", "y",
                   "−∂Loss_G/∂x for the first fakes (empty otherwise)", "−∂Loss_G/∂y"};
  for (size_t i = 0; i + 1 < v.real.size(); i += 2)
    t.rows.push_back({text("real"), whole(int64_t(i / 2)), num(v.real[i]), num(v.real[i + 1]), num(NAN), num(NAN)});
  for (size_t i = 0; i + 1 < v.fake.size(); i += 2) {
    size_t j = i / 2;
    double gx = NAN, gy = NAN;
    if (j < v.arrows.size()) gx = v.arrows[j].gx, gy = v.arrows[j].gy;
    t.rows.push_back({text("fake"), whole(int64_t(j)), num(v.fake[i]), num(v.fake[i + 1]), num(gx), num(gy)});
  }
  return t;
}

ExportTable gan_losses(Session& s, const std::string& panel) {
  auto& lab = lab_of<GanLab>(s, "gan");
  const auto& h = lab.toy().history();
  if (h.empty()) nothing(panel, "no training steps yet (gan step 100)");
  ExportTable t;
  t.panel = panel;
  t.what = "the 2D GAN's losses, one row per update";
  t.meta = {{"preset", text(lab.preset())}};
  t.columns = {"g_step", "update", "d_loss", "g_loss", "d_real", "d_fake"};
  t.column_help = {"generator steps so far", "d (a discriminator update) or g (a generator update)",
                   "discriminator loss", "generator loss (empty before the first G step)",
                   "D's mean output on real points", "D's mean output on fake points"};
  for (auto& p : h)
    t.rows.push_back({whole(p.step), text(p.d_update ? "d" : "g"), num(p.d_loss), num(p.g_loss), num(p.d_real), num(p.d_fake)});
  return t;
}

ExportTable gan_training(Session& s, const std::string& panel) {
  auto& lab = lab_of<GanLab>(s, "gan");
  auto snap = lab.training();
  if (!snap || snap->d_losses.empty()) nothing(panel, "no training has run yet (gan train start)");
  return loss_table(panel, "the Fashion GAN's losses while training", one_based(snap->d_losses.size()),
                    {{"d_loss", snap->d_losses}, {"g_loss", snap->g_losses}},
                    {"discriminator loss of the step", "generator loss of the step"});
}

// [SECTION] VAE

ExportTable vae_map(Session& s, const std::string& panel) {
  auto& lab = lab_of<VaeLab>(s, "vae");
  lab.ensure_loaded();
  const VaeMap& m = lab.map();
  if (m.count == 0) nothing(panel, "no latent map (" + lab.load_message() + ")");
  ExportTable t;
  t.panel = panel;
  t.what = "2000 test pictures squeezed into two numbers: each picture's centre μ = (z1, z2) and spread σ";
  t.meta = {{"model", text(lab.map_source())}, {"count", whole(m.count)}};
  t.columns = {"index", "class", "class_name", "z1", "z2", "sigma1", "sigma2"};
  t.column_help = {"the picture's index in the map", "its true class (0–9)", "the class in words",
                   "μ₁: first latent number", "μ₂: second latent number", "σ₁: the encoder's uncertainty along z1",
                   "σ₂: along z2"};
  for (int i = 0; i < m.count; ++i) {
    int c = i < int(m.labels.size()) ? m.labels[size_t(i)] : -1;
    t.rows.push_back({whole(i), whole(c), text(class_name(c)), num(m.mu[size_t(2 * i)]), num(m.mu[size_t(2 * i + 1)]),
                      num(m.sigma[size_t(2 * i)]), num(m.sigma[size_t(2 * i + 1)])});
  }
  return t;
}

ExportTable vae_interpolate(Session& s, const std::string& panel) {
  auto& lab = lab_of<VaeLab>(s, "vae");
  lab.ensure_loaded();
  const VaeInterp& in = lab.interp();
  if (in.t.empty()) nothing(panel, "no interpolation (" + lab.load_message() + ")");
  ExportTable t;
  t.panel = panel;
  t.what = "the walk between two test pictures: points on the straight line between their latent centres";
  t.meta = {{"image_a", whole(in.a)}, {"image_b", whole(in.b)}};
  t.columns = {"frame", "t", "z1", "z2"};
  for (size_t i = 0; i < in.t.size(); ++i)
    t.rows.push_back({whole(int64_t(i)), num(in.t[i]), num(in.z[2 * i]), num(in.z[2 * i + 1])});
  return t;
}

ExportTable vae_beta(Session& s, const std::string& panel) {
  auto& lab = lab_of<VaeLab>(s, "vae");
  auto snap = lab.training();
  if (!snap || snap->rec.empty()) nothing(panel, "no training has run yet (vae train beta1)");
  std::vector<float> total(snap->rec.size());
  for (size_t i = 0; i < total.size(); ++i) total[i] = snap->rec[i] + (i < snap->kl.size() ? snap->kl[i] : NAN);
  ExportTable t = loss_table(panel, "the VAE's two loss terms while training, nats per image", one_based(snap->rec.size()),
                             {{"reconstruction", snap->rec}, {"kl", snap->kl}, {"rec_plus_kl", total}},
                             {"how badly the pictures come back (Bernoulli negative log-likelihood)",
                              "KL(q(z|x) ‖ N(0, I)): how far the clouds are from the prior",
                              "their sum: the negative ELBO at β = 1"});
  t.meta = {{"beta", num(snap->beta)}, {"kl_warmup", whole(snap->kl_warmup)}, {"latent", whole(snap->latent)}};
  return t;
}

// [SECTION] Teach

ExportTable teach_finetune(Session& s, const std::string& panel) {
  auto& lab = lab_of<TeachLab>(s, "teach");
  TeachProgress p = lab.progress();
  if (p.finetune_loss.empty()) nothing(panel, "no fine-tuning steps yet (teach finetune)");
  ExportTable t = loss_table(panel, "fine-tuning loss, every step", one_based(p.finetune_loss.size()),
                             {{"loss", p.finetune_loss}}, {"next-token cross-entropy of the batch, nats per token"});
  t.meta = {{"corpus", text(lab.corpus_name())}};
  return t;
}

ExportTable teach_forgetting(Session& s, const std::string& panel) {
  auto& lab = lab_of<TeachLab>(s, "teach");
  TeachProgress p = lab.progress();
  if (p.forgetting.empty()) nothing(panel, "no fine-tuning steps yet (teach finetune)");
  std::vector<int64_t> steps;
  std::vector<float> style, stories;
  for (auto& f : p.forgetting) steps.push_back(f.step), style.push_back(f.style), stories.push_back(f.stories);
  return loss_table(panel, "loss on the new style and on the old stories while fine-tuning", steps,
                    {{"style_loss", style}, {"stories_loss", stories}},
                    {"mean next-token loss on the style corpus, nats per token", "the same on the original stories"});
}

ExportTable teach_dpo(Session& s, const std::string& panel) {
  auto& lab = lab_of<TeachLab>(s, "teach");
  TeachProgress p = lab.progress();
  if (p.dpo_loss.empty()) nothing(panel, "no DPO steps yet (teach dpo steps 20)");
  return loss_table(panel, "learning from the votes (DPO): loss and distance to the reference model",
                    one_based(p.dpo_loss.size()), {{"dpo_loss", p.dpo_loss}, {"kl_to_reference", p.dpo_kl}},
                    {"the DPO loss of the step", "KL divergence to the reference model"});
}

using Builder = ExportTable (*)(Session&, const std::string&);
const std::vector<std::pair<std::string, Builder>>& builders() {
  static const std::vector<std::pair<std::string, Builder>> b = {
      {"transformer.generate", transformer_generate},
      {"transformer.probabilities", transformer_probabilities},
      {"transformer.tokens", transformer_tokens},
      {"transformer.attention", transformer_attention},
      {"transformer.training", transformer_training},
      {"diffusion.schedule", diffusion_schedule},
      {"diffusion.points", diffusion_points},
      {"diffusion.training", diffusion_training},
      {"gan.playground", gan_playground},
      {"gan.losses", gan_losses},
      {"gan.training", gan_training},
      {"vae.map", vae_map},
      {"vae.interpolate", vae_interpolate},
      {"vae.beta", vae_beta},
      {"teach.finetune", teach_finetune},
      {"teach.forgetting", teach_forgetting},
      {"teach.dpo", teach_dpo},
  };
  return b;
}

// [SECTION] Writers

std::string csv_field(const ExportCell& c) {
  if (auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&c)) {
    if (!std::isfinite(*d)) return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", *d);
    return buf;
  }
  const std::string& s = std::get<std::string>(c);
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

nlohmann::json json_cell(const ExportCell& c) {
  if (auto* i = std::get_if<int64_t>(&c)) return *i;
  if (auto* d = std::get_if<double>(&c)) return std::isfinite(*d) ? nlohmann::json(*d) : nlohmann::json(nullptr);
  return std::get<std::string>(c);
}

}  // namespace

bool export_has_data(const std::string& panel) {
  for (auto& b : builders())
    if (b.first == panel) return true;
  return false;
}

std::vector<std::string> export_data_panels() {
  std::vector<std::string> v;
  for (auto& b : builders()) v.push_back(b.first);
  return v;
}

ExportTable export_table(Session& session, const std::string& panel) {
  for (auto& b : builders())
    if (b.first == panel) return b.second(session, panel);
  if (!session.has_panel(panel)) throw Error("export: no panel `" + panel + "`");
  std::string list;
  for (auto& b : builders()) list += (list.empty() ? "" : ", ") + b.first;
  throw Error(panel + ": this panel has no table of numbers to save (save a picture instead); panels with data: " + list);
}

std::string export_csv(const ExportTable& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) out += (i ? "," : "") + csv_field(ExportCell(t.columns[i]));
  out += "\n";
  for (auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_field(row[i]);
    out += "\n";
  }
  return out;
}

std::string export_json(const ExportTable& t) {
  nlohmann::json j;
  j["glassbox_export"] = 1;
  j["panel"] = t.panel;
  j["what"] = t.what;
  nlohmann::json meta = nlohmann::json::object();
  for (auto& [k, v] : t.meta) meta[k] = json_cell(v);
  j["meta"] = meta;
  nlohmann::json cols = nlohmann::json::array();
  for (size_t i = 0; i < t.columns.size(); ++i)
    cols.push_back({{"name", t.columns[i]}, {"help", i < t.column_help.size() ? t.column_help[i] : ""}});
  j["columns"] = cols;
  // The header fields indented, then one row per line (a 50k-token vocabulary stays a readable file).
  std::string head = j.dump(1);
  head.erase(head.find_last_of('}'));
  while (!head.empty() && (head.back() == '\n' || head.back() == ' ')) head.pop_back();
  std::string out = head + ",\n \"rows\": [";
  for (size_t r = 0; r < t.rows.size(); ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (auto& c : t.rows[r]) row.push_back(json_cell(c));
    out += (r ? ",\n  " : "\n  ") + row.dump();
  }
  out += t.rows.empty() ? "]\n}\n" : "\n ]\n}\n";
  return out;
}

}  // namespace gb
