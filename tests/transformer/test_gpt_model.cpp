// GPT inference: cached decoding agrees with the traced uncached pass, causality, undo by cache
// truncation, trace contents, checkpoint round trips and every loader error path.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/safetensors.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt.hpp"
#include "common/tiny_models.hpp"

using namespace gb;
namespace fs = std::filesystem;

namespace {
GptConfig small_config() { return test::tiny_gpt_config(37, 12, 2); }
// A random model with larger-than-init weights so every path matters numerically.
Gpt small_model(uint64_t seed = 5) {
  Gpt m(small_config());
  Rng rng(seed);
  for (auto& v : m.params.views()) {
    float* p = m.params.data.data() + v.offset;
    const bool ln_w = v.name.find("ln_") != std::string::npos && v.name.find(".weight") != std::string::npos;
    for (size_t i = 0; i < v.size; ++i) p[i] = (ln_w ? 1.0f : 0.0f) + rng.normal_f() * 0.3f;
  }
  return m;
}
std::vector<int32_t> random_ids(Rng& rng, int n, int V) {
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (auto& t : ids) t = int32_t(rng.below(uint64_t(V)));
  return ids;
}
double max_abs_diff(const float* a, const float* b, size_t n) {
  double m = 0;
  for (size_t i = 0; i < n; ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
  return m;
}
std::string tmp_path(const std::string& name) { return (fs::temp_directory_path() / ("gb_h3_" + name)).string(); }
}  // namespace

TEST_CASE("cached decoding (prefill + one token at a time) agrees with the uncached traced pass") {
  Gpt m = small_model();
  Rng rng(11);
  const int T = m.config.block_size;
  auto ids = random_ids(rng, T, m.config.vocab_size);
  Trace tr = gpt_trace(m, ids);
  REQUIRE(tr.logits.rows() == T);
  const int V = m.config.vocab_size;

  for (int threads : {1, 2}) {
    m.threads = threads;
    KvCache cache;
    std::vector<float> logits;
    gpt_decode(m, cache, ids.data(), 4, logits);  // prefill 4 tokens at once
    // Tolerance: two float32 paths (GEMM vs GEMV, different summation orders) over 2 layers with
    // weights ~0.3; observed differences are ~1e-6, 1e-4 leaves room without hiding a real bug.
    CHECK(max_abs_diff(logits.data(), tr.logits.data() + 3 * V, size_t(V)) < 1e-4);
    for (int t = 4; t < T; ++t) {
      gpt_decode(m, cache, &ids[size_t(t)], 1, logits);
      CAPTURE(t);
      CHECK(max_abs_diff(logits.data(), tr.logits.data() + size_t(t) * V, size_t(V)) < 1e-4);
    }
    CHECK(cache.length == T);
    // The context is full: one more token is an error, not a crash.
    CHECK_THROWS_AS(gpt_decode(m, cache, ids.data(), 1, logits), Error);

    // Undo: truncate to 6 positions and decode the same tokens again.
    cache.truncate(6);
    gpt_decode(m, cache, &ids[6], 1, logits);
    CHECK(max_abs_diff(logits.data(), tr.logits.data() + 6 * V, size_t(V)) < 1e-4);
  }
}

TEST_CASE("decoding gives bit-identical logits with 1, 2 or 3 threads (same tokens on any core count)") {
  // c_fc is 2048 × 512 = 1M weights: big enough to be split over threads
  const GptConfig c = test::tiny_gpt_config(2100, 16, 1, 4, 512);
  auto mp = test::tiny_gpt(c, 3);
  Gpt& m = *mp;
  std::vector<int32_t> ids = {1, 2, 3, 4, 5};
  std::vector<std::vector<float>> out;
  for (int t : {1, 2, 3}) {
    m.threads = t;
    KvCache kc;
    std::vector<float> lg;
    gpt_decode(m, kc, ids.data(), 5, lg);  // prefill (GEMM path)
    int32_t x = 7;
    gpt_decode(m, kc, &x, 1, lg);  // one token (GEMV path)
    out.push_back(lg);
  }
  CHECK(out[1] == out[0]);
  CHECK(out[2] == out[0]);
}

TEST_CASE("causality: changing a later token never changes an earlier position") {
  Gpt m = small_model();
  Rng rng(12);
  auto ids = random_ids(rng, 10, m.config.vocab_size);
  TraceOptions opt;
  opt.logit_lens = true;
  Trace a = gpt_trace(m, ids, opt);
  auto ids2 = ids;
  ids2[7] = (ids2[7] + 1) % m.config.vocab_size;
  ids2[9] = (ids2[9] + 5) % m.config.vocab_size;
  Trace b = gpt_trace(m, ids2, opt);
  const int V = m.config.vocab_size, C = m.config.n_embd;
  // Rows 0..6 of every recorded internal are bit-identical (rows of a product never mix).
  CHECK(max_abs_diff(a.logits.data(), b.logits.data(), size_t(7) * V) == 0.0);
  for (size_t l = 0; l < a.layers.size(); ++l) {
    CHECK(max_abs_diff(a.layers[l].resid_post.data(), b.layers[l].resid_post.data(), size_t(7) * C) == 0.0);
    for (size_t h = 0; h < a.layers[l].attn_weights.size(); ++h)
      CHECK(max_abs_diff(a.layers[l].attn_weights[h].data(), b.layers[l].attn_weights[h].data(), size_t(7) * 10) == 0.0);
  }
  // …and position 7 does change.
  CHECK(max_abs_diff(a.logits.data() + 7 * V, b.logits.data() + 7 * V, size_t(V)) > 1e-3);
}

TEST_CASE("trace records consistent internals and the logit lens") {
  Gpt m = small_model();
  Rng rng(13);
  auto ids = random_ids(rng, 6, m.config.vocab_size);
  TraceOptions opt;
  opt.logit_lens = true;
  opt.lens_top = 5;
  Trace tr = gpt_trace(m, ids, opt);
  const int T = 6, C = m.config.n_embd, H = m.config.n_head;
  CHECK(tr.tok_emb.rows() == T);
  CHECK(tr.embed == Mat(tr.tok_emb + tr.pos_emb));
  REQUIRE(tr.layers.size() == 2);
  for (auto& lt : tr.layers) {
    CHECK(lt.q.cols() == C);
    REQUIRE(int(lt.attn_weights.size()) == H);
    CHECK(std::isinf(lt.attn_scores[0](0, 1)));
    CHECK(lt.attn_weights[1].row(T - 1).sum() == doctest::Approx(1.0));
    CHECK(((lt.resid_mid + lt.mlp_out) - lt.resid_post).cwiseAbs().maxCoeff() < 1e-6f);
    CHECK(lt.mlp_act.cols() == 4 * C);
    REQUIRE(lt.lens_top.size() == size_t(T));
    CHECK(lt.lens_top[0].size() == 5);
    CHECK(std::isnan(lt.lens_next_prob[T - 1]));
  }
  // The last layer's lens is the model's own prediction.
  auto top = top_tokens(tr.logits.data() + 2 * m.config.vocab_size, m.config.vocab_size, 5);
  CHECK(tr.layers.back().lens_top[2][0].id == top[0].id);
  CHECK(tr.layers.back().lens_top[2][0].prob == doctest::Approx(top[0].prob).epsilon(1e-5));
  // Lean trace: no attention/MLP matrices kept.
  TraceOptions lean;
  lean.attention = false;
  lean.mlp = false;
  Trace t2 = gpt_trace(m, ids, lean);
  CHECK(t2.layers[0].attn_weights.empty());
  CHECK(t2.layers[0].mlp_act.size() == 0);
  CHECK((t2.logits - tr.logits).cwiseAbs().maxCoeff() == 0.0f);
  CHECK_THROWS_AS(gpt_trace(m, {1, 2, 99}), Error);  // id outside the vocabulary
  CHECK_THROWS_AS(gpt_trace(m, std::vector<int32_t>(13, 1)), Error);  // longer than the context
}

TEST_CASE("Glassbox checkpoint round trip: F32 exact, F16/BF16 within rounding") {
  Gpt m = small_model();
  const std::string path = tmp_path("ckpt.safetensors");
  save_gpt_checkpoint(path, m, "{\"tok\":1}", DType::F32, {{"note", "x"}});
  LoadedGpt l = load_gpt(path);
  CHECK(l.format == "glassbox");
  CHECK(l.tokenizer_json == "{\"tok\":1}");
  CHECK(l.metadata.at("note") == "x");
  CHECK(l.model.config.to_json() == m.config.to_json());
  CHECK(l.model.params.data == m.params.data);
  for (DType d : {DType::F16, DType::BF16}) {
    save_gpt_checkpoint(path, m, "", d);
    LoadedGpt h = load_gpt_checkpoint(path);
    const double tol = d == DType::F16 ? 2e-3 : 1.6e-2;  // relative rounding of fp16 / bf16
    for (size_t i = 0; i < m.params.data.size(); ++i)
      CHECK(std::abs(h.model.params.data[i] - m.params.data[i]) <= tol * std::abs(m.params.data[i]) + 1e-7);
  }
  fs::remove(path);
}

TEST_CASE("checkpoint loaders reject bad input with messages naming the file") {
  Gpt m = small_model();
  const std::string path = tmp_path("bad.safetensors");
  SafeTensors st;
  for (auto& v : m.params.views())
    st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), m.params.data.data() + v.offset);

  SUBCASE("no glassbox.config") {
    write_safetensors(path, st);
    CHECK_THROWS_WITH_AS(load_gpt_checkpoint(path), doctest::Contains("not a Glassbox GPT checkpoint"), Error);
    CHECK_THROWS_WITH_AS(load_gpt(path), doctest::Contains(path.c_str()), Error);
  }
  SUBCASE("config not JSON") {
    st.metadata[kMetaConfig] = "{n_layer: 2";
    write_safetensors(path, st);
    CHECK_THROWS_WITH_AS(load_gpt_checkpoint(path), doctest::Contains("not valid JSON"), Error);
  }
  SUBCASE("config impossible") {
    GptConfig c = small_config();
    c.n_head = 3;  // 16 % 3 != 0
    st.metadata[kMetaConfig] = c.to_json();
    write_safetensors(path, st);
    CHECK_THROWS_WITH_AS(load_gpt_checkpoint(path), doctest::Contains("not a multiple of n_head"), Error);
  }
  SUBCASE("config disagrees with the tensors") {
    GptConfig c = small_config();
    c.vocab_size = 40;
    st.metadata[kMetaConfig] = c.to_json();
    write_safetensors(path, st);
    CHECK_THROWS_WITH_AS(load_gpt_checkpoint(path), doctest::Contains("wte.weight` has the wrong shape"), Error);
  }
  SUBCASE("missing tensor") {
    SafeTensors s2;
    s2.metadata[kMetaConfig] = small_config().to_json();
    for (auto& t : st.tensors())
      if (t.name != "h.1.mlp.c_fc.bias") s2.add_raw(t.name, t.dtype, t.shape, t.bytes, t.nbytes);
    write_safetensors(path, s2);
    CHECK_THROWS_WITH_AS(load_gpt_checkpoint(path), doctest::Contains("missing tensor `h.1.mlp.c_fc.bias`"), Error);
  }
  SUBCASE("truncated file") {
    st.metadata[kMetaConfig] = small_config().to_json();
    std::string bytes = serialize_safetensors(st);
    write_file_atomic(path, bytes.substr(0, bytes.size() - 100));
    CHECK_THROWS_WITH_AS(load_gpt(path), doctest::Contains("past the end"), Error);
  }
  SUBCASE("not a file at all") {
    CHECK_THROWS_WITH_AS(load_gpt(tmp_path("does-not-exist")), doctest::Contains("no such file"), Error);
  }
  fs::remove(path);
}

TEST_CASE("Hugging Face folder loader: layout, prefixes, and config errors") {
  Gpt m = small_model();
  const std::string dir = tmp_path("hf");
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto write_config = [&](const std::string& json) { write_file_atomic(dir + "/config.json", json); };
  // HF layout: transformer. prefix, Conv1D weights (In, Out), F16 for one tensor.
  SafeTensors st;
  for (auto& v : m.params.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    const float* src = m.params.data.data() + v.offset;
    std::vector<float> buf(src, src + v.size);
    const bool conv = v.name.find("c_attn.weight") != std::string::npos || v.name.find("c_proj.weight") != std::string::npos ||
                      v.name.find("c_fc.weight") != std::string::npos;
    if (conv) {
      MatMap(buf.data(), shape[1], shape[0]) = CMatMap(src, shape[0], shape[1]).transpose();
      std::swap(shape[0], shape[1]);
    }
    st.add("transformer." + v.name, shape, buf.data(), v.name == "wpe.weight" ? DType::F16 : DType::F32);
  }
  write_safetensors(dir + "/model.safetensors", st);
  const std::string good = R"({"model_type":"gpt2","n_layer":2,"n_head":2,"n_embd":16,"n_positions":12,"vocab_size":37,"activation_function":"gelu_new"})";
  write_config(good);
  LoadedGpt l = load_gpt(dir);
  CHECK(l.format == "huggingface");
  CHECK(l.tokenizer_folder == dir);
  // Same weights (wpe through fp16) → same logits within fp16 rounding of the position table.
  Rng rng(14);
  auto ids = random_ids(rng, 8, 37);
  Trace a = gpt_trace(m, ids), b = gpt_trace(l.model, ids);
  CHECK((a.logits - b.logits).cwiseAbs().maxCoeff() < 5e-2f);
  CHECK(load_gpt(dir + "/model.safetensors").format == "huggingface");

  SUBCASE("config: wrong width for the tensors") {
    write_config(R"({"n_layer":2,"n_head":2,"n_embd":18,"n_positions":12,"vocab_size":37})");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("config.json implies"), Error);
  }
  SUBCASE("config: missing key") {
    write_config(R"({"n_layer":2,"n_head":2,"n_positions":12,"vocab_size":37})");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("missing `n_embd`"), Error);
  }
  SUBCASE("config: another architecture") {
    write_config(R"({"model_type":"llama","n_layer":2,"n_head":2,"n_embd":16,"n_positions":12,"vocab_size":37})");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("not supported"), Error);
  }
  SUBCASE("config: not JSON") {
    write_config("{");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("config.json: not valid JSON"), Error);
  }
  SUBCASE("more layers in the config than in the file") {
    write_config(R"({"n_layer":3,"n_head":2,"n_embd":16,"n_positions":12,"vocab_size":37})");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("missing tensor `h.2."), Error);
  }
  SUBCASE("no weights") {
    fs::remove(dir + "/model.safetensors");
    CHECK_THROWS_WITH_AS(load_gpt(dir), doctest::Contains("no model.safetensors"), Error);
  }
  fs::remove_all(dir);
}
