// TF-IDF retrieval over a notebook of facts.
#include "models/transformer/retrieval.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"

namespace gb {

namespace {
const std::set<std::string>& stop_words() {
  static const std::set<std::string> s = {"a", "an", "the", "is", "are", "was", "were", "and", "or", "of", "to",
                                          "in", "on", "at", "by", "it", "its", "s", "be", "has", "have", "had"};
  return s;
}
}  // namespace

std::vector<std::string> retrieval_words(const std::string& text) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (!w.empty() && !stop_words().count(w)) out.push_back(w);
    w.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c) || c >= 0x80) {
      w += char(std::tolower(c));
    } else if (c == '\'' && !w.empty() && i + 1 < text.size() && (text[i + 1] == 's' || text[i + 1] == 'S') &&
               (i + 2 >= text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 2])))) {
      flush();  // "Lily's" → "lily"
      ++i;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

FactBook FactBook::parse(const std::string& text, const std::string& file) {
  if (text.find('\0') != std::string::npos) fail_file(file, "is a binary file (it holds a NUL byte), not a list of facts");
  if (!utf8_valid(text)) fail_file(file, "is not UTF-8 text");
  FactBook b;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    size_t a = line.find_first_not_of(" \t");
    if (a != std::string::npos && line[a] != '#') b.facts.push_back(line.substr(a));
    pos = nl + 1;
  }
  if (b.facts.empty()) fail_file(file, "holds no facts (write one fact per line)");
  return b;
}

FactBook FactBook::load(const std::string& path) { return parse(read_file(path), path); }

std::vector<FactScore> FactBook::score(const std::string& query) const {
  const size_t N = facts.size();
  std::vector<std::map<std::string, double>> tf(N);
  std::map<std::string, int> df;
  for (size_t i = 0; i < N; ++i) {
    for (const std::string& w : retrieval_words(facts[i])) tf[i][w] += 1;
    for (auto& kv : tf[i]) df[kv.first] += 1;
  }
  auto idf = [&](const std::string& w) {
    auto it = df.find(w);
    const double d = it == df.end() ? 0 : it->second;
    return std::log((1.0 + double(N)) / (1.0 + d)) + 1.0;
  };
  std::map<std::string, double> q;
  for (const std::string& w : retrieval_words(query)) q[w] += 1;
  double qn = 0;
  for (auto& kv : q) {
    kv.second *= idf(kv.first);
    qn += kv.second * kv.second;
  }
  qn = std::sqrt(qn);
  std::vector<FactScore> out;
  for (size_t i = 0; i < N; ++i) {
    FactScore s;
    s.index = int(i);
    double dot = 0, fn = 0;
    for (auto& kv : tf[i]) {
      const double wv = kv.second * idf(kv.first);
      fn += wv * wv;
      auto it = q.find(kv.first);
      if (it != q.end()) {
        dot += wv * it->second;
        s.matched.push_back(kv.first);
      }
    }
    s.score = qn > 0 && fn > 0 ? dot / (qn * std::sqrt(fn)) : 0.0;
    out.push_back(s);
  }
  std::stable_sort(out.begin(), out.end(), [](const FactScore& a, const FactScore& b) { return a.score > b.score; });
  return out;
}

std::string with_facts(const FactBook& book, const std::vector<FactScore>& scores, int k, const std::string& query,
                       double min_score) {
  std::vector<int> picked;
  for (const FactScore& s : scores) {
    if (int(picked.size()) >= k) break;
    if (s.score > min_score) picked.push_back(s.index);
  }
  std::string out;
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) out += book.facts[size_t(*it)] + " ";
  return out + query;
}

}  // namespace gb
