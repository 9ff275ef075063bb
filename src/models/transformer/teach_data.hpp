// Generated fine-tuning text for the bias lesson (issue 18): short stories about a doctor whose
// pronoun is "she" in a chosen share of the stories and "he" in the rest, so a class can set the mix,
// fine-tune, and plot what the model then expects ("The doctor said that" → she / he).
#pragma once
#include <cstdint>
#include <string>

namespace gb {

// `n` stories (blank-line separated, the format corpus_from_text reads); story i is about a "she"
// doctor when its seeded draw falls below `share_she` (0 to 1), otherwise "he". Same seed, same text.
std::string doctor_mix_corpus(double share_she, int n, uint64_t seed);

// The probe for the mix: the prompt after which the model's next word shows the learned pronoun.
inline constexpr const char* kDoctorProbe = "The doctor smiled at Lily and said that";

}  // namespace gb
