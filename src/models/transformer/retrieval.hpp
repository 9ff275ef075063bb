// Retrieval from a "story world" notebook of facts: TF-IDF scores of every fact against a prompt, and
// the prompt with the best facts written in front of it (what retrieval-augmented generation does).
//
//   FactBook book = FactBook::load("assets/teach/facts.txt");    // one fact per line
//   std::vector<FactScore> s = book.score("Lily's dog is called");  // every fact, best first
//   std::string ctx = with_facts(book, s, 1, "Lily's dog is called");  // "Lily's dog is called Max. Lily's dog is called"
//
// Words: lower-case runs of letters and digits; "'s" is dropped ("Lily's" → "lily"); a short list
// of function words (the, is, a, …) is ignored. Weights: tf·idf with idf = ln((1 + N)/(1 + df)) + 1
// (N facts, df facts containing the word); score = cosine of the two weight vectors (0 to 1).
#pragma once
#include <string>
#include <vector>

namespace gb {

// The words retrieval compares, in order (duplicates kept).
std::vector<std::string> retrieval_words(const std::string& text);

struct FactScore {
  int index = 0;                      // into FactBook::facts
  double score = 0;                   // cosine similarity, 0 to 1
  std::vector<std::string> matched;   // words shared with the prompt
};

class FactBook {
 public:
  std::vector<std::string> facts;

  // One fact per line; blank lines and lines starting with '#' are skipped. Throws gb::Error naming
  // the file when it is missing, binary (a NUL byte or invalid UTF-8) or holds no fact.
  static FactBook load(const std::string& path);
  // The same from text already read (`file` names it in errors).
  static FactBook parse(const std::string& text, const std::string& file);

  // Every fact scored against `query`, best first (ties: notebook order).
  std::vector<FactScore> score(const std::string& query) const;
};

// `query` with the facts of the best `k` scores above `min_score` in front, each followed by a space
// (best last, nearest the prompt).
std::string with_facts(const FactBook& book, const std::vector<FactScore>& scores, int k, const std::string& query,
                       double min_score = 0.0);

}  // namespace gb
