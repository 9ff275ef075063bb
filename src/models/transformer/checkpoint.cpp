// Saving and loading GPT weights: Glassbox safetensors checkpoints and Hugging Face GPT-2 folders.
#include "models/transformer/checkpoint.hpp"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/memory.hpp"
#include "nn/param_file.hpp"

namespace gb {

namespace fs = std::filesystem;

namespace {
std::vector<int64_t> shape64(const std::vector<int>& s) { return std::vector<int64_t>(s.begin(), s.end()); }

// Conv1D weights (HF stores them (In, Out); Glassbox (Out, In)).
bool is_conv1d(const std::string& name) {
  auto ends = [&](const char* suf) {
    const std::string s(suf);
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends("attn.c_attn.weight") || ends("attn.c_proj.weight") || ends("mlp.c_fc.weight") || ends("mlp.c_proj.weight");
}

// Tensors of a layer the config does not have (n_layer 3 but `h.3.…` present): the config and the
// weights disagree, so neither can be trusted.
void check_no_extra_layers(const SafeTensors& st, int n_layer, const std::string& config_name) {
  for (const SafeTensor& t : st.tensors()) {
    std::string n = t.name;
    if (n.rfind("transformer.", 0) == 0) n = n.substr(12);
    if (n.rfind("h.", 0) != 0) continue;
    size_t i = 2;
    int64_t layer = 0;
    while (i < n.size() && i < 12 && n[i] >= '0' && n[i] <= '9') layer = layer * 10 + (n[i++] - '0');
    if (i == 2 || i >= n.size() || n[i] != '.') continue;
    if (layer >= n_layer)
      fail_file(st.file, "tensor `" + t.name + "` belongs to layer " + std::to_string(layer) + ", but " + config_name +
                             " says n_layer " + std::to_string(n_layer) + ": the config and the weights disagree");
  }
}
}  // namespace

// [SECTION] Glassbox checkpoints
void save_gpt_checkpoint(const std::string& path, const GptConfig& config, const ParamSet& params,
                         const std::string& tokenizer_json, DType dtype, const std::map<std::string, std::string>& extra) {
  if (dtype != DType::F32 && dtype != DType::F16 && dtype != DType::BF16)
    fail_file(path, std::string("cannot store weights as ") + dtype_name(dtype));
  SafeTensors st;
  st.file = path;
  st.metadata = extra;
  st.metadata[kMetaConfig] = config.to_json();
  if (!tokenizer_json.empty()) st.metadata[kMetaTokenizer] = tokenizer_json;
  st.metadata["format"] = "pt";
  for (auto& v : params.views()) st.add(v.name, shape64(v.shape), params.data.data() + v.offset, dtype);
  write_safetensors(path, st);
}

LoadedGpt load_gpt_checkpoint(const std::string& path) {
  SafeTensors st = read_safetensors(path);
  auto it = st.metadata.find(kMetaConfig);
  if (it == st.metadata.end())
    fail_file(path, std::string("not a Glassbox GPT checkpoint (no `") + kMetaConfig +
                        "` in its metadata; for a Hugging Face model pass its folder)");
  GptConfig cfg = GptConfig::from_json(it->second, path);
  // Before allocating: every tensor the config implies is in the file with its shape, no layer the
  // config lacks is, and the model fits in memory.
  ParamSet declared;
  Gpt::declare(cfg, declared);
  check_params_against_file(declared, st, "", std::string(kMetaConfig) + " " + cfg.to_json());
  check_no_extra_layers(st, cfg.n_layer, kMetaConfig);
  LoadedGpt out{Gpt(cfg), "", "", st.metadata, path, "glassbox"};
  if (auto t = st.metadata.find(kMetaTokenizer); t != st.metadata.end()) out.tokenizer_json = t->second;
  ParamSet& p = out.model.params;
  for (auto& v : p.views()) {
    const SafeTensor& t = st.get(v.name);
    if (t.shape != shape64(v.shape))
      fail_file(path, "tensor `" + v.name + "` has the wrong shape for the config " + cfg.to_json());
    t.to_float(p.data.data() + v.offset);
  }
  return out;
}

// [SECTION] Hugging Face GPT-2
GptConfig hf_config_from_json(const std::string& text, const std::string& file) {
  const JsonIn j = JsonIn::parse(text, file, "");  // the file is config.json: "…/config.json: n_head is …"
  if (j.has("model_type") && j.string("model_type") != "gpt2")
    fail_file(file, "model_type \"" + j.string("model_type") + "\" is not supported (only GPT-2 architecture)");
  if (j.has("activation_function")) {
    const std::string a = j.string("activation_function");
    if (a != "gelu_new" && a != "gelu_pytorch_tanh" && a != "gelu_fast" && a != "gelu")
      fail_file(file, "activation_function \"" + a + "\" is not supported (GPT-2 uses gelu_new)");
  }
  auto need = [&](std::initializer_list<const char*> keys) -> int {
    for (const char* k : keys)
      if (j.has(k)) return j.int32(k, 1, 1 << 30);
    fail_file(file, std::string("missing `") + *keys.begin() + "`");
  };
  GptConfig c;
  c.n_layer = need({"n_layer", "num_hidden_layers"});
  c.n_head = need({"n_head", "num_attention_heads"});
  c.n_embd = need({"n_embd", "hidden_size"});
  c.block_size = need({"n_positions", "n_ctx", "max_position_embeddings"});
  c.vocab_size = need({"vocab_size"});
  c.ln_eps = float(j.number_or("layer_norm_epsilon", c.ln_eps, 1e-30, 0.999));
  if (j.has("n_inner") && j.integer("n_inner", 1, int64_t(1) << 40) != 4 * int64_t(c.n_embd))
    fail_file(file, "n_inner other than 4·n_embd is not supported");
  c.validate(file);
  return c;
}

std::set<std::string> hf_shard_names(const std::string& text, const std::string& index) {
  const JsonIn j = JsonIn::parse(text, index, "");
  const JsonIn map = j.object("weight_map");
  std::set<std::string> shards;
  for (const auto& [tensor, file] : map.members()) shards.insert(file.as_string());
  if (shards.empty()) fail_file(index, "weight_map is empty: the index names no weight files");
  for (auto& s : shards)
    if (s.empty() || s.find('/') != std::string::npos || s.find("..") != std::string::npos)
      fail_file(index, "bad shard name `" + s + "` (must be a file in the same folder)");
  return shards;
}

namespace {
GptConfig hf_config(const std::string& file) { return hf_config_from_json(read_file(file), file); }

// The shard files a model.safetensors.index.json names; each must exist in the folder.
std::set<std::string> hf_shards(const std::string& folder, const std::string& index) {
  std::set<std::string> shards = hf_shard_names(read_file(index), index);
  for (auto& s : shards) {
    if (!file_exists((fs::path(folder) / s).string()))
      fail_file(index, "weight_map names the shard `" + s + "`, which is not in " + folder);
  }
  return shards;
}
}  // namespace

LoadedGpt load_hf_gpt2(const std::string& folder) {
  const std::string cfg_file = (fs::path(folder) / "config.json").string();
  if (!file_exists(cfg_file)) fail_file(folder, "no config.json (not a Hugging Face model folder)");
  GptConfig cfg = hf_config(cfg_file);

  // Weight files: one model.safetensors, or the shards an index names.
  std::vector<SafeTensors> files;
  const std::string single = (fs::path(folder) / "model.safetensors").string();
  const std::string index = (fs::path(folder) / "model.safetensors.index.json").string();
  if (file_exists(single)) {
    files.push_back(read_safetensors(single));
  } else if (file_exists(index)) {
    for (auto& s : hf_shards(folder, index)) files.push_back(read_safetensors((fs::path(folder) / s).string()));
  } else {
    fail_file(folder, "no model.safetensors (PyTorch .bin files are not supported; convert to safetensors)");
  }
  auto find = [&](const std::string& name) -> const SafeTensor* {
    for (auto& f : files) {
      if (auto* t = f.find("transformer." + name)) return t;
      if (auto* t = f.find(name)) return t;
    }
    return nullptr;
  };

  // Before allocating: every tensor config.json implies, with its shape; no layer it lacks; memory.
  auto checked = [&](const ParamView& v) -> const SafeTensor& {
    const SafeTensor* t = find(v.name);
    if (!t)
      fail_file(files.front().file, "missing tensor `" + v.name + "` (or `transformer." + v.name + "`) that " + cfg_file +
                                        " implies (n_layer " + std::to_string(cfg.n_layer) + ")");
    std::vector<int64_t> want = shape64(v.shape);
    if (is_conv1d(v.name)) std::swap(want[0], want[1]);  // file holds (In, Out)
    if (t->shape != want) {
      std::string ws = "[", gs = "[";
      for (size_t i = 0; i < want.size(); ++i) ws += (i ? ", " : "") + std::to_string(want[i]);
      for (size_t i = 0; i < t->shape.size(); ++i) gs += (i ? ", " : "") + std::to_string(t->shape[i]);
      fail_file(t->file, "tensor `" + t->name + "` has shape " + gs + "], but " + cfg_file + " implies " + ws +
                             "] (n_embd " + std::to_string(cfg.n_embd) + ", vocab_size " + std::to_string(cfg.vocab_size) +
                             ", n_positions " + std::to_string(cfg.block_size) + ")");
    }
    return *t;
  };
  {
    ParamSet declared;
    Gpt::declare(cfg, declared);
    for (auto& v : declared.views()) checked(v);
    for (auto& f : files) check_no_extra_layers(f, cfg.n_layer, cfg_file);
    check_memory(2.0 * double(declared_count(declared)) * sizeof(float), folder, "the model " + cfg_file + " describes");
  }
  LoadedGpt out{Gpt(cfg), "", folder, {{"source", folder}}, folder, "huggingface"};
  ParamSet& p = out.model.params;
  for (auto& v : p.views()) {
    const SafeTensor* t = &checked(v);
    std::vector<int64_t> want = shape64(v.shape);
    const bool conv = is_conv1d(v.name);
    if (conv) std::swap(want[0], want[1]);  // file holds (In, Out)
    float* dst = p.data.data() + v.offset;
    if (conv) {
      std::vector<float> tmp = t->to_float();  // checks every value is finite
      const int In = int(want[0]), Out = int(want[1]);
      MatMap(dst, Out, In) = CMatMap(tmp.data(), In, Out).transpose();  // (Out, In) = (In, Out)ᵀ
    } else {
      t->to_float(dst);
    }
  }
  return out;
}

LoadedGpt load_gpt(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return load_hf_gpt2(path);
  if (!file_exists(path)) fail_file(path, "no such file or folder");
  SafeTensors head = read_safetensors(path);  // validates (memory-mapped, cheap)
  if (head.metadata.count(kMetaConfig)) return load_gpt_checkpoint(path);
  const fs::path parent = fs::path(path).parent_path();
  if (file_exists((parent / "config.json").string())) return load_hf_gpt2(parent.empty() ? "." : parent.string());
  fail_file(path, std::string("not a Glassbox GPT checkpoint (no `") + kMetaConfig + "` metadata) and no config.json beside it");
}

}  // namespace gb
