// TeachLab's store (issue 18: "vote lists survive save, quit and reload"): the votes and the facts notebook
// written to a folder after every change and read back by a new lab; a damaged file set aside as .damaged.
// Also the panels' numbers: the votes' DPO terms, retrieval before/after with the notebook's answer.
#include <doctest/doctest.h>

#include <cmath>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/command.hpp"
#include "lab/lab_state.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lab/teach_lab.hpp"

using namespace gb;

namespace {
CommandResult run(TeachLab& lab, const std::string& line) {
  CommandResult r = lab.handle(parse_command(line));
  INFO(line << " → " << r.message);
  return r;
}

std::string fresh_dir(const char* name) {
  const std::string dir = (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  return dir;
}
}  // namespace

TEST_CASE("TeachLab store: votes and the facts notebook survive quit and reload") {
  const std::string dir = fresh_dir("glassbox-teach-store-test");
  std::vector<TeachVote> votes;
  {
    TeachLab lab;
    lab.set_store_dir(dir);
    CHECK(lab.store_message().empty());
    REQUIRE(run(lab, "teach prompt \"Lily went to the park. She\"").ok);
    for (int i = 0; i < 3; ++i) {
      REQUIRE(run(lab, "teach sample").ok);
      REQUIRE(run(lab, i == 1 ? "teach vote b" : "teach vote a").ok);
    }
    REQUIRE(run(lab, "teach votes remove 2").ok);
    CHECK_FALSE(run(lab, "teach votes remove 3").ok);  // only 2 left
    votes = lab.votes();
    REQUIRE(votes.size() == 2);
    REQUIRE(lab.facts().facts.size() == 10);  // the shipped notebook
    REQUIRE(run(lab, "teach facts remove 1").ok);
    REQUIRE(run(lab, "teach facts add \"Lily's dog is called Rex.\"").ok);
    CHECK_FALSE(run(lab, "teach facts remove 0").ok);
  }  // quit
  CHECK(file_exists(dir + "/votes.jsonl"));
  CHECK(file_exists(dir + "/facts.txt"));
  {
    TeachLab lab;
    lab.set_store_dir(dir);
    CHECK(lab.store_message().empty());
    REQUIRE(lab.votes().size() == 2);
    CHECK(lab.votes()[0].chosen == votes[0].chosen);
    CHECK(lab.votes()[1].rejected == votes[1].rejected);
    CHECK(lab.votes()[1].prompt == "Lily went to the park. She");
    lab.ensure_loaded();  // loading the model must not put the shipped facts over the kept ones
    REQUIRE(lab.facts().facts.size() == 10);
    CHECK(lab.facts().facts.front() == "Tom lives by the sea.");
    CHECK(lab.facts().facts.back() == "Lily's dog is called Rex.");
    // an emptied list and notebook stay empty after a reload
    REQUIRE(run(lab, "teach votes clear").ok);
    REQUIRE(run(lab, "teach facts clear").ok);
  }
  {
    TeachLab lab;
    lab.set_store_dir(dir);
    CHECK(lab.store_message().empty());
    CHECK(lab.votes().empty());
    lab.ensure_loaded();
    CHECK(lab.facts().facts.empty());
    REQUIRE(run(lab, "teach facts shipped").ok);
    CHECK(lab.facts().facts.size() == 10);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("TeachLab store: a damaged votes file is named, set aside as .damaged, and the lab starts afresh") {
  const std::string dir = fresh_dir("glassbox-teach-store-damaged");
  write_file_atomic(dir + "/votes.jsonl", "{\"prompt\": \"a\", \"chosen\": \"b\"\n");
  write_file_atomic(dir + "/facts.txt", std::string("Lily\0 has a dog.\n", 17));
  TeachLab lab;
  lab.set_store_dir(dir);
  INFO(lab.store_message());
  CHECK(lab.votes().empty());
  CHECK(lab.store_message().find("votes.jsonl") != std::string::npos);
  CHECK(lab.store_message().find("facts.txt") != std::string::npos);
  CHECK(lab.store_message().find(".damaged") != std::string::npos);
  CHECK(file_exists(dir + "/votes.jsonl.damaged"));
  CHECK(file_exists(dir + "/facts.txt.damaged"));
  lab.ensure_loaded();
  CHECK(lab.facts().facts.size() == 10);  // the shipped notebook instead
  std::filesystem::remove_all(dir);
}

TEST_CASE("TeachLab panels' numbers: the votes' DPO terms and retrieval before/after") {
  TeachLab lab;
  REQUIRE(lab.ensure_loaded().empty());
  // retrieval: the notebook says what comes after the prompt; the probabilities are the model's own
  REQUIRE(run(lab, "teach prompt \"Lily's dog is called\"").ok);
  const TeachFactsProbe& fp = lab.facts_probe();
  CHECK(fp.answer == " Max");
  REQUIRE(fp.answer_fact == 0);
  CHECK(fp.context_with == "Lily's dog is called Max. Lily's dog is called");
  REQUIRE(fp.retrieved.size() == 1);
  CHECK(fp.p_without == doctest::Approx(lab.next_prob("Lily's dog is called", " Max", false)).epsilon(1e-6));
  CHECK(fp.p_with == doctest::Approx(lab.next_prob(fp.context_with, " Max", false)).epsilon(1e-6));
  CHECK(fp.p_with > fp.p_without);
  REQUIRE(run(lab, "teach prompt \"The moon is made of\"").ok);
  CHECK(lab.facts_probe().answer.empty());
  CHECK(std::isnan(lab.facts_probe().p_without));

  // the votes' DPO terms: π = π_ref before learning (u = 0, loss = ln 2); after steps the chosen rise
  REQUIRE(run(lab, "teach prompt \"Lily went to the park. She\"").ok);
  REQUIRE(run(lab, "teach sample").ok);
  REQUIRE(run(lab, "teach vote a").ok);
  REQUIRE(lab.vote_stats().pairs.size() == 1);
  const DpoPairStats before = lab.vote_stats().pairs[0];
  CHECK(before.logp_chosen == doctest::Approx(before.ref_chosen));
  CHECK(before.u == doctest::Approx(0).epsilon(1e-6));
  CHECK(before.loss == doctest::Approx(std::log(2.0)).epsilon(1e-5));
  REQUIRE(run(lab, "teach dpo steps 3").ok);
  REQUIRE(run(lab, "teach wait").ok);
  const DpoPairStats after = lab.vote_stats().pairs.at(0);
  CHECK(after.ref_chosen == doctest::Approx(before.ref_chosen));  // the reference is frozen
  CHECK(after.u > 0);
  CHECK(after.loss < before.loss);
  CHECK(after.u == doctest::Approx(lab.beta() * ((after.logp_chosen - after.ref_chosen) - (after.logp_rejected - after.ref_rejected))));
  CHECK(lab.fresh_samples().size() == 10);  // fresh samples after learning

  // the rule-voter: autovote casts votes only for a sample containing the word
  REQUIRE(run(lab, "teach rule She").ok);
  CHECK_FALSE(run(lab, "teach autovote 0").ok);
  CommandResult r = run(lab, "teach autovote 2");  // runs in the worker; the votes join the list when it ends
  REQUIRE(r.ok);
  REQUIRE(run(lab, "teach wait").ok);
  CHECK(lab.autovote_summary().find(" new votes after ") != std::string::npos);
  r.ok = lab.autovote_summary()[0] != '0';
  const size_t n = lab.votes().size();
  for (size_t i = 1; i < n; ++i) {
    CHECK(lab.votes()[i].chosen.find("She") != std::string::npos);
    CHECK(lab.votes()[i].rejected.find("She") == std::string::npos);
  }
  CHECK((r.ok ? n >= 2 : n == 1));
}

// Measurements for assets/teach/README.md, not checks (run with --no-skip): how often a word appears in fresh
// samples of a prompt; the rule-voter's votes and DPO rounds; retrieval before/after for every shipped fact
// with a few ways of writing the context.
TEST_CASE("TeachLab measurement: words in fresh samples, rule-voter + DPO, retrieval per fact" * doctest::skip()) {
  TeachLab lab;
  REQUIRE(lab.ensure_loaded().empty());
  auto share = [&](const std::string& word, int n) {
    run(lab, "teach fresh " + std::to_string(n));
    int hit = 0;
    for (const std::string& s : lab.fresh_samples()) hit += s.find(word) != std::string::npos;
    return double(hit) / double(n);
  };
  for (const char* prompt : {"Once upon a time, there was a", "Tom was a", "Once upon a time, there was a little"}) {
    REQUIRE(run(lab, std::string("teach prompt ") + quote_word(prompt)).ok);
    std::string line;
    for (const char* w : {"kind", "shy", "brave", "girl", "boy", "dog", "cat", "happy", "named"})
      line += std::string(w) + " " + std::to_string(int(share(w, 40) * 100 + 0.5)) + "%  ";
    MESSAGE(std::string(prompt) << ": " << line);
    for (int i = 0; i < 6; ++i) MESSAGE("   " << lab.fresh_samples()[size_t(i)]);
  }
  for (const auto& [prompt, word] : std::getenv("GB_SKIP_VOTES") ? std::vector<std::pair<std::string, std::string>>{} : std::vector<std::pair<std::string, std::string>>{{"Once upon a time, there was a", "kind"},
                                                                                     {"Once upon a time, there was a", "dog"}}) {
    TeachLab l2;
    REQUIRE(l2.ensure_loaded().empty());
    TeachLab& L = l2;
    auto sh = [&](int n) {
      L.handle(parse_command("teach fresh " + std::to_string(n)));
      int hit = 0;
      for (const std::string& s : L.fresh_samples()) hit += s.find(word) != std::string::npos;
      return double(hit) / double(n);
    };
    REQUIRE(run(L, "teach prompt " + quote_word(prompt)).ok);
    const double before = sh(40);
    REQUIRE(run(L, "teach rule " + word).ok);
    const auto t0 = std::chrono::steady_clock::now();
    CommandResult r = run(L, "teach autovote 8");
    REQUIRE(run(L, "teach wait").ok);
    r.message = L.autovote_summary();
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    MESSAGE(prompt << " / " << word << ": before " << before * 100 << "%; " << r.message << " (" << sec << " s)");
    for (int round = 1; round <= 3; ++round) {
      REQUIRE(run(L, "teach dpo steps 5").ok);
      REQUIRE(run(L, "teach wait").ok);
      const TeachProgress p = L.progress();
      MESSAGE("  after " << 5 * round << " DPO steps (" << p.seconds_per_step * 1e3 << " ms/step): loss " << p.dpo_loss.back() << ", KL "
                         << p.dpo_kl.back() << ", fresh samples with \"" << word << "\" " << sh(40) * 100 << "%");
    }
  }
  // retrieval: every shipped fact, its prompt = the fact without its last word
  const FactBook book = lab.facts();
  for (const std::string& f : book.facts) {
    std::string p = f.substr(0, f.rfind(' '));
    std::string ans = f.substr(f.rfind(' '));
    while (!ans.empty() && (ans.back() == '.' || ans.back() == '!')) ans.pop_back();
    REQUIRE(run(lab, "teach prompt " + quote_word(p)).ok);
    const TeachFactsProbe& fp = lab.facts_probe();
    CHECK(fp.answer == ans);
    const double twice = lab.next_prob(f + " " + f + " " + p, ans, false);
    const double fact_story = lab.next_prob("Fact: " + f + " Story: " + p, ans, false);
    const double newline = lab.next_prob(f + "\n" + p, ans, false);
    const double thrice = lab.next_prob(f + " " + f + " " + f + " " + p, ans, false);
    const double story = lab.next_prob("Once upon a time, " + f + " " + p, ans, false);
    const double top1 = lab.next_prob(f + " " + p, ans, false);
    MESSAGE(p << " |" << ans << ": without " << fp.p_without << ", with (panel) " << fp.p_with << ", top-1 only " << top1
              << ", fact twice " << twice << ", 'Fact: … Story: …' " << fact_story << ", newline " << newline << ", thrice " << thrice << ", 'Once upon a time, F P' " << story);
  }
}

TEST_CASE("TeachLab: after a reset (a lesson's start) the probes are there again, with the shipped facts") {
  TeachLab lab;
  REQUIRE(lab.ensure_loaded().empty());
  REQUIRE(run(lab, "teach facts clear").ok);
  lab.reset_to_defaults();
  CHECK(lab.facts().facts.size() == 10);
  CHECK(lab.facts_probe().answer == " Max");
  CHECK(lab.facts_probe().top_without.size() == 8);
  CHECK(lab.fact_scores().size() == 10);
}

TEST_CASE("TeachLab in a session file: votes, notebook, prompt, rule and retrieval saved and opened again") {
  Session a;
  REQUIRE(a.run("teach prompt \"Lily went to the park. She\"").ok);
  REQUIRE(a.run("teach sample").ok);
  REQUIRE(a.run("teach vote b").ok);
  REQUIRE(a.run("teach facts add \"Lily's kite is blue.\"").ok);
  REQUIRE(a.run("teach rule happy").ok);
  REQUIRE(a.run("teach retrieve on").ok);
  auto& ta = dynamic_cast<TeachLab&>(a.lab("teach"));
  const std::vector<TeachVote> votes = ta.votes();
  REQUIRE(votes.size() == 1);
  const std::string bytes = session_file_bytes(capture_session(a));

  Session b;
  auto& tb = dynamic_cast<TeachLab&>(b.lab("teach"));
  CHECK(tb.votes().empty());
  CHECK(apply_session(b, parse_session_file(bytes, "class.glassbox")) == "");
  REQUIRE(tb.votes().size() == 1);
  CHECK(tb.votes()[0].chosen == votes[0].chosen);
  CHECK(tb.votes()[0].rejected == votes[0].rejected);
  CHECK(tb.prompt() == "Lily went to the park. She");
  CHECK(tb.rule() == "happy");
  CHECK(tb.retrieval_on());
  REQUIRE(tb.facts().facts.size() == 11);
  CHECK(tb.facts().facts.back() == "Lily's kite is blue.");

  // a hand-edited vote with chosen == rejected, or a fact that is two lines, is refused naming the file and the
  // field; the lab does not change
  for (const char* bad : {R"({"votes": [{"prompt": "a", "chosen": "x", "rejected": "x"}]})", R"({"votes": [{"prompt": "a", "chosen": "x"}]})",
                          R"({"facts": ["one\ntwo"]})", R"({"retrieve": "yes"})"}) {
    LabState st;
    st.fields = nlohmann::json::parse(bad);
    st.file = "class.glassbox";
    st.where = "labs.teach.state";
    std::string problem;
    try {
      problem = tb.check_state(st);
    } catch (const Error& e) {
      problem = e.what();
    }
    INFO(bad << " → " << problem);
    CHECK(problem.find("class.glassbox") != std::string::npos);
  }
  CHECK(tb.votes().size() == 1);
}

TEST_CASE("TeachLab in a session file: a fine-tuned model comes back bit for bit; a vote cut inside a character too") {
  Session a;
  REQUIRE(a.run("teach corpus sea").ok);
  REQUIRE(a.run("teach finetune 2").ok);
  REQUIRE(a.run("teach wait").ok);
  auto& ta = dynamic_cast<TeachLab&>(a.lab("teach"));
  REQUIRE(ta.tuner() != nullptr);
  REQUIRE(ta.tuner()->steps_done() == 2);
  const std::vector<float> tuned = ta.tuner()->weights().data;
  REQUIRE(tuned != ta.tuner()->base().data);
  const std::string bytes = session_file_bytes(capture_session(a));

  Session b;
  CHECK(apply_session(b, parse_session_file(bytes, "class.glassbox")) == "");
  auto& tb = dynamic_cast<TeachLab&>(b.lab("teach"));
  REQUIRE(tb.tuner() != nullptr);
  CHECK(tb.tuner()->steps_done() == 2);
  CHECK(tb.tuner()->weights().data == tuned);  // exact: F32 tensors, bit for bit

  // A continuation that ends inside a character (bytes E6 97 of 日) is kept as hex and comes back as the same bytes.
  LabState st;
  st.file = "class.glassbox";
  st.where = "labs.teach.state";
  nlohmann::json vote = nlohmann::json::object();
  put_bytes(vote, "prompt", "Lily saw");
  put_bytes(vote, "chosen", std::string(" a big \xE6\x97"));
  put_bytes(vote, "rejected", " a cat");
  CHECK(vote.contains("chosen_hex"));
  st.fields["votes"] = nlohmann::json::array({vote});
  CHECK(tb.check_state(st) == "");
  tb.apply_state(st);
  REQUIRE(tb.votes().size() == 1);
  CHECK(tb.votes()[0].chosen == std::string(" a big \xE6\x97"));
  CHECK_NOTHROW(session_file_bytes(capture_session(b)));
}
