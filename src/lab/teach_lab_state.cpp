// What a session file keeps of the teach lab beyond its settings table (lab/session_file.hpp): the prompt, the
// rule-voter's word, retrieval on/off, the class's votes (prompt, chosen, rejected) and the facts notebook. Opening
// a session puts them back (and into the config folder's store when the app keeps one). A fine-tuned model is kept
// too: its weights (LoRA merged) as one F32 tensor, bit for bit, with its step count and the base it was tuned from.
#include "core/error.hpp"
#include "lab/lab_state.hpp"
#include "lab/teach_lab.hpp"

namespace gb {

namespace {
struct SavedTeach {
  std::string prompt, rule;
  bool retrieve = false;
  std::vector<TeachVote> votes;
  bool has_facts = false;
  std::vector<std::string> facts;
  const StateTensor* tuned = nullptr;  // the fine-tuned weights, when the session had any
  int64_t tuned_steps = 0;
  std::string tuned_base;
};

SavedTeach read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedTeach s;
  s.prompt = get_bytes(j, "prompt", "Lily's dog is called");
  if (s.prompt.empty()) j.fail_here("prompt is empty");
  s.rule = j.string_or("rule", "");
  s.retrieve = j.boolean_or("retrieve", false);
  if (j.has("votes"))
    for (const JsonIn& v : j.array("votes")) {
      if (!has_bytes(v, "prompt") || !has_bytes(v, "chosen") || !has_bytes(v, "rejected"))
        v.fail_here("lacks its prompt, chosen or rejected text");
      TeachVote t{get_bytes(v, "prompt", ""), get_bytes(v, "chosen", ""), get_bytes(v, "rejected", "")};
      if (t.prompt.empty() || t.chosen.empty() || t.rejected.empty()) v.fail_here("has an empty prompt or continuation");
      if (t.chosen == t.rejected) v.fail_here("has the same text as chosen and rejected");
      s.votes.push_back(std::move(t));
    }
  if (j.has("facts")) {
    s.has_facts = true;
    for (const JsonIn& f : j.array("facts")) {
      std::string text = f.as_string();
      if (text.empty() || text[0] == '#' || text.find('\n') != std::string::npos)
        f.fail_here("is not one fact (empty, a # note, or more than one line)");
      s.facts.push_back(std::move(text));
    }
  }
  if (in.has_tensor("tuned")) {
    const StateTensor& t = in.tensors.at("tuned");
    if (t.shape.size() != 1 || t.shape[0] < 1) j.fail_here("tuned: expected one flat tensor of weights");
    s.tuned = &t;
    s.tuned_steps = j.integer("tuned_steps", 1, int64_t(1) << 40);
    s.tuned_base = j.string("tuned_base");
  }
  return s;
}
}  // namespace

void TeachLab::save_state(LabState& out) const {
  put_bytes(out.fields, "prompt", prompt_);
  out.fields["rule"] = rule_;
  out.fields["retrieve"] = retrieve_;
  nlohmann::json votes = nlohmann::json::array();
  for (const TeachVote& v : votes_) {  // a continuation may end inside a character: such text is kept as hex
    nlohmann::json one = nlohmann::json::object();
    put_bytes(one, "prompt", v.prompt);
    put_bytes(one, "chosen", v.chosen);
    put_bytes(one, "rejected", v.rejected);
    votes.push_back(one);
  }
  out.fields["votes"] = votes;
  if (facts_set_) out.fields["facts"] = facts_.facts;
  if (tuner_ && !busy() && tuner_->steps_done() > 0) {
    const ParamSet& w = tuner_->weights();
    out.tensors["tuned"] = StateTensor{{int64_t(w.count())}, w.data};
    out.fields["tuned_steps"] = tuner_->steps_done();
    out.fields["tuned_base"] = model_path_.empty() ? "shipped" : model_path_;
  }
}

std::string TeachLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void TeachLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  SavedTeach s = read_saved(in);
  prompt_ = s.prompt;
  rule_ = s.rule;
  retrieve_ = s.retrieve;
  votes_ = std::move(s.votes);
  store_votes();
  if (s.has_facts) {
    facts_.facts = std::move(s.facts);
    facts_set_ = true;
    store_facts();
  }
  sample_a_.clear();
  sample_b_.clear();
  fresh_.clear();
  if (s.tuned) {
    const std::string base = model_path_.empty() ? "shipped" : model_path_;
    if (s.tuned_base != base) {
      tuned_message_ = in.file + ": the session's tuned model was tuned from " + s.tuned_base + ", not " + base + "; not restored";
    } else if (ensure_model().ok) {
      if (size_t(s.tuned->shape[0]) != tuner_->base().count()) {
        tuned_message_ = in.file + ": the session's tuned model has " + std::to_string(s.tuned->shape[0]) + " weights, the base " +
                         std::to_string(tuner_->base().count()) + "; not restored";
      } else {
        if (tc_.lora_rank != 0) {  // the weights come back with every weight trainable (LoRA was merged into them)
          tc_.lora_rank = 0;
          tuner_ = std::make_unique<Tuner>(model_->model.config, model_->model.params, tc_);
        }
        ParamSet w = tuner_->base();
        w.data = s.tuned->data;
        tuner_->restore(w, s.tuned_steps);
        tuner_changed();
        save_tuned();
        tuned_message_ = "restored the session's fine-tuned model (" + std::to_string(s.tuned_steps) + " steps)";
      }
    }
  }
  refresh_probe();
}

}  // namespace gb
