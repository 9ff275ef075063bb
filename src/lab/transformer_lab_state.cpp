// What a session file keeps of the transformer lab beyond its settings table (lab/session_file.hpp): which
// model (shipped, a path, or a random one with its seed), the prompt, every generated token (and whether the
// student picked it), and the selected layer, head and token. Opening replays the steps: each token is drawn
// again with the saved settings and seed, and a token the draw does not give back (the student picked it, or a
// setting changed on the way) is pushed as it was — so the sequence is the saved one, token for token.
// A model trained live (`train use`) is kept bit for bit: its weights as one F32 tensor with its config, on top of the
// checkpoint it started from (whose tokenizer it shares); an untrained checkpoint is kept by its name only, so a file
// stays small.
#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/lab_state.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/transformer_lab_impl.hpp"

namespace gb {

namespace {

struct SavedTransformer {
  std::string model;  // "shipped", "random SEED" or a path
  std::string prompt;
  std::vector<std::pair<int32_t, bool>> steps;  // token, picked by the student
  int layer = 0, head = 0, token = -1;
  bool trained = false;  // weights trained in the session (then config and weights hold them)
  GptConfig config;
  std::vector<float> weights;
};

constexpr size_t kMaxTrainedParams = 30'000'000;  // what `train start` accepts

SavedTransformer read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedTransformer s;
  s.model = j.string_or("model", "shipped");
  if (s.model != "shipped" && s.model.rfind("random ", 0) != 0 && !file_exists(s.model))
    j.fail_here("model names \"" + s.model + "\", which is not there (a path, shipped, or random SEED)");
  s.prompt = get_bytes(j, "prompt", "Once upon a time");
  if (j.has("steps"))
    for (const JsonIn& e : j.array("steps")) s.steps.push_back({int32_t(e.at(0).as_integer(0, 1 << 24)), e.at(1).as_boolean()});
  s.layer = j.int32_or("layer", 0, 0, 1024);
  s.head = j.int32_or("head", 0, 0, 1024);
  s.token = j.int32_or("token", -1, -1, 1 << 24);
  if (in.has_tensor("weights")) {
    try {
      s.config = GptConfig::from_json(j.string("weights_config"), in.file);
    } catch (const Error& e) {
      j.fail_here(std::string("weights_config: ") + e.what());
    }
    if (s.config.param_count() > kMaxTrainedParams) j.fail_here("weights_config: more parameters than a lab trains");
    s.weights = in.tensor("weights", {int64_t(s.config.param_count())}).data;
    s.trained = true;
  }
  return s;
}
}  // namespace

void TransformerLab::save_state(LabState& out) const {
  const TransformerModelInfo& info = model_info();
  std::string model = info.source;
  if (info.format == "random") {  // source "random (seed S)" → "random S", as `load random S` takes it
    model = "random ";
    model.append(std::to_string(std::stoull(info.source.substr(info.source.find("seed ") + 5))));
  }
  out.fields["model"] = model;
  put_bytes(out.fields, "prompt", prompt_);  // any bytes are a prompt
  nlohmann::json steps = nlohmann::json::array();
  for (const GenStep& g : this->steps()) steps.push_back({g.token, g.forced});
  out.fields["steps"] = steps;
  out.fields["layer"] = sel_layer_;
  out.fields["head"] = sel_head_;
  out.fields["token"] = sel_token_;
  if (impl_->trained && impl_->model) {  // weights of `train use`: bit for bit (an untrained model is its name above)
    out.fields["weights_config"] = impl_->model->config.to_json();
    out.tensors["weights"] = StateTensor{{int64_t(impl_->model->params.data.size())}, impl_->model->params.data};
  }
}

std::string TransformerLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void TransformerLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  const SavedTransformer s = read_saved(in);
  const TransformerModelInfo& info = model_info();
  const bool same_model = s.model == "shipped" ? info.source == "shipped"
                          : s.model.rfind("random ", 0) == 0 ? info.format == "random" && info.source == "random (seed " + s.model.substr(7) + ")"
                                                             : info.source == s.model;
  if (!same_model || impl_->trained) {  // trained weights: the checkpoint first, the saved weights on top
    std::vector<std::string> w = {"load"};
    if (s.model.rfind("random ", 0) == 0) w = {"load", "random", s.model.substr(7)};
    else w.push_back(s.model);
    handle(command_from_words(w));
  }
  if (s.trained) {
    Impl& m = *impl_;
    auto g = std::make_shared<Gpt>(s.config);
    if (!m.model || m.tok.vocab_size() > s.config.vocab_size || g->params.data.size() != s.weights.size()) {
      notes_.push_back("The session's trained weights do not fit the model " + s.model + "; its own weights are used");
    } else {
      g->params.data = s.weights;
      g->threads = m.model->threads;
      m.model = std::move(g);
      m.trained = true;
      m.info.description = "trained in the saved session: " + m.info.description;
      m.info.random_weights = false;
      m.info.params = s.config.param_count();
    }
  }
  handle(command_from_words({"prompt", s.prompt}));
  for (auto& [token, picked] : s.steps) {
    if (!picked) {
      handle(command_from_words({"step"}));
      if (!all_ids().empty() && all_ids().back() == token && !steps().empty() && !steps().back().forced) continue;
      handle(command_from_words({"back"}));
    }
    handle(command_from_words({"force", std::to_string(token)}));
  }
  handle(command_from_words({"select", "layer", std::to_string(s.layer), "head", std::to_string(s.head)}));
  if (s.token >= 0) handle(command_from_words({"select", "token", std::to_string(s.token)}));
}

}  // namespace gb
