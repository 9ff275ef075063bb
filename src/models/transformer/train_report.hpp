// Reports on a trained story GPT: stories it writes (greedy and sampled, through the inference
// decoder) and which attention heads look from a pronoun back at the name it refers to.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/transformer/gpt.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb {

// One story from the model, starting after <|endoftext|> and stopping at the next one (or after
// max_tokens). temperature ≤ 0: greedy.
std::string model_story(const Gpt& m, const Tokenizer& tok, float temperature, Rng& rng, int max_tokens);

// Attention of one head from pronoun positions, averaged over the pronouns measured.
struct HeadPronounScore {
  int layer = 0, head = 0;
  double to_antecedent = 0;  // weight on the tokens of the name the pronoun refers to
  double to_other = 0;       // weight on the tokens of the other character's name (the distractor)
};

struct PronounAttention {
  int stories = 0;                     // held-out stories read
  int pronouns = 0;                    // pronouns with exactly one earlier name of their gender and a distractor
  std::vector<HeadPronounScore> heads; // every (layer, head), layer-major
  HeadPronounScore best;               // the head with the highest to_antecedent
};

// Reads `n_stories` freshly generated stories (seeds not in the training corpus) through the model.
// A pronoun (he/him/his, she/her) counts when exactly one name of its gender appeared before it
// (its antecedent) and at least one name of the other gender did (the distractor).
// query_offset 0 measures the attention of the pronoun's own position; −1 that of the position just
// before it, which is where a causal model decides between "he" and "she" (it predicts the pronoun).
PronounAttention pronoun_attention(const Gpt& m, const Tokenizer& tok, int n_stories, uint64_t seed, int query_offset = 0);

}  // namespace gb
