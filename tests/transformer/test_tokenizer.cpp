// Byte-level BPE tokenizer: UTF-8 display, GPT-2 pre-tokenisation, training, lossless round trips
// on random bytes, encoding checked against a naive reference BPE, merge traces, JSON round trip,
// GPT-2 files (when assets/gpt2 exists) and every loader error path.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/rng.hpp"
#include "core/safetensors.hpp"
#include "core/utf8.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/tokenizer.hpp"

using namespace gb;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> pieces(std::string_view s) {
  std::vector<std::string> out;
  for (auto [b, e] : pretokenize_gpt2(s)) out.emplace_back(s.substr(b, e - b));
  return out;
}

// Random bytes, biased towards text-like content: ASCII words and spaces, multi-byte UTF-8,
// truncated sequences and bytes that are never valid UTF-8.
std::string random_bytes(Rng& rng, size_t n) {
  static const std::vector<std::string> bits = {"the", " cat", "'s", "'ll", "  ", "\n", "\t", " ", "42", "é", "日本",
                                                "🎉", "\xE6\x97", "\xFF", "\xC0\x80", "\xED\xA0\x80", "!!", "<|endoftext|>"};
  std::string s;
  while (s.size() < n) {
    uint64_t kind = rng.below(3);
    if (kind == 0) s += char(rng.below(256));
    else s += bits[rng.below(bits.size())];
  }
  return s;
}

// GPT-2's bpe(), written the plain way: find the lowest-ranked pair, merge it everywhere left to
// right, repeat. Used to check the heap-based encoder.
std::vector<int> naive_encode(const Tokenizer& t, std::string_view text) {
  std::vector<int> out;
  std::map<std::pair<int, int>, int> rank;
  for (size_t r = 0; r < t.merges().size(); ++r) rank[{t.merges()[r].left, t.merges()[r].right}] = int(r);
  for (auto [b, e] : pretokenize_gpt2(text)) {
    std::vector<int> w;
    for (size_t i = b; i < e; ++i) w.push_back(t.byte_token(uint8_t(text[i])));
    for (;;) {
      int best = -1;
      for (size_t i = 0; i + 1 < w.size(); ++i) {
        auto it = rank.find({w[i], w[i + 1]});
        if (it != rank.end() && (best < 0 || it->second < best)) best = it->second;
      }
      if (best < 0) break;
      auto m = t.merges()[best];
      std::vector<int> nw;
      for (size_t i = 0; i < w.size();) {
        if (i + 1 < w.size() && w[i] == m.left && w[i + 1] == m.right) nw.push_back(m.merged), i += 2;
        else nw.push_back(w[i++]);
      }
      w = nw;
    }
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("gb_tok_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return (path / name).string();
  }
};

// Checks that `f` throws gb::Error whose message contains every one of `parts`.
template <class F>
void check_error(F&& f, std::vector<std::string> parts) {
  std::string msg;
  try {
    f();
  } catch (const Error& e) {
    msg = e.what();
  }
  CAPTURE(msg);
  REQUIRE(!msg.empty());
  for (auto& p : parts) {
    CAPTURE(p);
    CHECK(msg.find(p) != std::string::npos);
  }
}

const Tokenizer& story_tokenizer() {
  static const Tokenizer t = Tokenizer::train(generate_stories(3, 200'000), 600);
  return t;
}

std::string gpt2_dir() { return assets_dir() + "/gpt2"; }
bool have_gpt2() { return file_exists(gpt2_dir() + "/encoder.json") && file_exists(gpt2_dir() + "/vocab.bpe"); }

}  // namespace

TEST_CASE("token_display shows text as text and broken bytes as hex") {
  CHECK(token_display("hello") == "hello");
  CHECK(token_display("日本") == "日本");
  CHECK(token_display("\xE6\x97") == "<E6 97>");            // first two bytes of 日
  CHECK(token_display("a\xE6\x97" "b") == "a<E6 97>b");
  CHECK(token_display("\xFF\xFE") == "<FF FE>");
  CHECK(token_display("\xC0\x80") == "<C0 80>");            // overlong NUL
  CHECK(token_display("\xED\xA0\x80") == "<ED A0 80>");     // UTF-16 surrogate
  CHECK(token_display(std::string("\x1B[0m", 4)) == "<1B>[0m");
  CHECK(token_display(std::string(1, '\0')) == "<00>");
  CHECK(token_display(" a\n") == " a\n");
  CHECK(token_display_visible(" a\n\t") == "␣a↵⇥");
  CHECK(token_display_visible("\xE6 ") == "<E6>␣");
  CHECK(token_display("\xE2\x80\xA8").size() == 3);         // U+2028 is valid text, kept
  CHECK(utf8_valid("añ日🎉"));
  CHECK_FALSE(utf8_valid("\xF4\x90\x80\x80"));              // > U+10FFFF
  CHECK_FALSE(utf8_valid("\xE6\x97"));
}

TEST_CASE("GPT-2 pre-tokenisation matches the regex on hand-checked cases") {
  // Expected splits printed by node from the same regex (/…/gu) in JavaScript.
  using V = std::vector<std::string>;
  CHECK(pieces("Hello world") == V{"Hello", " world"});
  CHECK(pieces("it's I'll've") == V{"it", "'s", " I", "'ll", "'ve"});
  CHECK(pieces("   x") == V{"  ", " x"});
  CHECK(pieces("a  \n\nb") == V{"a", "  \n", "\n", "b"});
  CHECK(pieces("123abc 42x") == V{"123", "abc", " 42", "x"});
  CHECK(pieces("x!!  ") == V{"x", "!!", "  "});
  CHECK(pieces(" 'sup") == V{" '", "sup"});
  CHECK(pieces("''s") == V{"''", "s"});
  CHECK(pieces("café naïve") == V{"café", " naïve"});
  CHECK(pieces("日本語テキスト") == V{"日本語テキスト"});
  CHECK(pieces("\t\tfoo\n") == V{"\t", "\t", "foo", "\n"});
  CHECK(pieces("a \u00a0b") == V{"a", " ", "\u00a0", "b"});
  CHECK(pieces("$3.50, ok?") == V{"$", "3", ".", "50", ",", " ok", "?"});
  // Bytes that are not UTF-8 belong to the "other" class.
  CHECK(pieces("a\xFF\xFE" "b \xE6") == V{"a", "\xFF\xFE", "b", " \xE6"});
  CHECK(pieces("").empty());
}

TEST_CASE("trained tokenizer: vocabulary, determinism, specials") {
  const Tokenizer& t = story_tokenizer();
  CHECK(t.vocab_size() == 600);
  CHECK(t.merges().size() == 600 - 256 - 1);
  CHECK(t.special_id("<|endoftext|>") == 599);
  CHECK(t.is_special(599));
  CHECK_FALSE(t.is_special(300));
  for (int b = 0; b < 256; ++b) CHECK(t.byte_token(uint8_t(b)) == b);
  // merges learnt first are the most frequent pairs of English text, within words
  for (auto& m : t.merges()) CHECK(t.token_bytes(m.merged) == t.token_bytes(m.left) + t.token_bytes(m.right));
  std::string the = t.token_bytes(t.encode(" the")[0]);
  CHECK(the == " the");
  Tokenizer again = Tokenizer::train(generate_stories(3, 200'000), 600);
  CHECK(again.to_json() == t.to_json());
  // A tiny text runs out of pairs that occur twice before reaching the size asked for.
  Tokenizer small = Tokenizer::train("abab cdcd", 1000, {});
  CHECK(small.vocab_size() < 1000);
  CHECK(small.vocab_size() == 258);  // "ab" and "cd" occur twice; nothing else does
  CHECK(small.encode("abab").size() == 2);
  CHECK_THROWS_AS(Tokenizer::train("x", 100), Error);
}

TEST_CASE("encode/decode round-trips any bytes, invalid UTF-8 included") {
  const Tokenizer& t = story_tokenizer();
  Rng rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::string s = random_bytes(rng, rng.below(200));
    std::vector<int> ids = t.encode(s);
    REQUIRE(t.decode(ids) == s);
    std::vector<int> plain = t.encode(s, false);
    REQUIRE(t.decode(plain) == s);
  }
  std::string all;
  for (int b = 0; b < 256; ++b) all += char(b);
  CHECK(t.decode(t.encode(all)) == all);
  CHECK(t.encode("").empty());
  // the special token is one id when allowed, ordinary text otherwise
  CHECK(t.encode("<|endoftext|>") == std::vector<int>{599});
  CHECK(t.encode("<|endoftext|>", false).size() > 1);
  CHECK_THROWS_AS(t.decode({600}), Error);
  CHECK_THROWS_AS(t.decode({-1}), Error);
}

TEST_CASE("heap-based encoder agrees with a naive reference BPE") {
  const Tokenizer& t = story_tokenizer();
  Rng rng(11);
  std::string stories = generate_stories(99, 20'000);
  for (int trial = 0; trial < 200; ++trial) {
    std::string s = trial % 2 ? random_bytes(rng, rng.below(120)) : stories.substr(rng.below(19'000), 1 + rng.below(800));
    if (s.find("<|endoftext|>") != std::string::npos) continue;
    REQUIRE(t.encode(s) == naive_encode(t, s));
  }
  // Long single pieces (a run with no word breaks) exercise the heap path.
  std::string run(5000, 'a');
  Tokenizer aa = Tokenizer::train(run + " " + run, 270, {});
  CHECK(aa.encode(run) == naive_encode(aa, run));
  CHECK(aa.decode(aa.encode(run)) == run);
}

TEST_CASE("encode_with_steps replays the merges and ends at encode's result") {
  const Tokenizer& t = story_tokenizer();
  std::string text = "Once upon a time, the little cat's hat was red.<|endoftext|>\xE6\x97 ok";
  BpeTrace tr = t.encode_with_steps(text);
  CHECK(tr.final_ids() == t.encode(text));
  CHECK(tr.initial.size() == text.size() - std::string("<|endoftext|>").size() + 1);
  REQUIRE(!tr.steps.empty());
  size_t prev_len = tr.initial.size();
  int prev_rank = -1;
  for (auto& s : tr.steps) {
    CHECK(s.rank > prev_rank);  // lowest rank first
    CHECK(s.count >= 1);
    CHECK(s.ids.size() == prev_len - size_t(s.count));
    CHECK(t.decode(s.ids) == text);
    prev_len = s.ids.size();
    prev_rank = s.rank;
  }
  // pieces cover the text without gaps
  size_t at = 0;
  for (auto [b, e] : tr.pieces) {
    CHECK(b == at);
    at = e;
  }
  CHECK(at == text.size());
  Rng rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    std::string s = random_bytes(rng, rng.below(100));
    REQUIRE(t.encode_with_steps(s).final_ids() == t.encode(s));
  }
}

TEST_CASE("Glassbox JSON round-trips exactly and rejects bad input") {
  const Tokenizer& t = story_tokenizer();
  nlohmann::json j = t.to_json();
  Tokenizer back = Tokenizer::from_json(nlohmann::json::parse(j.dump()));
  CHECK(back.to_json() == j);
  std::string s = "The dog's ball rolled away. 日本\xFF";
  CHECK(back.encode(s) == t.encode(s));

  auto bad = [&](auto edit, std::string part) {
    nlohmann::json k = j;
    edit(k);
    check_error([&] { Tokenizer::from_json(k, "model.safetensors"); }, {"model.safetensors", part});
  };
  bad([](nlohmann::json& k) { k["format"] = "other"; }, "format");
  bad([](nlohmann::json& k) { k["version"] = 2; }, "version");
  bad([](nlohmann::json& k) { k["tokens"][300] = "\u4e00"; }, "stands for no byte");
  bad([](nlohmann::json& k) { k["tokens"][65] = "B"; }, "appears twice");
  bad([](nlohmann::json& k) { k["tokens"].erase(k["tokens"].begin() + 65); }, "");
  bad([](nlohmann::json& k) { k["merges"][0] = {1, 2}; }, "merges[0]");
  bad([](nlohmann::json& k) { k["merges"][3][2] = 5; }, "not left + right");
  bad([](nlohmann::json& k) { k["merges"][4][0] = 100000; }, "merges[4][0] is 100000 (a whole number), expected a whole number from 0 to");
  bad([](nlohmann::json& k) { k["merges"].push_back(k["merges"][0]); }, "duplicate merge");
  bad([](nlohmann::json& k) { k["specials"][0]["id"] = 3; }, "does not match");
  bad([](nlohmann::json& k) { k["tokens"] = 5; }, "tokens");
  check_error([] { Tokenizer::from_json(nlohmann::json::array()); }, {"not a JSON object"});
}

TEST_CASE("loader error paths name the file and the problem") {
  TempDir d;
  const std::string header = "#version: 0.2\n";
  // a minimal valid byte-level vocabulary: the 256 byte tokens in GPT-2's byte-to-text form
  nlohmann::json vocab = Tokenizer().to_json()["tokens"];
  nlohmann::json vmap = nlohmann::json::object();
  for (int i = 0; i < 256; ++i) vmap[vocab[i].get<std::string>()] = i;
  vmap["ab"] = 256;
  vmap["<|endoftext|>"] = 257;
  const std::string vjson = vmap.dump();

  // valid
  d.file("vocab.json", vjson);
  d.file("merges.txt", header + "a b\n");
  Tokenizer ok = Tokenizer::load_gpt2(d.path.string());
  CHECK(ok.vocab_size() == 258);
  CHECK(ok.encode("xab<|endoftext|>") == std::vector<int>{vmap["x"].get<int>(), 256, 257});

  // missing folder / files
  check_error([&] { Tokenizer::load_gpt2((d.path / "nope").string()); }, {"nope", "no such folder"});
  TempDir empty;
  check_error([&] { Tokenizer::load_gpt2(empty.path.string()); }, {"no GPT-2 tokenizer files"});
  TempDir half;
  half.file("vocab.json", vjson);
  check_error([&] { Tokenizer::load_gpt2(half.path.string()); }, {"merges.txt", "missing"});
  check_error([&] { Tokenizer::load((d.path / "missing.json").string()); }, {"missing.json"});
  check_error([&] { Tokenizer::load((d.path / "missing.bin").string()); }, {"missing.bin", "no such file"});

  auto with = [&](const std::string& v, const std::string& m) { return [=] { Tokenizer::from_vocab_merges(v, m); }; };
  // malformed JSON
  check_error(with("{\"a\": 1,", header), {"vocab.json", "not valid JSON"});
  check_error(with("[1, 2]", header), {"vocab.json", "JSON object"});
  check_error(with("{\"a\": \"x\"}", header), {"vocab.json", "a is \"x\" (a string), expected a whole number"});
  // wrong header / empty merges file
  check_error(with(vjson, "#version: 0.3\na b\n"), {"merges.txt:1", "#version: 0.2"});
  check_error(with(vjson, "a b\n"), {"merges.txt:1", "#version: 0.2"});
  check_error(with(vjson, ""), {"merges.txt:1", "#version: 0.2"});
  // a merges line with one token, or three
  check_error(with(vjson, header + "a b\nab\n"), {"merges.txt:3", "found 1"});
  check_error(with(vjson, header + "a b c\n"), {"merges.txt:2", "found 3"});
  // a merge naming unknown tokens, or making a token not in the vocabulary
  check_error(with(vjson, header + "a zz\n"), {"merges.txt:2", "unknown token `zz`"});
  check_error(with(vjson, header + "b c\n"), {"merges.txt:2", "`bc` is not in the vocabulary"});
  check_error(with(vjson, header + "a b\na b\n"), {"merges.txt:3", "duplicate merge"});
  // vocabulary problems: missing byte, gaps in ids, non-byte-level text
  nlohmann::json v2 = vmap;
  v2.erase("a");
  v2["zz"] = 97;
  check_error(with(v2.dump(), header), {"no token for byte 0x61"});
  v2 = vmap;
  v2["ab"] = 300;
  check_error(with(v2.dump(), header), {"not contiguous"});
  v2 = vmap;
  v2["\u4e00"] = 258;
  check_error(with(v2.dump(), header), {"stands for no byte"});
  v2 = vmap;
  v2["ab"] = 5;
  check_error(with(v2.dump(), header), {"id 5 is given to both"});
  v2 = vmap;
  v2["ab"] = -1;
  check_error(with(v2.dump(), header), {"ab is -1 (a whole number), expected a whole number from 0 to"});

  // tokenizer.json
  using J = nlohmann::json;
  J hf = J::object();
  hf["model"] = {{"type", "BPE"}, {"vocab", vmap}, {"merges", J::array({"a b"})}};
  hf["added_tokens"] = J::array({J{{"id", 257}, {"content", "<|endoftext|>"}, {"special", true}}});
  hf["model"]["vocab"].erase("<|endoftext|>");
  Tokenizer h = Tokenizer::from_hf_json(hf.dump());
  CHECK(h.encode("xab<|endoftext|>") == ok.encode("xab<|endoftext|>"));
  auto hf_bad = [&](auto edit, std::string part) {
    nlohmann::json k = hf;
    edit(k);
    check_error([&] { Tokenizer::from_hf_json(k.dump()); }, {"tokenizer.json", part});
  };
  hf_bad([](nlohmann::json& k) { k.erase("model"); }, "no `model`");
  hf_bad([](nlohmann::json& k) { k["model"]["type"] = "WordPiece"; }, "only BPE");
  hf_bad([](nlohmann::json& k) { k["model"]["merges"] = nlohmann::json::array({"a"}); }, "model.merges[0]");
  hf_bad([](nlohmann::json& k) { k["model"]["merges"] = nlohmann::json::array({nlohmann::json::array({"a", "zz"})}); }, "unknown token");
  hf_bad([](nlohmann::json& k) { k["model"]["merges"] = nlohmann::json::array({5}); }, "model.merges[0]");
  hf_bad([](nlohmann::json& k) { k["pre_tokenizer"] = {{"type", "Whitespace"}}; }, "ByteLevel");
  hf_bad([](nlohmann::json& k) { k["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}}; }, "prefix space");
  hf_bad([](nlohmann::json& k) { k["normalizer"] = {{"type", "NFC"}}; }, "normalizer");
  hf_bad([](nlohmann::json& k) { k["added_tokens"] = 3; }, "added_tokens");
  check_error([] { Tokenizer::from_hf_json("{\"model\": "); }, {"tokenizer.json", "not valid JSON"});

  // Tokenizer::load on files: tokenizer.json, Glassbox JSON
  std::string hf_path = d.file("tok.json", hf.dump());
  CHECK(Tokenizer::load(hf_path).vocab_size() == 258);
  std::string gb_path = d.file("mine.json", story_tokenizer().to_json().dump());
  CHECK(Tokenizer::load(gb_path).to_json() == story_tokenizer().to_json());
  std::string junk = d.file("junk.json", "{\"format\": 3}");
  check_error([&] { Tokenizer::load(junk); }, {"junk.json", "not a Glassbox tokenizer"});

  // a checkpoint holding the tokenizer in its metadata, and one without
  SafeTensors st;
  float w[2] = {1.f, 2.f};
  st.add("w", {2}, w);
  write_safetensors((d.path / "plain.safetensors").string(), st);
  check_error([&] { Tokenizer::load((d.path / "plain.safetensors").string()); }, {"plain.safetensors", "glassbox.tokenizer"});
  st.metadata["glassbox.tokenizer"] = story_tokenizer().to_json().dump();
  write_safetensors((d.path / "model.safetensors").string(), st);
  CHECK(Tokenizer::load((d.path / "model.safetensors").string()).to_json() == story_tokenizer().to_json());
  st.metadata["glassbox.tokenizer"] = "{broken";
  write_safetensors((d.path / "broken.safetensors").string(), st);
  check_error([&] { Tokenizer::load((d.path / "broken.safetensors").string()); }, {"broken.safetensors", "not valid JSON"});
}

TEST_CASE("GPT-2: known ids, the three file layouts, JSON round trip") {
  if (!have_gpt2()) {
    MESSAGE("assets/gpt2 missing (run glassbox.sh's fetch_gpt2_tokenizer); GPT-2 checks skipped");
    return;
  }
  Tokenizer g = Tokenizer::load_gpt2(gpt2_dir());
  CHECK(g.vocab_size() == 50257);
  CHECK(g.merges().size() == 50000);
  CHECK(g.special_id("<|endoftext|>") == 50256);
  CHECK(g.encode("Hello world") == std::vector<int>{15496, 995});
  // ids printed by gpt-tokenizer's r50k_base for the same text
  std::string s = "Hello world, it's 2024!!   \n\n naïve 日本語 🎉";
  CHECK(g.encode(s) == std::vector<int>{15496, 995, 11, 340, 338, 48609, 3228, 220, 220, 220, 628, 41492,
                                         10545, 245, 98, 17312, 105, 45739, 252, 12520, 236, 231});
  CHECK(g.encode("<|endoftext|>") == std::vector<int>{50256});
  CHECK(token_display(g.token_bytes(10545)) == " <E6>");  // a space and the first byte of 日
  Rng rng(3);
  for (int trial = 0; trial < 100; ++trial) {
    std::string r = random_bytes(rng, rng.below(300));
    REQUIRE(g.decode(g.encode(r)) == r);
  }

  std::string enc = read_file(gpt2_dir() + "/encoder.json"), bpe = read_file(gpt2_dir() + "/vocab.bpe");
  TempDir hfdir;
  hfdir.file("vocab.json", enc);
  hfdir.file("merges.txt", bpe);
  Tokenizer g2 = Tokenizer::load(hfdir.path.string());
  CHECK(g2.to_json() == g.to_json());
  // tokenizer.json, as Hugging Face writes it for GPT-2
  nlohmann::json vocab = nlohmann::json::parse(enc);
  vocab.erase("<|endoftext|>");
  nlohmann::json merges = nlohmann::json::array();
  size_t pos = bpe.find('\n') + 1;
  while (pos < bpe.size()) {
    size_t end = bpe.find('\n', pos);
    if (end == std::string::npos) end = bpe.size();
    if (end > pos) merges.push_back(bpe.substr(pos, end - pos));
    pos = end + 1;
  }
  nlohmann::json hf = {
      {"version", "1.0"}, {"normalizer", nullptr},
      {"added_tokens", nlohmann::json::array({nlohmann::json{{"id", 50256}, {"content", "<|endoftext|>"}, {"special", true}}})},
      {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}}}};
  TempDir tjdir;
  tjdir.file("tokenizer.json", hf.dump());
  Tokenizer g3 = Tokenizer::load_gpt2(tjdir.path.string());
  CHECK(g3.to_json() == g.to_json());
  Tokenizer g4 = Tokenizer::from_json(nlohmann::json::parse(g.to_json().dump()));
  CHECK(g4.encode(s) == g.encode(s));
}
