// TeachLab (issue 18) driven by commands on the shipped stories model: LoRA fine-tuning in the worker
// and undo, retrieval raising the true answer, votes and DPO, the data mix, and bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "core/files.hpp"
#include "lab/teach_lab.hpp"
#include "models/transformer/teach_data.hpp"

using namespace gb;

namespace {
CommandResult run(TeachLab& lab, const std::string& line) {
  CommandResult r = lab.handle(parse_command(line));
  INFO(line << " → " << r.message);
  return r;
}
}  // namespace

TEST_CASE("TeachLab: fine-tune with LoRA in the worker, then undo to the base") {
  TeachLab lab;
  CommandResult r = run(lab, "teach mode lora 4");
  REQUIRE(r.ok);
  CHECK(r.message.find("trains 32768 of") != std::string::npos);  // 16·C·r·L = 16·128·4·4
  REQUIRE(run(lab, "corpus sea").ok);  // as a Session passes it: the workspace name taken off
  REQUIRE(run(lab, "teach finetune 4").ok);
  CHECK_FALSE(run(lab, "teach vote a").ok);  // busy (or no samples): refused, never thrown
  REQUIRE(run(lab, "teach wait").ok);
  TeachProgress p = lab.progress();
  CHECK(p.finetune_loss.size() == 4);
  CHECK(std::isfinite(p.finetune_loss.back()));
  REQUIRE(lab.tuner() != nullptr);
  CHECK(lab.tuner()->steps_done() == 4);
  double moved = 0;
  for (const MatrixChange& m : lab.tuner()->changes()) moved += m.norm;
  CHECK(moved > 0);
  CHECK(lab.probe().tuned_top.size() == 8);
  REQUIRE(run(lab, "teach undo").ok);
  CHECK(lab.tuner()->weights().data == lab.tuner()->base().data);
}

TEST_CASE("TeachLab: retrieval puts the fact in front and raises the true answer") {
  TeachLab lab;
  REQUIRE(run(lab, "teach prompt \"Lily's dog is called\"").ok);
  const double before = lab.next_prob("Lily's dog is called", " Max", true);
  CommandResult r = run(lab, "teach retrieve on");
  REQUIRE(r.ok);
  CHECK(lab.probe().context == "Lily's dog is called Max. Lily's dog is called");
  const double after = lab.next_prob(lab.probe().context, " Max", true);
  MESSAGE("p(Max) " << before << " → " << after);
  CHECK(after > before);
  REQUIRE(run(lab, "teach facts add \"Lily's dog is very old.\"").ok);
  CHECK(lab.facts().facts.size() == 11);
  CHECK_FALSE(run(lab, "teach facts add \"\"").ok);
}

TEST_CASE("TeachLab: votes become DPO pairs; the mix makes a corpus; bad input is refused") {
  TeachLab lab;
  REQUIRE(run(lab, "teach prompt \"Lily went to the park. She\"").ok);
  REQUIRE(run(lab, "teach sample").ok);
  CHECK_FALSE(lab.sample_a().empty());
  REQUIRE(run(lab, "teach vote a").ok);
  REQUIRE(run(lab, "teach sample").ok);
  REQUIRE(run(lab, "teach vote b").ok);
  CHECK(lab.votes().size() == 2);
  CHECK_FALSE(run(lab, "teach vote a").ok);  // the samples were used
  // the vote list survives a save and a load (JSON lines, as glassbox dpo reads them)
  const auto dir = std::filesystem::temp_directory_path() / "gb_teach_lab_test";
  std::filesystem::create_directories(dir);
  const std::string votes_file = quote_word((dir / "votes.jsonl").string());
  REQUIRE(run(lab, "teach votes save " + votes_file).ok);
  const std::vector<TeachVote> saved = lab.votes();
  REQUIRE(run(lab, "teach votes clear").ok);
  CHECK(lab.votes().empty());
  CHECK_FALSE(run(lab, "teach dpo steps 1").ok);  // no votes
  REQUIRE(run(lab, "teach votes load " + votes_file).ok);
  REQUIRE(lab.votes().size() == 2);
  CHECK(lab.votes()[1].chosen == saved[1].chosen);
  CHECK_FALSE(run(lab, "teach votes load /no/such/votes.jsonl").ok);
  REQUIRE(run(lab, "teach dpo steps 3").ok);
  REQUIRE(run(lab, "teach wait").ok);
  TeachProgress p = lab.progress();
  REQUIRE(p.dpo_loss.size() == 3);
  CHECK(p.dpo_loss[0] == doctest::Approx(std::log(2.0)).epsilon(1e-4));  // step 1 starts at the reference
  REQUIRE(run(lab, "teach mix 0.8").ok);
  CHECK(lab.mix() == doctest::Approx(0.8));
  CHECK_FALSE(run(lab, "teach mix 2").ok);
  CHECK(run(lab, "teach set mix 2").message == "mix 2: out of range 0\xe2\x80\x93" "1");
  REQUIRE(run(lab, "teach set lr 0.002").ok);  // applies to the next steps; the tuned weights are kept
  CHECK(lab.tuner()->config().lr == doctest::Approx(0.002));
  CHECK(lab.tuner()->steps_done() == 3);
  REQUIRE(run(lab, "teach set steps 5").ok);
  CHECK(lab.steps_per_run() == 5);
  CHECK_FALSE(run(lab, "teach set rank 65").ok);
  CHECK_FALSE(run(lab, "teach vote c").ok);
  CHECK_FALSE(run(lab, "teach mode lora 0").ok);
  CHECK_FALSE(run(lab, "teach corpus /no/such/file.txt").ok);
  CHECK_FALSE(run(lab, "teach dance").ok);
  CHECK_FALSE(run(lab, "teach").ok);
}

TEST_CASE("TeachLab: the data mix moves the model's pronoun for the doctor") {
  // Two runs from the same base: 10% "she" and 90% "she" doctor stories, 15 fine-tuning steps each.
  double p_she[2] = {0, 0}, p_he[2] = {0, 0};
  const char* mixes[2] = {"0.1", "0.9"};
  for (int i = 0; i < 2; ++i) {
    TeachLab lab;
    REQUIRE(run(lab, std::string("teach mix ") + mixes[i]).ok);
    REQUIRE(run(lab, "teach finetune 15").ok);
    REQUIRE(run(lab, "teach wait").ok);
    p_she[i] = lab.next_prob(kDoctorProbe, " she", false);
    p_he[i] = lab.next_prob(kDoctorProbe, " he", false);
    MESSAGE("mix " << std::string(mixes[i]) << ": p(she) " << p_she[i] << ", p(he) " << p_he[i] << " (base: she "
                   << lab.next_prob(kDoctorProbe, " she", true) << ", he " << lab.next_prob(kDoctorProbe, " he", true) << ")");
  }
  CHECK(p_she[1] / (p_she[1] + p_he[1]) > p_she[0] / (p_she[0] + p_he[0]) + 0.2);
}

// A measurement for the notes, not a check (run with --no-skip): a rule-voter prefers samples that
// contain "happy"; how often does the word appear in fresh samples before and after DPO on its votes?
TEST_CASE("TeachLab measurement: rule-voter votes, DPO, share of samples with the word" * doctest::skip()) {
  TeachLab lab;
  REQUIRE(run(lab, "teach prompt \"Tom found his ball. He was\"").ok);
  auto share = [&](int n) {
    int hit = 0;
    for (int i = 0; i < n; ++i) {
      run(lab, "teach sample");
      hit += lab.sample_a().find("happy") != std::string::npos;
      hit += lab.sample_b().find("happy") != std::string::npos;
    }
    return double(hit) / (2.0 * n);
  };
  const double before = share(50);
  REQUIRE(run(lab, "teach rule happy").ok);
  int samples = 0;
  while (lab.votes().size() < 8 && samples < 400) {
    run(lab, "teach sample");
    ++samples;
  }
  REQUIRE(run(lab, "teach rule off").ok);
  MESSAGE(lab.votes().size() << " votes from " << samples << " sample pairs");
  for (int round = 1; round <= 3; ++round) {
    REQUIRE(run(lab, "teach dpo steps 5").ok);
    REQUIRE(run(lab, "teach wait").ok);
    const TeachProgress p = lab.progress();
    MESSAGE("after " << 5 * round << " DPO steps (" << p.seconds_per_step * 1e3 << " ms/step): loss " << p.dpo_loss.back()
                     << ", KL " << p.dpo_kl.back() << ", samples with \"happy\" " << share(50) * 100 << "% (before: "
                     << before * 100 << "%)");
  }
}

TEST_CASE("TeachLab: the panels' numbers — modes' sizes, forgetting points, ‖ΔW‖, LoRA's product, bias runs") {
  TeachLab lab;
  REQUIRE(run(lab, "teach corpus sea").ok);
  CHECK(lab.trainable_for(4) == 32768);  // 16·C·r·L = 16·128·4·4
  CHECK(lab.trainable_for(0) == lab.tuner()->model_count());
  CHECK_FALSE(run(lab, "teach corpus text \"\"").ok);  // empty: refused with the reason
  REQUIRE(run(lab, "teach set rank 4").ok);
  REQUIRE(run(lab, "teach set lr 0.01").ok);
  REQUIRE(run(lab, "teach finetune 6").ok);
  REQUIRE(run(lab, "teach wait").ok);
  TeachProgress p = lab.progress();
  REQUIRE(p.forgetting.size() == 3);  // steps 0, 5, 6
  CHECK(p.forgetting[0].step == 0);
  CHECK(p.forgetting[1].step == 5);
  CHECK(p.forgetting[2].step == 6);
  CHECK(p.forgetting[2].style < p.forgetting[0].style);  // the style is being learned
  CHECK(lab.changes().size() > 0);
  int rows = 0, cols = 0;
  const std::vector<float>& ba = lab.lora_product(0, rows, cols);
  CHECK(rows == 384);  // h.0.attn.c_attn: (3C, C)
  CHECK(cols == 128);
  REQUIRE(ba.size() == size_t(rows) * size_t(cols));
  // ‖s·B·A‖ is the change of that matrix (LoRA moves W by exactly s·B·A)
  double norm2 = 0;
  for (float x : ba) norm2 += double(x) * x;
  for (const MatrixChange& m : lab.changes())
    if (m.name == "h.0.attn.c_attn.weight") CHECK(std::sqrt(norm2) == doctest::Approx(m.norm).epsilon(1e-3));
  REQUIRE(run(lab, "teach undo").ok);
  CHECK(lab.progress().forgetting.empty());
  REQUIRE(run(lab, "teach set steps 3").ok);
  REQUIRE(run(lab, "teach set mix 0.9").ok);
  REQUIRE(run(lab, "teach bias run").ok);
  REQUIRE(run(lab, "teach wait").ok);
  REQUIRE(lab.bias_points().size() == 1);
  CHECK(lab.bias_points()[0].mix == doctest::Approx(0.9));
  CHECK(lab.bias_points()[0].steps == 3);
  CHECK(lab.bias_points()[0].p_she > lab.base_p_she());
  REQUIRE(run(lab, "teach bias run 0.1 0.9").ok);  // one job, two runs, each from the base
  REQUIRE(run(lab, "teach wait").ok);
  REQUIRE(lab.bias_points().size() == 3);
  CHECK(lab.bias_points()[1].mix == doctest::Approx(0.1));
  CHECK(lab.bias_points()[2].p_she / (lab.bias_points()[2].p_she + lab.bias_points()[2].p_he) >
        lab.bias_points()[1].p_she / (lab.bias_points()[1].p_she + lab.bias_points()[1].p_he));
  CHECK(lab.tuner()->steps_done() == 3);
  CHECK_FALSE(run(lab, "teach bias run 2").ok);
  REQUIRE(run(lab, "teach bias clear").ok);
  CHECK(lab.bias_points().empty());
}

TEST_CASE("TeachLab: the tuned model survives quit and reload (kept file), undo removes it") {
  const auto dir = std::filesystem::temp_directory_path() / "gb_teach_lab_tuned";
  std::filesystem::remove_all(dir);
  const std::string file = (dir / "teach" / "tuned.safetensors").string();
  std::vector<float> tuned;
  {
    TeachLab lab;
    lab.set_tuned_file(file);
    REQUIRE(run(lab, "teach corpus sea").ok);
    REQUIRE(run(lab, "teach finetune 3").ok);
    REQUIRE(run(lab, "teach wait").ok);
    REQUIRE(std::filesystem::exists(file));
    tuned = lab.tuner()->weights().data;
  }
  {
    TeachLab lab;  // the app started again
    lab.set_tuned_file(file);
    CommandResult r = run(lab, "teach load shipped");
    REQUIRE(r.ok);
    CHECK(r.message.find("restored your fine-tuned model (3 steps)") != std::string::npos);
    REQUIRE(lab.tuner() != nullptr);
    CHECK(lab.tuner()->steps_done() == 3);
    CHECK(lab.tuner()->weights().data == tuned);
    CHECK(lab.tuner()->weights().data != lab.tuner()->base().data);
    REQUIRE(run(lab, "teach undo").ok);
    CHECK_FALSE(std::filesystem::exists(file));
  }
  {
    TeachLab lab;  // nothing kept: the base
    lab.set_tuned_file(file);
    REQUIRE(run(lab, "teach load shipped").ok);
    CHECK(lab.tuner()->steps_done() == 0);
  }
  {  // a damaged file: the base loads, the message says why
    std::filesystem::create_directories(dir / "teach");
    write_file_atomic(file, "not a model");
    TeachLab lab;
    lab.set_tuned_file(file);
    REQUIRE(run(lab, "teach load shipped").ok);
    CHECK(lab.tuner()->steps_done() == 0);
    CHECK(lab.tuned_message().find("not restored") != std::string::npos);
  }
}
