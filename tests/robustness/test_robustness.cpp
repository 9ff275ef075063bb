// Robustness: malformed inputs generated on the fly (checkpoints, Hugging Face folders, training
// states, IDX data, lesson folders, app commands), one table row per kind of damage. Each row must
// give a gb::Error naming the file and the problem — never a crash, a bad_alloc or a silent load.
// The suite runs under ASan + UBSan in CI (glassbox.sh test), so a sanitizer report fails it too.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/json_in.hpp"
#include "core/safetensors.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/transformer_lab.hpp"
#include "models/diffusion/train.hpp"
#include "models/gan/image_gan.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/tokenizer.hpp"
#include "models/transformer/train.hpp"
#include "common/tiny_models.hpp"

using namespace gb;
namespace fs = std::filesystem;

namespace {

// [SECTION] a scratch folder per process, and the generators of good files to damage
std::string scratch() {
  struct Dir {  // made on first use, removed at exit
    std::string path = (fs::temp_directory_path() / ("gb_robust_" + std::to_string(::getpid()))).string();
    Dir() {
      fs::remove_all(path);
      fs::create_directories(path);
    }
    ~Dir() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Dir dir;
  return dir.path;
}
std::string at(const std::string& name) { return scratch() + "/" + name; }

// The message of the gb::Error `f` throws ("" when it throws nothing; other exceptions fail).
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("not a gb::Error: " << std::string(e.what()));
  }
  return "";
}

// A tiny GPT checkpoint (1 layer, width 8, context 8, vocabulary 16) as SafeTensors to damage.
GptConfig tiny_gpt_config() { return test::tiny_gpt_config(16, 8, 1, 2, 8); }
SafeTensors tiny_gpt() {
  Gpt m(tiny_gpt_config());
  m.init_random(1);
  const std::string path = at("tiny_gpt_src.safetensors");
  save_gpt_checkpoint(path, m, "");
  return read_safetensors(path);
}
std::string write(const std::string& name, const SafeTensors& st) {
  write_safetensors(at(name), st);
  return at(name);
}
// Replaces every value of tensor `name` (or only element `k`) with `v`.
SafeTensors with_value(SafeTensors st, const std::string& name, float v, int64_t k = -1) {
  std::vector<float> w = st.get(name).to_float();
  if (k < 0) std::fill(w.begin(), w.end(), v);
  else w[size_t(k)] = v;
  st.add(name, st.get(name).shape, w.data(), st.get(name).dtype);
  return st;
}
SafeTensors with_meta(SafeTensors st, const std::string& key, const std::string& value) {
  st.metadata[key] = value;
  return st;
}

// A safetensors file written byte by byte: `header` JSON and `data` bytes.
std::string raw_file(const std::string& name, const std::string& header, const std::string& data) {
  std::string out;
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out += char((n >> (8 * i)) & 0xFF);
  out += header + data;
  write_file_atomic(at(name), out);
  return at(name);
}

// A Hugging Face GPT-2 folder (config.json + model.safetensors, Conv1D layout) from the tiny GPT.
std::string hf_folder(const std::string& name, const std::string& config_json, bool write_weights = true) {
  const std::string dir = at(name);
  fs::create_directories(dir);
  write_file_atomic(dir + "/config.json", config_json);
  if (write_weights) {
    SafeTensors st;
    const SafeTensors src = tiny_gpt();
    for (const SafeTensor& t : src.tensors()) {
      std::vector<float> w = t.to_float();
      std::vector<int64_t> shape = t.shape;
      const bool conv = t.name.find("c_attn.weight") != std::string::npos || t.name.find("c_proj.weight") != std::string::npos ||
                        t.name.find("c_fc.weight") != std::string::npos;
      if (conv) {  // (Out, In) → (In, Out)
        std::vector<float> tr(w.size());
        for (int64_t o = 0; o < shape[0]; ++o)
          for (int64_t i = 0; i < shape[1]; ++i) tr[size_t(i * shape[0] + o)] = w[size_t(o * shape[1] + i)];
        w = tr;
        std::swap(shape[0], shape[1]);
      }
      st.add("transformer." + t.name, shape, w.data());
    }
    write_safetensors(dir + "/model.safetensors", st);
  }
  return dir;
}
const char* kHfConfig = R"({"model_type":"gpt2","n_layer":1,"n_head":2,"n_embd":8,"n_positions":8,"vocab_size":16})";

// A tiny image GAN and a tiny 2D diffusion model.
ImageGanConfig tiny_gan_config() {
  ImageGanConfig c;
  c.z_dim = 2;
  c.n_classes = 2;
  c.emb_dim = 2;
  c.g_ch0 = 2;
  c.g_ch1 = 2;
  c.d_ch0 = 2;
  c.d_ch1 = 2;
  c.d_feat = 2;
  return c;
}
SafeTensors tiny_gan() {
  ImageGan m(tiny_gan_config());
  m.init(1);
  m.save(at("tiny_gan_src.safetensors"), false);
  return read_safetensors(at("tiny_gan_src.safetensors"));
}
SafeTensors tiny_diffusion() {
  Mlp2dConfig c;
  c.hidden = 4;
  c.layers = 2;
  c.tdim = 4;
  Mlp2d m(c, NoiseSchedule::make(ScheduleKind::linear, 10));
  Rng rng(1);
  m.init(rng);
  save_diffusion_model(at("tiny_diff_src.safetensors"), m, m.params.data, false, {});
  return read_safetensors(at("tiny_diff_src.safetensors"));
}

// A tiny transformer training state (resume file).
SafeTensors tiny_state() {
  static const std::string path = [] {
    const std::string text = tiny_corpus();
    Tokenizer tok = Tokenizer::train(text, 270, {});
    std::vector<int> ids = tok.encode(text);
    TrainConfig c;
    c.model = tiny_gpt_config();
    c.model.vocab_size = tok.vocab_size();
    c.batch = 2;
    c.steps = 3;
    Trainer t(c, std::vector<int32_t>(ids.begin(), ids.end()), tok.to_json().dump());
    t.step();
    const std::string p = at("tiny_state_src.safetensors");
    t.save_state(p);
    return p;
  }();
  return read_safetensors(path);
}
std::string state_json_with(const std::string& key, const std::string& field, const std::string& value_json) {
  SafeTensors st = tiny_state();
  nlohmann::json j = nlohmann::json::parse(st.metadata.at(key));
  if (value_json.empty()) j.erase(field);
  else j[field] = nlohmann::json::parse(value_json);
  return j.dump();
}

struct Case {
  const char* kind;                        // the issue's kind of damage
  const char* what;                        // this row
  std::function<std::string()> make;       // writes the input, returns its path
  std::function<void(const std::string&)> load;
  std::vector<std::string> expect;         // substrings of the message (besides the path)
};

void run_cases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    CAPTURE(c.kind);
    CAPTURE(c.what);
    const std::string path = c.make();
    const std::string msg = error_of([&] { c.load(path); });
    CAPTURE(msg);
    CHECK_MESSAGE(!msg.empty(), "accepted silently");
    CHECK_MESSAGE(msg.find(path) != std::string::npos, "the message does not name the file");
    for (const std::string& e : c.expect) CHECK_MESSAGE(msg.find(e) != std::string::npos, "missing: " << e);
  }
}

auto load_gpt_file = [](const std::string& p) { (void)load_gpt(p); };
auto load_gan_file = [](const std::string& p) { (void)ImageGan::load(p); };
auto load_diffusion_file = [](const std::string& p) { (void)load_diffusion_model(p); };
auto resume_state = [](const std::string& p) { (void)Trainer::load_state(p); };

}  // namespace

// [SECTION] the checked JSON accessor
TEST_CASE("JsonIn names the file and the key, checks types and ranges, and catches overflow") {
  const JsonIn j = JsonIn::parse(R"({"a":"128","b":4294967328,"c":1e23,"d":2.5,"e":7,"f":[1,"x"],"g":"ff"})", "F.json", "cfg");
  CHECK(error_of([&] { j.int32("a", 1, 100000); }).find("F.json: cfg.a is \"128\" (a string)") != std::string::npos);
  CHECK(error_of([&] { j.int32("b", 1, 1 << 30); }).find("cfg.b is 4294967328") != std::string::npos);
  CHECK(error_of([&] { j.integer("c", 0, int64_t(1) << 40); }).find("cfg.c is 9.999999999999999e+22 (a number)") != std::string::npos);
  CHECK(error_of([&] { j.integer("d", 0, 10); }).find("expected a whole number") != std::string::npos);
  CHECK(error_of([&] { j.string("missing"); }).find("cfg.missing is missing") != std::string::npos);
  CHECK(error_of([&] { j.array("f")[1].as_integer(0, 9); }).find("cfg.f[1]") != std::string::npos);
  CHECK(error_of([&] { j.u64_string("g"); }).find("decimal") != std::string::npos);
  CHECK(j.u64_string("g", 16) == 255);
  CHECK(j.int32("e", 1, 9) == 7);
  CHECK(j.integer_or("nope", 3, 0, 9) == 3);
  CHECK(error_of([] { JsonIn::parse("[1]", "G.json", "x"); }).find("G.json: x is not a JSON object") != std::string::npos);
  CHECK(error_of([] { JsonIn::parse("{", "G.json", "x"); }).find("not valid JSON") != std::string::npos);
  // members in key order, each with its path; forgiving clamps; booleans
  const JsonIn m = JsonIn::parse(R"({"x":{"b":true,"a":4294967299,"c":-1e30}})", "H.json", "");
  const auto mem = m.object("x").members();
  REQUIRE(mem.size() == 3);
  CHECK(mem[0].first == "a");
  CHECK(mem[0].second.path() == "x.a");
  CHECK(mem[0].second.as_integer_clamped(0, 100) == 100);  // 2^32 + 3 clamps, never wraps to 3
  CHECK(mem[2].second.as_integer_clamped(-5, 5) == -5);
  CHECK(mem[1].second.as_boolean());
  CHECK(error_of([&] { mem[0].second.as_boolean(); }) == "H.json: x.a is 4294967299 (a whole number), expected true or false");
  CHECK(error_of([&] { j.value("f").members(); }).find("cfg.f is [1,\"x\"] (a list), expected an object") != std::string::npos);
  CHECK(error_of([&] { m.value("x").elements(); }).find("H.json: x is") != std::string::npos);
}

// [SECTION] checkpoints
TEST_CASE("robustness: damaged Glassbox GPT checkpoints are refused with the file, field and problem") {
  const std::string good = write("gpt_good.safetensors", tiny_gpt());
  CHECK(error_of([&] { load_gpt(good); }).empty());  // the generator makes a loadable file
  auto cfg_with = [](const std::string& k, const std::string& v) {
    nlohmann::json j = nlohmann::json::parse(tiny_gpt_config().to_json());
    j[k] = nlohmann::json::parse(v);
    return j.dump();
  };
  const std::string header_ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  std::vector<Case> cases = {
      {"sizes a header promises", "256 layers x 16384 wide in a tiny file",
       [&] { return write("gpt_huge.safetensors", with_meta(tiny_gpt(), kMetaConfig, R"({"n_layer":256,"n_head":16,"n_embd":16384,"block_size":8,"vocab_size":16})")); },
       load_gpt_file, {"wte.weight", "implies", "16384"}},
      {"sizes a header promises", "vocabulary of a million",
       [&] { return write("gpt_vocab.safetensors", with_meta(tiny_gpt(), kMetaConfig, cfg_with("vocab_size", "1000000"))); },
       load_gpt_file, {"wte.weight", "implies", "1000000"}},
      {"metadata of the wrong type", "n_embd a string",
       [&] { return write("gpt_str.safetensors", with_meta(tiny_gpt(), kMetaConfig, cfg_with("n_embd", "\"8\""))); },
       load_gpt_file, {"glassbox.config.n_embd", "a string"}},
      {"metadata of the wrong type", "n_layer 2^32 + 32 (wraps to 32 in an int)",
       [&] { return write("gpt_wrap.safetensors", with_meta(tiny_gpt(), kMetaConfig, cfg_with("n_layer", "4294967328"))); },
       load_gpt_file, {"glassbox.config.n_layer", "4294967328"}},
      {"metadata of the wrong type", "ln_eps a list",
       [&] { return write("gpt_eps.safetensors", with_meta(tiny_gpt(), kMetaConfig, cfg_with("ln_eps", "[1]"))); },
       load_gpt_file, {"glassbox.config.ln_eps"}},
      {"metadata of the wrong type", "config not JSON",
       [&] { return write("gpt_nojson.safetensors", with_meta(tiny_gpt(), kMetaConfig, "{n_layer: 1")); },
       load_gpt_file, {"glassbox.config is not valid JSON"}},
      {"NaN and Inf in weights", "all weights NaN",
       [&] {
         SafeTensors st = tiny_gpt();
         for (auto& t : std::vector<SafeTensor>(st.tensors())) st = with_value(st, t.name, std::nanf(""));
         return write("gpt_allnan.safetensors", st);
       },
       load_gpt_file, {"NaN", "not finite"}},
      {"NaN and Inf in weights", "one NaN in one matrix",
       [&] { return write("gpt_onenan.safetensors", with_value(tiny_gpt(), "h.0.attn.c_proj.weight", std::nanf(""), 5)); },
       load_gpt_file, {"h.0.attn.c_proj.weight", "NaN at element 5", "1 of its 64"}},
      {"NaN and Inf in weights", "+Inf in a LayerNorm gain (stored fp16)",
       [&] {
         SafeTensors st = tiny_gpt();
         std::vector<float> g(8, 1.0f);
         g[3] = std::numeric_limits<float>::infinity();
         st.add("h.0.ln_1.weight", {8}, g.data(), DType::F16);
         return write("gpt_inf.safetensors", st);
       },
       load_gpt_file, {"h.0.ln_1.weight", "+Inf at element 3"}},
      {"files that are almost right", "trailing bytes after the last tensor",
       [&] {
         std::string b = serialize_safetensors(tiny_gpt()) + "JUNKJUNK";
         write_file_atomic(at("gpt_trailing.safetensors"), b);
         return at("gpt_trailing.safetensors");
       },
       load_gpt_file, {"8 trailing bytes after the last tensor"}},
      {"files that are almost right", "a layer the config does not have (h.1 with n_layer 1)",
       [&] {
         SafeTensors st = tiny_gpt();
         std::vector<float> g(8, 1.0f);
         st.add("h.1.ln_1.weight", {8}, g.data());
         return write("gpt_extra_layer.safetensors", st);
       },
       load_gpt_file, {"h.1.ln_1.weight", "n_layer 1", "disagree"}},
      {"files that are almost right", "two tensors with the same name",
       [&] {
         return raw_file("dup.safetensors",
                         R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                         std::string(8, '\0'));
       },
       load_gpt_file, {"two entries named `a`"}},
      {"files that are almost right", "overlapping data offsets",
       [&] {
         return raw_file("overlap.safetensors",
                         R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                         std::string(8, '\0'));
       },
       load_gpt_file, {"overlap"}},
      {"files that are almost right", "a gap between tensors",
       [&] {
         return raw_file("gap.safetensors",
                         R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                         std::string(12, '\0'));
       },
       load_gpt_file, {"belong to no tensor"}},
      {"files that are almost right", "offsets past the end (truncated)",
       [&] { return raw_file("short.safetensors", header_ok, std::string(10, '\0')); }, load_gpt_file, {"truncated"}},
      {"not a model file", "a text file",
       [&] {
         write_file_atomic(at("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
         return at("passwd");
       },
       load_gpt_file, {"is not a model file: it does not start with a safetensors header"}},
      {"not a model file", "an empty file",
       [&] {
         write_file_atomic(at("empty.safetensors"), "");
         return at("empty.safetensors");
       },
       load_gpt_file, {"is not a model file"}},
  };
  run_cases(cases);
}

TEST_CASE("robustness: the JSON order of tensors may differ from their byte order (the format allows it)") {
  // Accepted with a stated reason: Hugging Face's reader sorts by offset too.
  const std::string p = raw_file("reordered.safetensors",
                                 R"({"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                                 std::string(8, '\0'));
  SafeTensors st = read_safetensors(p);
  REQUIRE(st.tensors().size() == 2);
  CHECK(st.tensors()[0].name == "a");
}

TEST_CASE("robustness: the memory check runs before allocating") {
  const std::string good = write("gpt_mem.safetensors", tiny_gpt());
  ::setenv("GLASSBOX_MEMORY_LIMIT", "1000", 1);
  const std::string msg = error_of([&] { load_gpt(good); });
  ::unsetenv("GLASSBOX_MEMORY_LIMIT");
  CHECK(msg.find(good) != std::string::npos);
  CHECK(msg.find("of memory available") != std::string::npos);
}

TEST_CASE("robustness: damaged Hugging Face folders") {
  CHECK(error_of([] { load_gpt(hf_folder("hf_good", kHfConfig)); }).empty());
  std::vector<Case> cases = {
      {"sizes a header promises", "config.json: n_embd 16384, vocabulary of a million",
       [] { return hf_folder("hf_huge", R"({"n_layer":1,"n_head":2,"n_embd":16384,"n_positions":8,"vocab_size":1000000})"); },
       load_gpt_file, {"config.json implies", "16384"}},
      {"metadata of the wrong type", "n_head a string",
       [] { return hf_folder("hf_str", R"({"n_layer":1,"n_head":"2","n_embd":8,"n_positions":8,"vocab_size":16})"); },
       load_gpt_file, {"config.json: n_head", "a string"}},
      {"metadata of the wrong type", "layer_norm_epsilon a string",
       [] { return hf_folder("hf_eps", R"({"n_layer":1,"n_head":2,"n_embd":8,"n_positions":8,"vocab_size":16,"layer_norm_epsilon":"x"})"); },
       load_gpt_file, {"layer_norm_epsilon"}},
      {"files that are almost right", "shard index with an empty weight_map",
       [] {
         const std::string d = hf_folder("hf_index_empty", kHfConfig, false);
         write_file_atomic(d + "/model.safetensors.index.json", R"({"weight_map":{}})");
         return d;
       },
       load_gpt_file, {"weight_map is empty"}},
      {"files that are almost right", "shard index naming a missing shard",
       [] {
         const std::string d = hf_folder("hf_index_missing", kHfConfig, false);
         write_file_atomic(d + "/model.safetensors.index.json", R"({"weight_map":{"wte.weight":"model-00001-of-00002.safetensors"}})");
         return d;
       },
       load_gpt_file, {"model-00001-of-00002.safetensors", "which is not in"}},
      {"files that are almost right", "shard index weight_map a list",
       [] {
         const std::string d = hf_folder("hf_index_list", kHfConfig, false);
         write_file_atomic(d + "/model.safetensors.index.json", R"({"weight_map":["a"]})");
         return d;
       },
       load_gpt_file, {"weight_map", "expected an object"}},
      {"metadata of the wrong type", "shard index weight_map naming a number, not a file",
       [] {
         const std::string d = hf_folder("hf_index_number", kHfConfig, false);
         write_file_atomic(d + "/model.safetensors.index.json", R"({"weight_map":{"wte.weight":3}})");
         return d;
       },
       load_gpt_file, {"model.safetensors.index.json: weight_map.wte.weight is 3 (a whole number), expected a string"}},
      {"files that are almost right", "n_layer 0 in a folder with a layer",
       [] { return hf_folder("hf_zero", R"({"n_layer":0,"n_head":2,"n_embd":8,"n_positions":8,"vocab_size":16})"); },
       load_gpt_file, {"n_layer"}},
  };
  run_cases(cases);
}

TEST_CASE("robustness: damaged image-GAN and diffusion checkpoints") {
  CHECK(error_of([] { ImageGan::load(write("gan_good.safetensors", tiny_gan())); }).empty());
  CHECK(error_of([] { load_diffusion_model(write("diff_good.safetensors", tiny_diffusion())); }).empty());
  std::vector<Case> cases = {
      {"sizes a header promises", "GAN with every dimension 4096",
       [] {
         return write("gan_huge.safetensors", with_meta(tiny_gan(), "glassbox.config",
                                                        R"({"z_dim":4096,"n_classes":4096,"emb_dim":4096,"g_ch0":4096,"g_ch1":4096,"d_ch0":4096,"d_ch1":4096,"d_feat":4096})"));
       },
       load_gan_file, {"implies", "4096"}},
      {"metadata of the wrong type", "GAN z_dim a float",
       [] {
         return write("gan_float.safetensors", with_meta(tiny_gan(), "glassbox.config",
                                                         R"({"z_dim":2.5,"n_classes":2,"emb_dim":2,"g_ch0":2,"g_ch1":2,"d_ch0":2,"d_ch1":2,"d_feat":2})"));
       },
       load_gan_file, {"glassbox.config.z_dim", "2.5"}},
      {"NaN and Inf in weights", "GAN: one NaN in the generator",
       [] { return write("gan_nan.safetensors", with_value(tiny_gan(), "g.fc.weight", std::nanf(""), 0)); },
       load_gan_file, {"g.fc.weight", "NaN"}},
      {"files that are almost right", "U-Net channel that wraps when narrowed (2^32 + 8)",
       [] {
         return write("diff_wrap.safetensors", with_meta(with_meta(tiny_diffusion(), "glassbox.model", "diffusion-unet"), "glassbox.config",
                                                         R"({"c0":4294967304,"c1":8,"emb":8,"tdim":8,"groups":4,"num_classes":0})"));
       },
       load_diffusion_file, {"glassbox.config.c0", "4294967304"}},
      {"files that are almost right", "schedule T that wraps when narrowed",
       [] { return write("diff_T.safetensors", with_meta(tiny_diffusion(), "glassbox.schedule", R"({"kind":"linear","T":4294967306})")); },
       load_diffusion_file, {"glassbox.schedule.T"}},
      {"metadata of the wrong type", "schedule kind a number",
       [] { return write("diff_kind.safetensors", with_meta(tiny_diffusion(), "glassbox.schedule", R"({"kind":1,"T":10})")); },
       load_diffusion_file, {"glassbox.schedule.kind"}},
      {"sizes a header promises", "2D model 4096 wide in a tiny file",
       [] { return write("diff_wide.safetensors", with_meta(tiny_diffusion(), "glassbox.config", R"({"hidden":4096,"layers":16,"tdim":4})")); },
       load_diffusion_file, {"implies", "4096"}},
      {"NaN and Inf in weights", "2D diffusion: -Inf in a bias",
       [] { return write("diff_inf.safetensors", with_value(tiny_diffusion(), "out.bias", -std::numeric_limits<float>::infinity(), 1)); },
       load_diffusion_file, {"out.bias", "-Inf"}},
  };
  run_cases(cases);
}

// [SECTION] training states (resume)
TEST_CASE("robustness: damaged transformer training states say what is damaged") {
  CHECK(error_of([] { Trainer::load_state(write("state_good.safetensors", tiny_state())); }).empty());
  auto state = [](const char* name, const char* key, const char* field, const char* value) {
    return [=] { return write(name, with_meta(tiny_state(), key, state_json_with(key, field, value))); };
  };
  std::vector<Case> cases = {
      {"sizes a header promises", "n_layer 1e8", state("st_layers.safetensors", "glassbox.train_config", "n_layer", "100000000"),
       resume_state, {"glassbox.train_config.n_layer", "100000000"}},
      {"sizes a header promises", "n_embd 1e9 (written as a float)", state("st_embd.safetensors", "glassbox.train_config", "n_embd", "1e9"),
       resume_state, {"glassbox.train_config.n_embd"}},
      {"sizes a header promises", "n_layer 200 (in range, but not in the file)", state("st_layers2.safetensors", "glassbox.train_config", "n_layer", "200"),
       resume_state, {"missing tensor `h.1.ln_1.weight`", "implies"}},
      {"sizes a header promises", "batch and context whose activations do not fit",
       [] {
         SafeTensors st = tiny_state();
         nlohmann::json j = nlohmann::json::parse(st.metadata.at("glassbox.train_config"));
         j["batch"] = 1 << 20;
         return write("st_batch.safetensors", with_meta(st, "glassbox.train_config", j.dump()));
       },
       [](const std::string& p) {  // 16 GB of activations against a 4 GB machine (whatever this one has)
         ::setenv("GLASSBOX_MEMORY_LIMIT", "4294967296", 1);
         struct Unset {
           ~Unset() { ::unsetenv("GLASSBOX_MEMORY_LIMIT"); }
         } unset;
         resume_state(p);
       },
       {"of memory available"}},
      {"metadata of the wrong type", "Adam step 1e23", state("st_adam.safetensors", "glassbox.train_state", "adam_t", "1e23"),
       resume_state, {"glassbox.train_state.adam_t", "e+22 (a number)"}},
      {"metadata of the wrong type", "no RNG state", state("st_norng.safetensors", "glassbox.train_state", "rng", ""),
       resume_state, {"glassbox.train_state.rng is missing"}},
      {"metadata of the wrong type", "no Adam step counter", state("st_noadam.safetensors", "glassbox.train_state", "adam_t", ""),
       resume_state, {"glassbox.train_state.adam_t is missing"}},
      {"metadata of the wrong type", "RNG word not hex", state("st_rngword.safetensors", "glassbox.train_state", "rng", R"(["zz","1","2","3"])"),
       resume_state, {"glassbox.train_state.rng[0]"}},
      {"metadata of the wrong type", "history entry a string", state("st_hist.safetensors", "glassbox.train_state", "history", R"([[1,"x",0,0,0]])"),
       resume_state, {"glassbox.train_state.history[0][1]"}},
      {"metadata of the wrong type", "lr a string", state("st_lr.safetensors", "glassbox.train_config", "lr", "\"fast\""),
       resume_state, {"glassbox.train_config.lr", "a string"}},
      {"metadata of the wrong type", "no tokenizer",
       [] {
         SafeTensors st = tiny_state();
         st.metadata.erase("glassbox.tokenizer");
         return write("st_notok.safetensors", st);
       },
       resume_state, {"glassbox.tokenizer"}},
      {"NaN and Inf in weights", "NaN in the Adam moments",
       [] { return write("st_nan.safetensors", with_value(tiny_state(), "optim.v", std::nanf(""), 3)); },
       resume_state, {"optim.v", "NaN"}},
  };
  run_cases(cases);
}

TEST_CASE("robustness: a damaged image-GAN training state is refused before training") {
  SafeTensors st = tiny_gan();
  st.metadata["glassbox.train"] = R"({"batch":4,"lr_g":0.001,"lr_d":0.001,"beta1":0.5,"beta2":0.999,"loss":"ns","seed":"1","step":"1e23","opt_g_t":"1","opt_d_t":"1","rng":["1","2","3","4"]})";
  const std::string p = write("gan_state.safetensors", st);
  const std::string msg = error_of([&] { ImageGanTrainer::load_checkpoint(p); });
  CHECK(msg.find(p) != std::string::npos);
  CHECK(msg.find("glassbox.train.step") != std::string::npos);
}

// [SECTION] the command line: exit code 1 and nothing overwritten
TEST_CASE("robustness: the CLI exits 1 on bad files and a damaged --resume writes nothing") {
  auto cli = [](std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return cli::main(int(args.size()), argv.data(), cli::AppHooks{});
  };
  write_file_atomic(at("passwd2"), "root:x:0:0:root:/root:/bin/bash\n");
  CHECK(cli({"glassbox", "generate", "--model", at("passwd2"), "--ids", "1"}) == 1);
  CHECK(cli({"glassbox", "generate", "--model", write("cli_nan.safetensors", with_value(tiny_gpt(), "wte.weight", std::nanf(""))), "--ids", "1"}) == 1);
  CHECK(cli({"glassbox", "train", "transformer", "--report", write("cli_notok.safetensors", tiny_gpt())}) == 1);
  // A 300-character path: a clear error, not a crash.
  CHECK(cli({"glassbox", "generate", "--model", at(std::string(300, 'x') + ".safetensors"), "--ids", "1"}) == 1);

  SafeTensors st = with_meta(tiny_state(), "glassbox.train_state", state_json_with("glassbox.train_state", "adam_t", "1e23"));
  const std::string damaged = write("cli_damaged.state.safetensors", st);
  const std::string out = at("cli_out.safetensors");
  write_file_atomic(out, "the good model");
  const std::string before = read_file(damaged);
  CHECK(cli({"glassbox", "train", "transformer", "--resume", damaged, "--out", out}) == 1);
  CHECK(read_file(out) == "the good model");
  CHECK(read_file(damaged) == before);
  CHECK(!file_exists(out + ".state.safetensors"));
}

// [SECTION] empty and odd data
TEST_CASE("robustness: empty and odd data") {
  // An IDX pair with zero images.
  IdxArray images{{0, 28, 28}, {}}, labels{{0}, {}};
  const std::string msg = error_of([&] { fashion_from_arrays(images, labels, "zero-idx3-ubyte"); });
  CHECK(msg.find("zero-idx3-ubyte") != std::string::npos);
  CHECK(msg.find("no images") != std::string::npos);
  // An empty corpus.
  write_file_atomic(at("empty_corpus.txt"), "");
  CHECK(error_of([] { load_corpus(at("empty_corpus.txt")); }).find("empty") != std::string::npos);
  // A lesson folder that is a symlink to itself: `lessons check` / `list` report it and exit 1.
  const std::string loop = at("loop");
  fs::create_symlink(loop, loop);
  auto cli = [](std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return cli::main(int(args.size()), argv.data(), cli::AppHooks{});
  };
  CHECK(cli({"glassbox", "lessons", "check", "--dir", loop, "--json"}) == 1);
  CHECK(cli({"glassbox", "lessons", "list", "--dir", loop}) == 1);
}

// [SECTION] app commands keep what was loaded
TEST_CASE("robustness: `transformer load` and `gan load` of a bad file keep the loaded model and say why") {
  Session s;
  REQUIRE(s.run("transformer load random").ok);
  auto& tl = dynamic_cast<TransformerLab&>(s.lab("transformer"));
  const std::string before = tl.model_info().description;
  const std::vector<std::string> bad = {
      write("app_nan.safetensors", with_value(tiny_gpt(), "wte.weight", std::nanf(""), 2)),
      write("app_huge.safetensors", with_meta(tiny_gpt(), kMetaConfig, R"({"n_layer":256,"n_head":16,"n_embd":16384,"block_size":8,"vocab_size":16})")),
      [] {
        write_file_atomic(at("app_text.safetensors"), "hello");
        return at("app_text.safetensors");
      }(),
  };
  for (const std::string& p : bad) {
    CAPTURE(p);
    CommandResult r = s.run("transformer load " + quote_word(p));
    CHECK(!r.ok);
    CHECK(r.message.find(p) != std::string::npos);
    CHECK(tl.has_model());
    CHECK(tl.model_info().description == before);
  }

  auto& gl = dynamic_cast<GanLab&>(s.lab("gan"));
  const std::string good = write("app_gan.safetensors", tiny_gan());
  REQUIRE(s.run("gan load " + quote_word(good)).ok);
  for (const std::string& p : {write("app_gan_nan.safetensors", with_value(tiny_gan(), "d.fc.weight", std::nanf(""))), bad[2]}) {
    CommandResult r = s.run("gan load " + quote_word(p));
    CHECK(!r.ok);
    CHECK(r.message.find(p) != std::string::npos);
    CHECK(gl.has_image_model());
    CHECK(gl.image_source() == good);
  }
}

// [SECTION] `glassbox generate` like the app (issue 14, item 4)
namespace {
// Runs the CLI with stdout captured into a string.
std::string cli_stdout(std::vector<std::string> args, int& code) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::fflush(stdout);
  const int saved = ::dup(1);
  const std::string out_file = at("stdout.txt");
  FILE* f = std::fopen(out_file.c_str(), "wb");
  ::dup2(::fileno(f), 1);
  code = cli::main(int(args.size()), argv.data(), cli::AppHooks{});
  std::fflush(stdout);
  ::dup2(saved, 1);
  ::close(saved);
  std::fclose(f);
  return read_file(out_file);
}
}  // namespace

TEST_CASE("generate: without --model it uses the shipped stories model; control bytes print escaped for a terminal") {
  const std::string shipped = assets_dir() + "/models/stories-gpt.safetensors";
  if (!file_exists(shipped)) {
    MESSAGE("skipped: no shipped model at " << shipped);
    return;
  }
  const Tokenizer tok = Tokenizer::load(shipped);
  const std::string ids = std::to_string(tok.byte_token(0x1B)) + "," + std::to_string(tok.byte_token('\r'));
  int code = -1;
  const std::string raw = cli_stdout({"glassbox", "generate", "--ids", ids, "--max-new", "1", "--greedy"}, code);
  CHECK(code == 0);  // no --model needed
  CHECK(raw.find('\x1b') != std::string::npos);  // to a file: the bytes as generated
  ::setenv("GLASSBOX_ESCAPE_OUTPUT", "1", 1);    // as for a terminal
  const std::string shown = cli_stdout({"glassbox", "generate", "--ids", ids, "--max-new", "1", "--greedy"}, code);
  ::unsetenv("GLASSBOX_ESCAPE_OUTPUT");
  CHECK(code == 0);
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\r') == std::string::npos);
  CHECK(shown.find("<1B 0D>") != std::string::npos);
}
