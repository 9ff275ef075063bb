// GPT checkpoints: Glassbox's own safetensors files (weights under GPT-2 names in (Out, In) layout,
// config in metadata `glassbox.config`, tokenizer JSON in `glassbox.tokenizer`) and Hugging Face
// GPT-2 folders as distributed (config.json + model.safetensors, Conv1D (In, Out) weights).
#pragma once
#include <map>
#include <set>
#include <string>

#include "core/safetensors.hpp"
#include "models/transformer/gpt.hpp"
#include "nn/params.hpp"

namespace gb {

// Metadata keys of a Glassbox GPT checkpoint.
inline constexpr const char* kMetaConfig = "glassbox.config";        // GptConfig::to_json()
inline constexpr const char* kMetaTokenizer = "glassbox.tokenizer";  // Tokenizer::to_json().dump()

// Writes every tensor of `params` (declared by Gpt::declare, or the same names) stored as `dtype`
// (F32, F16 or BF16), with the config, the tokenizer JSON (may be empty) and `extra` metadata.
// Atomic (gb::write_file_atomic). Throws gb::Error naming the path.
void save_gpt_checkpoint(const std::string& path, const GptConfig& config, const ParamSet& params,
                         const std::string& tokenizer_json, DType dtype = DType::F32,
                         const std::map<std::string, std::string>& extra = {});
inline void save_gpt_checkpoint(const std::string& path, const Gpt& m, const std::string& tokenizer_json,
                                DType dtype = DType::F32, const std::map<std::string, std::string>& extra = {}) {
  save_gpt_checkpoint(path, m.config, m.params, tokenizer_json, dtype, extra);
}

// What a loader found: the model, the tokenizer's source and where it came from.
struct LoadedGpt {
  Gpt model;
  std::string tokenizer_json;    // Glassbox checkpoint: its `glassbox.tokenizer` (empty when absent)
  std::string tokenizer_folder;  // Hugging Face folder: where vocab.json/merges.txt/tokenizer.json live
  std::map<std::string, std::string> metadata;  // the checkpoint's metadata (Glassbox) or {"source": folder}
  std::string source;            // path loaded
  std::string format;            // "glassbox" or "huggingface"
};

// A Glassbox checkpoint. Errors (gb::Error naming the file): not safetensors / corrupt (see
// read_safetensors), no `glassbox.config`, bad config, missing tensor, wrong shape, non-float dtype.
// Tensors the model does not use (optimiser state, …) are ignored.
LoadedGpt load_gpt_checkpoint(const std::string& path);

// A Hugging Face GPT-2 folder: config.json (n_layer, n_head, n_embd, n_positions, vocab_size,
// layer_norm_epsilon) + model.safetensors (or model.safetensors.index.json shards). Names with or
// without `transformer.`; Conv1D weights transposed to (Out, In); F32/F16/BF16; extra tensors
// (attn.bias masks, lm_head.weight tied to wte) ignored.
LoadedGpt load_hf_gpt2(const std::string& folder);

// The parts of load_hf_gpt2 that read JSON (exposed for tests and fuzzing): config.json's text to a
// config (checked: types, ranges, GPT-2 architecture), and model.safetensors.index.json's text to
// the shard file names its weight_map lists (non-empty, plain file names). Throw gb::Error naming
// `file` and the key.
GptConfig hf_config_from_json(const std::string& text, const std::string& file);
std::set<std::string> hf_shard_names(const std::string& text, const std::string& file);

// Either of the above: a directory with config.json is a Hugging Face folder; a .safetensors file
// with `glassbox.config` a Glassbox checkpoint; a model.safetensors beside a config.json its folder.
LoadedGpt load_gpt(const std::string& path);

}  // namespace gb
