// The shipped story model (assets/models/stories-gpt.safetensors): loads through the inference
// checkpoint loader, carries its training record, writes sentences, and has a head that looks back
// at the name a pronoun refers to when it chooses the pronoun (the position just before "he"/"she").
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/train_report.hpp"
#include "common/tiny_models.hpp"

using namespace gb;

TEST_CASE("pronoun attention report runs on any story-tokenizer model") {
  Tokenizer tok = Tokenizer::train("Lily had a ball. She loved it. Tom had a kite. He ran.<|endoftext|>", 300);
  const auto mp = test::tiny_gpt(test::tiny_gpt_config(tok.vocab_size(), 32), 3);
  const Gpt& m = *mp;
  PronounAttention pa = pronoun_attention(m, tok, 5, 1);
  CHECK(pa.stories == 5);
  CHECK(pa.heads.size() == 2);
  for (auto& h : pa.heads) {
    CHECK(h.to_antecedent >= 0);
    CHECK(h.to_antecedent + h.to_other <= 1.0 + 1e-5);
  }
  Rng rng(1);
  std::string s = model_story(m, tok, 1.0f, rng, 20);  // random weights: any bytes, but it runs
  CHECK(s.size() <= 20 * 64);
}

TEST_CASE("the shipped story model: record, fluent greedy story, a pronoun head") {
  const std::string path = assets_dir() + "/models/stories-gpt.safetensors";
  REQUIRE_MESSAGE(file_exists(path), path << " is shipped in the repository");
  CHECK(std::filesystem::file_size(path) < 20u * 1024 * 1024);
  LoadedGpt g = load_gpt_checkpoint(path);
  REQUIRE(g.metadata.count("glassbox.training"));
  auto rec = nlohmann::json::parse(g.metadata.at("glassbox.training"));
  CHECK(rec.at("command").get<std::string>().rfind("glassbox train transformer", 0) == 0);
  const double val = rec.at("final_val_loss").get<double>();
  MESSAGE("validation loss " << val);
  CHECK(val > 0);
  CHECK(val < 0.6);
  Tokenizer tok = Tokenizer::from_json(nlohmann::json::parse(g.tokenizer_json), path);
  Rng rng(1);
  const std::string story = model_story(g.model, tok, 0.0f, rng, 60);
  MESSAGE("greedy: " << story);
  CHECK(story.find(". ") != std::string::npos);
  // Measured from the position that predicts the pronoun: at the pronoun itself no head prefers the
  // antecedent (seen: best 0.10 vs 0.11 over 354 pronouns), before it layer 2 head 2 does (0.36 vs 0.09).
  PronounAttention pa = pronoun_attention(g.model, tok, 40, 2, -1);
  MESSAGE("best pronoun head: layer " << pa.best.layer << " head " << pa.best.head << ": " << pa.best.to_antecedent
                                      << " on the antecedent, " << pa.best.to_other << " on the other name (" << pa.pronouns
                                      << " pronouns)");
  CHECK(pa.pronouns > 20);
  CHECK(pa.best.to_antecedent > 2 * pa.best.to_other);
}
