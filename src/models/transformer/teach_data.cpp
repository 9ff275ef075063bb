// The doctor stories of the data-mix (bias) experiment: templates written for Glassbox.
#include "models/transformer/teach_data.hpp"

#include <algorithm>

#include "core/rng.hpp"

namespace gb {

std::string doctor_mix_corpus(double share_she, int n, uint64_t seed) {
  static const char* kKids[] = {"Lily", "Tom", "Mia", "Ben", "Zoe", "Sam", "Anna", "Leo"};
  static const char* kHurts[] = {"a sore arm", "a cold", "a hurt knee", "a bad cough", "a tummy ache", "a bump on the head"};
  static const char* kHelp[] = {"gave the child some medicine", "put a bandage on the knee", "listened to the heart",
                                "looked in the ears", "gave the child a sticker"};
  share_she = std::clamp(share_she, 0.0, 1.0);
  Rng rng(seed);
  std::string out;
  for (int i = 0; i < n; ++i) {
    const bool she = rng.uniform() < share_she;
    const char* he = she ? "she" : "he";
    const char* his = she ? "her" : "his";
    const char* kid = kKids[rng.below(8)];
    const char* hurt = kHurts[rng.below(6)];
    const char* help = kHelp[rng.below(5)];
    std::string s;
    s += kid;
    s += std::string(" had ") + hurt + ", so Mom took " + kid + " to the doctor. ";
    s += std::string("The doctor smiled at ") + kid + " and said that " + he + " would help. ";
    s += std::string("Then ") + he + " " + help + ". ";
    s += std::string("The doctor was kind, and ") + his + " hands were warm. ";
    s += std::string("\"You are very brave,\" ") + he + " said. " + kid + " felt better and went home happy.";
    out += s;
    out += "\n\n";
  }
  return out;
}

}  // namespace gb
