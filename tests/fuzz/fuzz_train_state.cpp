// Fuzzes resuming a transformer training state: a tiny valid state is made once; each input
// replaces one of its metadata entries (train_config, train_state, tokenizer; chosen by the first
// byte) or, with the first byte 3, is the whole file. Resuming gives a trainer or a gb::Error
// naming the file — never a crash, an uncaught exception or a huge allocation.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "fuzz_common.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/tokenizer.hpp"
#include "models/transformer/train.hpp"

namespace {
const gb::SafeTensors& base() {
  static const gb::SafeTensors st = [] {
    const std::string text = gb::tiny_corpus();
    gb::Tokenizer tok = gb::Tokenizer::train(text, 264, {});
    std::vector<int> ids = tok.encode(text);
    gb::TrainConfig c;
    c.model.n_layer = 1;
    c.model.n_head = 1;
    c.model.n_embd = 4;
    c.model.block_size = 4;
    c.model.vocab_size = tok.vocab_size();
    c.batch = 1;
    c.steps = 2;
    gb::Trainer t(c, std::vector<int32_t>(ids.begin(), ids.end()), tok.to_json().dump());
    const std::string path = "/tmp/fuzz_train_state_base.safetensors";
    t.save_state(path);
    gb::SafeTensors s = gb::read_safetensors(path);
    return gb::parse_safetensors(gb::serialize_safetensors(s), "fuzz.state.safetensors");
  }();
  return st;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const char* keys[] = {"glassbox.train_config", "glassbox.train_state", "glassbox.tokenizer"};
  try {
    gb::SafeTensors st;
    if (data[0] % 4 == 3) {
      st = gb::parse_safetensors(text, "fuzz.state.safetensors");
    } else {
      st = base();
      st.metadata[keys[data[0] % 4]] = text;
    }
    std::unique_ptr<gb::Trainer> t = gb::Trainer::load_state(st);
    if (t->steps_done() < 0 || t->steps_done() > t->config().steps) gb::fuzz::die("resumed past the end of the run");
    if (t->params().count() != size_t(t->config().model.param_count())) gb::fuzz::die("parameters do not match the config");
  } catch (const gb::Error& e) {
    if (std::string(e.what()).find("fuzz.state.safetensors") == std::string::npos) gb::fuzz::die("error does not name the file");
  }
  return 0;
}
