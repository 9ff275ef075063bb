// Training panel: start / pause / continue / stop background training, live train and validation
// loss curves, samples from the current weights, and one training example seen through the model
// (input, target, prediction, loss = −log p(target) with the numbers, gradient norm per layer).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/plots.hpp"
#include "models/transformer/train.hpp"

namespace gb::app {

namespace {
struct TrainingView {
  int steps = 2000;
  int corpus = 0;     // 0: the story corpus, 1: the tiny corpus (memorisation)
  int position = -1;  // position in the example (−1: the last)
};
TrainingView g_view;
}  // namespace

// The run's state in the current language.
static const char* state_word(TrainSnapshot::State s) {
  switch (s) {
    case TrainSnapshot::State::running: return tr("running");
    case TrainSnapshot::State::paused: return tr("paused");
    case TrainSnapshot::State::finished: return tr("finished");
    case TrainSnapshot::State::failed: return tr("failed");
    case TrainSnapshot::State::stopped: return tr("stopped");
  }
  return "?";
}

// The run's settings (corpus, steps) and buttons (train from scratch or continue, pause, stop, generate with these
// weights), and why training could not start.
static void training_controls(PanelContext& ctx, TransformerLab* lab, const std::shared_ptr<const TrainSnapshot>& snap, float em, bool active) {
  // [SECTION] controls
  if (active || lab->training_preparing()) {  // the widgets show the run under way, not the next one
    if (snap && snap->total_steps > 0) g_view.steps = int(std::min<int64_t>(snap->total_steps, 1000000));
    if (!lab->training_corpus().empty()) g_view.corpus = lab->training_corpus() == "tiny" ? 1 : 0;
  }
  ImGui::BeginDisabled(active || lab->training_preparing());
  ImGui::SetNextItemWidth(7 * em);
  ImGui::InputInt(tr("steps"), &g_view.steps, 100, 1000);
  g_view.steps = std::clamp(g_view.steps, 1, 1000000);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em);
  const char* corpora[2] = {tr("stories"), tr("tiny (memorise)")};
  ImGui::Combo(tr("corpus"), &g_view.corpus, corpora, 2);
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("stories: ~3 MB of generated stories (the model must generalise)\ntiny: a handful of stories, repeated (the model can learn them by heart)"));
  const std::string corpus_arg = g_view.corpus == 1 ? " corpus tiny" : " corpus stories";
  if (ctx.allows("train start") && ImGui::Button(tr("Train from scratch")))
    ctx.run("train start from-scratch" + corpus_arg + " steps " + std::to_string(g_view.steps));
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("Start from random weights and watch the model learn (the text starts as gibberish)"));
  ImGui::SameLine();
  if (ctx.allows("train start") && ImGui::Button(tr("Continue the loaded model")))
    ctx.run("train start from-shipped" + corpus_arg + " steps " + std::to_string(g_view.steps));
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("Keep training the weights that are loaded now (the shipped stories model by default)"));
  ImGui::EndDisabled();
  if (active) {
    if (snap->state == TrainSnapshot::State::running) {
      if (ctx.allows("train pause") && ImGui::Button(tr("Pause"))) ctx.run("train pause");
    } else if (ctx.allows("train resume") && ImGui::Button(tr("Continue"))) {
      ctx.run("train resume");
    }
    ImGui::SameLine();
    if (ctx.allows("train stop") && ImGui::Button(tr("Stop"))) ctx.run("train stop");
    ImGui::SameLine();
  }
  ImGui::BeginDisabled(!snap || !snap->weights);
  if (ctx.allows("train use") && ImGui::Button(tr("Generate with these weights"))) ctx.run("train use");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("Load the weights training has reached into the generation panels"));
  ImGui::EndDisabled();

  if (!lab->training_error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.4f, 0.35f, 1));
    ImGui::TextWrapped(tr("Training could not start: %s"), lab->training_error().c_str());
    ImGui::PopStyleColor();
  }
}

// The training and validation loss over the steps.
static void training_loss(TransformerLab* lab, const std::shared_ptr<const TrainSnapshot>& snap, float em) {
  // [SECTION] loss curves
  std::vector<float> xs, train, vx, val;
  for (auto& p : snap->history) {
    xs.push_back(float(p.step));
    train.push_back(p.train);
    if (p.val >= 0) {
      vx.push_back(float(p.step));
      val.push_back(p.val);
    }
  }
  ui::PlotOptions po;
  po.title = tr("loss per token (lower is better)");
  po.x_label = tr("training step");
  po.y_label = tr("loss (nats)");
  po.size = ImVec2(0, 12 * em);
  ui::LineSeries series[2] = {{tr("training loss"), train.data(), int(train.size()), xs.data()},
                              {lab->training_corpus() == "tiny" ? tr("validation loss (the tiny corpus: the same few stories)")
                                                                     : tr("validation loss (text never trained on)"),
                                    val.data(), int(val.size()), vx.data()}};
  if (!train.empty()) ui::line_plot("loss", series, val.empty() ? 1 : 2, po);
}

// A few texts sampled from the current weights.
static void training_samples(const std::shared_ptr<const TrainSnapshot>& snap) {
  // [SECTION] samples
  if (!snap->samples.empty() && ImGui::CollapsingHeader(tr("Samples from the current weights"), ImGuiTreeNodeFlags_DefaultOpen)) {
    for (size_t i = 0; i < snap->samples.size() && i < 3; ++i) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", snap->samples[i].c_str());
    }
  }
}

// One training example seen through the model: its tokens, the prediction at each position, the gradient norm per
// part.
static void training_example(PanelContext& ctx, TransformerLab* lab, const std::shared_ptr<const TrainSnapshot>& snap, float em) {
  // [SECTION] one training example
  const TrainExampleTrace& ex = snap->example;
  if (ex.input.empty() || !ImGui::CollapsingHeader(tr("One training example, seen through the model"), ImGuiTreeNodeFlags_DefaultOpen))
    return;
  const int T = int(ex.input.size());
  int pos = g_view.position < 0 || g_view.position >= T ? T - 1 : g_view.position;
  note(tr("The model reads the input tokens and, at every position, must predict the next one (the target). Click a token to look at that position."));
  std::vector<Chip> chips(static_cast<size_t>(T));
  for (int i = 0; i < T; ++i) {
    chips[size_t(i)].text = vocab_label(*lab, ex.input[size_t(i)]);
    chips[size_t(i)].bg = probability_colour(i < int(ex.target_prob.size()) ? ex.target_prob[size_t(i)] : 0);
    chips[size_t(i)].outline = i == pos;
  }
  // All the example's chips, as many lines as they take (a fixed-height box cut its last line at scale 2).
  ChipHover h = chip_flow("ex", chips, ctx.mono_font);
  if (h.clicked >= 0) g_view.position = h.clicked;
  if (h.hovered >= 0 && h.hovered < int(ex.target.size()))
    ImGui::SetTooltip(tr("input `%s`, next token should be `%s`; the model gave it p = %.4f (loss %.3f)"),
                      chips[size_t(h.hovered)].text.c_str(), vocab_label(*lab, ex.target[size_t(h.hovered)]).c_str(),
                      ex.target_prob[size_t(h.hovered)], ex.token_loss[size_t(h.hovered)]);
  if (pos < int(ex.target.size()) && pos < int(ex.target_prob.size())) {
    float p = ex.target_prob[size_t(pos)];
    ImGui::Text(tr("Position %d: after `%s` the target is `%s`."), pos, chips[size_t(pos)].text.c_str(),
                vocab_label(*lab, ex.target[size_t(pos)]).c_str());
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    ImGui::Text(tr("loss = −log p(target) = −log(%.4f) = %.3f"), p, -std::log(std::max(p, 1e-30f)));
    if (ctx.mono_font) ImGui::PopFont();
    ImGui::Text(tr("Mean loss over the example: %.3f"), ex.loss);
    if (pos < int(ex.top.size())) {
      std::vector<float> probs;
      std::vector<std::string> labels;
      int hl = -1;
      for (auto& [id, q] : ex.top[size_t(pos)]) {
        if (id == ex.target[size_t(pos)]) hl = int(probs.size());
        probs.push_back(q);
        labels.push_back(vocab_label(*lab, id));
      }
      ui::BarOptions bo;
      bo.title = tr("the model's prediction here (accent: the target)");
      bo.labels = &labels;
      bo.value_name = tr("probability");
      bo.horizontal = true;
      bo.highlight = hl;
      bo.v_min = 0;
      bo.size = ImVec2(0, 7 * em);
      ui::bar_chart("pred", probs.data(), int(probs.size()), bo);
    }
  }
  if (!ex.grad_norms.empty()) {
    ui::BarOptions go;
    // The long title when the panel is wide enough for it (a one-line plot title is cut, not wrapped).
    go.title = tr("gradient norm per part");
    for (const char* t : {tr("gradient norm per part of the model (how hard this step pushes each part)"),
                          tr("how hard this step pushes each part (gradient norm)")})
      if (ImGui::CalcTextSize(t).x <= ImGui::GetContentRegionAvail().x - 2 * em) {
        go.title = t;
        break;
      }
    go.labels = &ex.grad_norm_names;
    go.value_name = tr("gradient L2 norm");
    go.value_format = "%.4g";
    go.size = ImVec2(0, 9 * em);
    ui::bar_chart("grads", ex.grad_norms.data(), int(ex.grad_norms.size()), go);
  }
}

void draw_transformer_training(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  if (!lab->has_model()) {
    accent_text(tr("No model loaded."));
    return;
  }
  auto snap = lab->training();
  bool active = snap && (snap->state == TrainSnapshot::State::running || snap->state == TrainSnapshot::State::paused);

  training_controls(ctx, lab, snap, em, active);
  if (lab->training_preparing()) {
    note(tr("Preparing the training data (cutting the corpus into tokens)…"));
    return;
  }
  if (!snap) {
    note(tr("Training runs in the background: the app stays responsive. Each step shows the model a batch of text windows, measures how surprised it was by each next token (the loss), and nudges every weight to be less surprised next time."));
    return;
  }
  // The worker's first snapshot (before its first step) says "paused"; to a student it is starting.
  const bool starting = snap->state == TrainSnapshot::State::paused && snap->step == 0 && snap->history.empty();
  const std::string& src = lab->training_source();
  const std::string& corpus = lab->training_corpus();
  const char* src_words = src == "from-scratch" ? tr("from scratch") : src == "from-shipped" ? tr("from the loaded model") : src.c_str();
  const char* corpus_words = corpus == "tiny" ? tr("tiny") : corpus == "stories" ? tr("stories") : corpus.empty() ? "?" : corpus.c_str();
  ImGui::TextWrapped(tr("%s — step %lld of %lld (%s, %s corpus)  ·  %.0f tokens/s"), starting ? tr("starting") : state_word(snap->state),
                     (long long)snap->step, (long long)snap->total_steps, src_words, corpus_words, snap->tokens_per_s);
  if (!snap->message.empty()) note("%s", snap->message.c_str());

  training_loss(lab, snap, em);
  training_samples(snap);
  training_example(ctx, lab, snap, em);
}

GB_PANEL("transformer.training", draw_transformer_training);

}  // namespace gb::app
