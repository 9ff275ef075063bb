// What a session file keeps of the transformer lab beyond its settings table (lab/session_file.hpp): which
// model (shipped, a path, or a random one with its seed), the prompt, every generated token (and whether the
// student picked it), and the selected layer, head and token. Opening replays the steps: each token is drawn
// again with the saved settings and seed, and a token the draw does not give back (the student picked it, or a
// setting changed on the way) is pushed as it was — so the sequence is the saved one, token for token.
// Weights trained live in this lab are not kept yet (the file says which model to load).
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "lab/lab_state.hpp"
#include "lab/transformer_lab.hpp"

namespace gb {

namespace {
std::string to_hex(const std::string& bytes) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : bytes) h += d[c >> 4], h += d[c & 15];
  return h;
}

std::string from_hex(const JsonIn& j, const std::string& key) {
  const std::string h = j.string(key);
  auto val = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  if (h.size() % 2) j.fail_here(key + " has an odd number of hex digits");
  std::string out;
  for (size_t i = 0; i < h.size(); i += 2) {
    if (val(h[i]) < 0 || val(h[i + 1]) < 0) j.fail_here(key + " is not hex (two digits 0-9a-f per byte)");
    out += char(val(h[i]) * 16 + val(h[i + 1]));
  }
  return out;
}

Command words(std::vector<std::string> w) {
  Command c;
  for (auto& x : w) c.text += (c.text.empty() ? "" : " ") + quote_word(x);
  c.words = std::move(w);
  return c;
}

struct SavedTransformer {
  std::string model;  // "shipped", "random SEED" or a path
  std::string prompt;
  std::vector<std::pair<int32_t, bool>> steps;  // token, picked by the student
  int layer = 0, head = 0, token = -1;
};

SavedTransformer read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedTransformer s;
  s.model = j.string_or("model", "shipped");
  if (s.model != "shipped" && s.model.rfind("random ", 0) != 0 && !file_exists(s.model))
    j.fail_here("model names \"" + s.model + "\", which is not there (a path, shipped, or random SEED)");
  s.prompt = j.has("prompt_hex") ? from_hex(j, "prompt_hex") : j.string_or("prompt", "Once upon a time");
  if (j.has("steps"))
    for (const JsonIn& e : j.array("steps")) s.steps.push_back({int32_t(e.at(0).as_integer(0, 1 << 24)), e.at(1).as_boolean()});
  s.layer = j.int32_or("layer", 0, 0, 1024);
  s.head = j.int32_or("head", 0, 0, 1024);
  s.token = j.int32_or("token", -1, -1, 1 << 24);
  return s;
}
}  // namespace

void TransformerLab::save_state(LabState& out) const {
  const TransformerModelInfo& info = model_info();
  std::string model = info.source;
  if (info.format == "random") model = "random " + std::to_string(std::stoull(info.source.substr(info.source.find("seed ") + 5)));
  out.fields["model"] = model;
  if (utf8_valid(prompt_))
    out.fields["prompt"] = prompt_;
  else
    out.fields["prompt_hex"] = to_hex(prompt_);  // any bytes are a prompt; JSON text must be UTF-8
  nlohmann::json steps = nlohmann::json::array();
  for (const GenStep& g : this->steps()) steps.push_back({g.token, g.forced});
  out.fields["steps"] = steps;
  out.fields["layer"] = sel_layer_;
  out.fields["head"] = sel_head_;
  out.fields["token"] = sel_token_;
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
  if (!same_model) {
    std::vector<std::string> w = {"load"};
    if (s.model.rfind("random ", 0) == 0) w = {"load", "random", s.model.substr(7)};
    else w.push_back(s.model);
    handle(words(w));
  }
  handle(words({"prompt", s.prompt}));
  for (auto& [token, picked] : s.steps) {
    if (!picked) {
      handle(words({"step"}));
      if (!all_ids().empty() && all_ids().back() == token && !steps().empty() && !steps().back().forced) continue;
      handle(words({"back"}));
    }
    handle(words({"force", std::to_string(token)}));
  }
  handle(words({"select", "layer", std::to_string(s.layer), "head", std::to_string(s.head)}));
  if (s.token >= 0) handle(words({"select", "token", std::to_string(s.token)}));
}

}  // namespace gb
