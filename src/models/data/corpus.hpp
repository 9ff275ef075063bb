// The default training text: a deterministic generator of short, simple stories (named characters,
// animals, objects, places, feelings; pronouns that refer back; cause and effect), plus a tiny corpus.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gb {

// One story (a few sentences, ~60–200 words) drawn from `seed`'s stream; same seed, same story.
std::string generate_story(uint64_t seed);

// Between two stories: GPT-2's end-of-text token, so a model learns where a story ends and a
// sampler can start a fresh story from it.
inline constexpr const char* kStorySeparator = "<|endoftext|>";

// Stories separated by kStorySeparator until the text reaches `target_bytes` (UTF-8, ASCII in practice).
// Story i uses seed `seed * 1000003 + i`, so a prefix of a longer corpus is the shorter corpus.
std::string generate_stories(uint64_t seed, size_t target_bytes);

// A deliberately tiny corpus (a handful of short stories) to show memorisation in class.
std::string tiny_corpus();

// The corpus a user named: "stories" (generated, ~3 MB, seed 1), "tiny", or a path to any UTF-8 text
// file. Throws gb::Error for a missing/empty file or one that is not valid UTF-8.
std::string load_corpus(const std::string& name_or_path);

// Every character name the generator uses (children, pets, parents) with its gender, so analyses
// can find which name a pronoun refers to.
struct StoryName {
  std::string name;  // "Lily", "Mom"
  bool female;       // refers back as she/her
};
std::vector<StoryName> story_names();

// Size of the default "stories" corpus in bytes and the seed it is generated with.
constexpr size_t kStoriesBytes = 3'000'000;
constexpr uint64_t kStoriesSeed = 1;

}  // namespace gb
