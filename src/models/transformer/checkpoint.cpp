// Saving and loading GPT weights: Glassbox safetensors checkpoints and Hugging Face GPT-2 folders.
#include "models/transformer/checkpoint.hpp"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"

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
namespace {
GptConfig hf_config(const std::string& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    fail_file(file, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) fail_file(file, "not a JSON object");
  if (j.contains("model_type") && j["model_type"] != "gpt2")
    fail_file(file, "model_type " + j["model_type"].dump() + " is not supported (only GPT-2 architecture)");
  if (j.contains("activation_function")) {
    const auto a = j["activation_function"];
    if (a != "gelu_new" && a != "gelu_pytorch_tanh" && a != "gelu_fast" && a != "gelu")
      fail_file(file, "activation_function " + a.dump() + " is not supported (GPT-2 uses gelu_new)");
  }
  auto need = [&](std::initializer_list<const char*> keys) -> int {
    for (const char* k : keys)
      if (j.contains(k)) {
        if (!j[k].is_number_integer()) fail_file(file, std::string("`") + k + "` is not an integer");
        const int64_t v = j[k].get<int64_t>();
        if (v < 1 || v > (int64_t(1) << 30)) fail_file(file, std::string("`") + k + "` is out of range");
        return int(v);
      }
    fail_file(file, std::string("missing `") + *keys.begin() + "`");
  };
  GptConfig c;
  c.n_layer = need({"n_layer", "num_hidden_layers"});
  c.n_head = need({"n_head", "num_attention_heads"});
  c.n_embd = need({"n_embd", "hidden_size"});
  c.block_size = need({"n_positions", "n_ctx", "max_position_embeddings"});
  c.vocab_size = need({"vocab_size"});
  if (j.contains("layer_norm_epsilon") && j["layer_norm_epsilon"].is_number())
    c.ln_eps = j["layer_norm_epsilon"].get<float>();
  if (j.contains("n_inner") && !j["n_inner"].is_null() && j["n_inner"] != 4 * c.n_embd)
    fail_file(file, "n_inner other than 4·n_embd is not supported");
  c.validate(file);
  return c;
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
    std::set<std::string> shards;
    try {
      auto j = nlohmann::json::parse(read_file(index));
      for (auto& [k, v] : j.at("weight_map").items()) shards.insert(v.get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      fail_file(index, std::string("bad shard index (") + e.what() + ")");
    }
    for (auto& s : shards) {
      if (s.find('/') != std::string::npos || s.find("..") != std::string::npos) fail_file(index, "bad shard name `" + s + "`");
      files.push_back(read_safetensors((fs::path(folder) / s).string()));
    }
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

  LoadedGpt out{Gpt(cfg), "", folder, {{"source", folder}}, folder, "huggingface"};
  ParamSet& p = out.model.params;
  for (auto& v : p.views()) {
    const SafeTensor* t = find(v.name);
    if (!t) fail_file(files.front().file, "missing tensor `" + v.name + "` (or `transformer." + v.name + "`)");
    std::vector<int64_t> want = shape64(v.shape);
    const bool conv = is_conv1d(v.name);
    if (conv) std::swap(want[0], want[1]);  // file holds (In, Out)
    if (t->shape != want) {
      std::string ws = "[", gs = "[";
      for (size_t i = 0; i < want.size(); ++i) ws += (i ? ", " : "") + std::to_string(want[i]);
      for (size_t i = 0; i < t->shape.size(); ++i) gs += (i ? ", " : "") + std::to_string(t->shape[i]);
      fail_file(t->file, "tensor `" + t->name + "` has shape " + gs + "], but config.json implies " + ws + "]");
    }
    float* dst = p.data.data() + v.offset;
    if (conv) {
      std::vector<float> tmp = t->to_float();
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
