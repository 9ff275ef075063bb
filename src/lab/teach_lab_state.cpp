// What a session file keeps of the teach lab beyond its settings table (lab/session_file.hpp): the prompt, the
// rule-voter's word, retrieval on/off, the class's votes (prompt, chosen, rejected) and the facts notebook. Opening
// a session puts them back (and into the config folder's store when the app keeps one). The tuned weights are kept
// in the config folder (set_tuned_file), not in the session file yet.
#include "core/error.hpp"
#include "lab/lab_state.hpp"
#include "lab/teach_lab.hpp"

namespace gb {

namespace {
struct SavedTeach {
  std::string prompt, rule;
  bool retrieve = false;
  std::vector<TeachVote> votes;
  bool has_facts = false;
  std::vector<std::string> facts;
};

SavedTeach read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedTeach s;
  s.prompt = j.string_or("prompt", "Lily's dog is called");
  if (s.prompt.empty()) j.fail_here("prompt is empty");
  s.rule = j.string_or("rule", "");
  s.retrieve = j.boolean_or("retrieve", false);
  if (j.has("votes"))
    for (const JsonIn& v : j.array("votes")) {
      TeachVote t{v.string("prompt"), v.string("chosen"), v.string("rejected")};
      if (t.prompt.empty() || t.chosen.empty() || t.rejected.empty()) v.fail_here("has an empty prompt or continuation");
      if (t.chosen == t.rejected) v.fail_here("has the same text as chosen and rejected");
      s.votes.push_back(std::move(t));
    }
  if (j.has("facts")) {
    s.has_facts = true;
    for (const JsonIn& f : j.array("facts")) {
      std::string text = f.as_string();
      if (text.empty() || text[0] == '#' || text.find('\n') != std::string::npos)
        f.fail_here("is not one fact (empty, a # note, or more than one line)");
      s.facts.push_back(std::move(text));
    }
  }
  return s;
}
}  // namespace

void TeachLab::save_state(LabState& out) const {
  out.fields["prompt"] = prompt_;
  out.fields["rule"] = rule_;
  out.fields["retrieve"] = retrieve_;
  nlohmann::json votes = nlohmann::json::array();
  for (const TeachVote& v : votes_) votes.push_back({{"prompt", v.prompt}, {"chosen", v.chosen}, {"rejected", v.rejected}});
  out.fields["votes"] = votes;
  if (facts_set_) out.fields["facts"] = facts_.facts;
}

std::string TeachLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void TeachLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  SavedTeach s = read_saved(in);
  prompt_ = s.prompt;
  rule_ = s.rule;
  retrieve_ = s.retrieve;
  votes_ = std::move(s.votes);
  store_votes();
  if (s.has_facts) {
    facts_.facts = std::move(s.facts);
    facts_set_ = true;
    store_facts();
  }
  sample_a_.clear();
  sample_b_.clear();
  fresh_.clear();
  refresh_probe();
}

}  // namespace gb
