// VaeLab through commands: the shipped models load, the views (map, atlas, one picture, walk, samples) have
// the right shapes and follow the commands, bad numbers and bad files get messages and change nothing, and
// live training runs, pauses, resumes, writes an atomic checkpoint and can be used.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/files.hpp"
#include "lab/command.hpp"
#include "lab/session.hpp"
#include "lab/vae_lab.hpp"
#include "models/vae/vae_train.hpp"

using namespace gb;

namespace {
CommandResult run(VaeLab& lab, const std::string& line) { return lab.handle(parse_command(line)); }

// Waits (polling the snapshot, at most `seconds`) until `done` holds.
template <class F>
bool wait_for(VaeLab& lab, F done, double seconds = 120) {
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
    lab.update(0);
    if (lab.training() && done(*lab.training())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}
}  // namespace

TEST_CASE("VaeLab: shipped models, views and their commands") {
  VaeLab lab;
  lab.ensure_loaded();
  // The shipped models are in the repository: missing ones are a failure, not a skip.
  REQUIRE_MESSAGE(lab.has_map_model(), lab.load_message());
  REQUIRE_MESSAGE(lab.has_cond_model(), lab.load_message());
  REQUIRE_MESSAGE(lab.has_test_images(), lab.load_message());
  CHECK(lab.map_model()->config().latent == 2);
  CHECK(lab.cond_model()->config().conditional());

  const VaeMap& m = lab.map();
  CHECK(m.count == 2000);
  CHECK(m.mu.size() == 4000);
  CHECK(m.lo < -3);
  for (float s : m.sigma) REQUIRE((s > 0 && std::isfinite(s)));

  const VaeAtlas& a = lab.atlas();
  CHECK(a.res == 20);
  CHECK(a.images.size() == size_t(400) * 784);

  CHECK(run(lab, "cursor 1.5 -2").ok);
  CHECK(lab.cursor_z1() == doctest::Approx(1.5));
  CHECK(lab.cursor_image().size() == 784);
  CHECK_FALSE(run(lab, "cursor 7 0").ok);      // out of −6…6
  CHECK_FALSE(run(lab, "cursor nan 0").ok);
  CHECK(lab.cursor_z1() == doctest::Approx(1.5));

  // One picture: the trace's numbers obey z = μ + σ·ε; resample changes ε only.
  CHECK(run(lab, "image 17").ok);
  const VaeOneImage o = lab.one();
  CHECK(o.test_index == 17);
  REQUIRE(o.trace.mu.size() == 2);
  for (int k = 0; k < 2; ++k) CHECK(o.trace.z[k] == doctest::Approx(o.trace.mu[k] + o.trace.sigma[k] * o.trace.eps[k]).epsilon(1e-5));
  CHECK(o.trace.loss.rec > 0);
  CHECK(o.trace.loss.kl > 0);
  CHECK(run(lab, "resample").ok);
  CHECK(lab.one().trace.mu == o.trace.mu);
  CHECK(lab.one().trace.eps != o.trace.eps);
  CHECK_FALSE(run(lab, "image 10000").ok);
  CHECK_FALSE(run(lab, "image -1").ok);

  // Drawing: ink appears around the brush, the drawing goes through the VAE, clear wipes it.
  CHECK(run(lab, "draw 14 14 14 15 14 16").ok);
  CHECK(lab.canvas()[14 * 28 + 14] == 255);
  CHECK(lab.canvas()[0] == 0);
  CHECK(lab.one().source == "your drawing");
  CHECK(lab.one().input == lab.canvas());
  CHECK_FALSE(run(lab, "draw 14").ok);
  CHECK_FALSE(run(lab, "draw 28 3").ok);
  CHECK(run(lab, "canvas clear").ok);
  CHECK(lab.canvas()[14 * 28 + 14] == 0);

  // The walk: ends are the two pictures in the cross-fade, the latent line joins their μ.
  CHECK(run(lab, "interpolate 3 9").ok);
  const VaeInterp& w = lab.interp();
  REQUIRE(w.t.size() == 10);
  CHECK(w.latent_line.size() == 10 * 784);
  CHECK(std::equal(w.crossfade.begin(), w.crossfade.begin() + 784, lab.test_images()->image(3)));
  CHECK(std::equal(w.crossfade.end() - 784, w.crossfade.end(), lab.test_images()->image(9)));
  CHECK(w.z[0] == doctest::Approx(lab.map().mu[3 * 2]).epsilon(1e-4));
  CHECK_FALSE(run(lab, "interpolate 3").ok);

  // Conditional samples: one class or all; column j uses seed + j at every class.
  CHECK(run(lab, "class Sneaker").ok);
  CHECK(run(lab, "grid 4").ok);
  CHECK(run(lab, "seed 5").ok);
  const VaeSamples s1 = lab.samples();
  CHECK(s1.classes == std::vector<int>{7});
  CHECK(s1.images.size() == 4 * 784);
  CHECK(run(lab, "class all").ok);
  const VaeSamples& s2 = lab.samples();
  CHECK(s2.classes.size() == 10);
  CHECK(std::equal(s1.z.begin(), s1.z.end(), s2.z.begin() + 7 * 4 * long(lab.cond_model()->config().latent)));
  CHECK(run(lab, "temperature 0").ok);
  {  // the fitted prior (the shipped model's default): every z is one of its class's component centres
    const VaeSamples& s = lab.samples();
    REQUIRE(s.fitted);
    const VaeFittedPrior& fp = lab.cond_model()->fitted_prior();
    const size_t Z = size_t(fp.latent);
    REQUIRE(s.component.size() == s.classes.size() * size_t(s.per_class));
    for (size_t i = 0; i < s.component.size(); ++i) {
      const size_t c = size_t(s.classes[i / size_t(s.per_class)]), k = size_t(s.component[i]);
      for (size_t j = 0; j < Z; ++j) CHECK(s.z[i * Z + j] == fp.means[(c * size_t(fp.components) + k) * Z + j]);
    }
  }
  CHECK(run(lab, "set prior standard").ok);  // N(0, I) at temperature 0: its centre
  CHECK_FALSE(lab.samples().fitted);
  for (float z : lab.samples().z) CHECK(z == 0.0f);
  CHECK(run(lab, "set prior fitted").ok);
  CHECK(lab.samples().fitted);
  CHECK_FALSE(run(lab, "temperature 4").ok);
  CHECK_FALSE(run(lab, "class Hat").ok);
  CHECK_FALSE(run(lab, "grid 0").ok);
  CHECK_FALSE(run(lab, "fly").ok);
}

TEST_CASE("VaeLab: a bad checkpoint gets a message naming the file and keeps the loaded model") {
  VaeLab lab;
  lab.ensure_loaded();
  REQUIRE(lab.has_map_model());
  const Vae* before = lab.map_model();
  const Vae* before_c = lab.cond_model();
  const auto dir = std::filesystem::temp_directory_path() / "gb_vae_lab_test";
  std::filesystem::create_directories(dir);
  const std::string bad = (dir / "corrupt.safetensors").string();
  {
    std::ofstream f(bad, std::ios::binary);
    f << "\x10\x00\x00\x00\x00\x00\x00\x00{\"a\": broken}";
  }
  auto r = run(lab, "load " + bad);
  CHECK_FALSE(r.ok);
  CHECK(r.message.find(bad) != std::string::npos);
  CHECK(r.message.find("unchanged") != std::string::npos);
  CHECK(lab.map_model() == before);
  CHECK(lab.cond_model() == before_c);
  r = run(lab, "load " + (dir / "missing.safetensors").string());
  CHECK_FALSE(r.ok);
  CHECK(lab.map_model() == before);
  // A real VAE with the wrong shape for the map: refused with the reason.
  Vae z4(VaeConfig{4, 0, 16, 8});
  z4.init(1);
  const std::string z4_path = (dir / "z4.safetensors").string();
  z4.save(z4_path, false);
  r = run(lab, "load " + z4_path);
  CHECK_FALSE(r.ok);
  CHECK(r.message.find("needs exactly 2") != std::string::npos);
  CHECK(lab.map_model() == before);
  // A good 2D file replaces the map's model (and only it).
  Vae z2(VaeConfig{2, 0, 16, 8});
  z2.init(2);
  const std::string z2_path = (dir / "z2.safetensors").string();
  z2.save(z2_path, false);
  CHECK(run(lab, "load " + z2_path).ok);
  CHECK(lab.map_model() != before);
  CHECK(lab.map_model()->config().hidden1 == 16);
  CHECK(lab.cond_model() == before_c);
  CHECK(lab.map_source() == z2_path);
  std::filesystem::remove_all(dir);
}

TEST_CASE("VaeLab: live training pauses, resumes, writes a checkpoint that resumes, and can be used") {
  VaeLab lab;
  lab.ensure_loaded();
  CHECK_FALSE(run(lab, "train pause").ok);  // nothing is training
  CHECK_FALSE(run(lab, "train start beta -1").ok);
  CHECK_FALSE(run(lab, "train start steps").ok);
  CHECK_FALSE(run(lab, "train start frobs 3").ok);
  const auto dir = std::filesystem::temp_directory_path() / "gb_vae_lab_train";
  std::filesystem::create_directories(dir);
  const std::string ckpt = (dir / "run.ckpt.safetensors").string();
  auto r = run(lab, "train start beta 2 steps 30 warmup 10 checkpoint " + ckpt + " every 10");
  REQUIRE_MESSAGE(r.ok, r.message);
  CHECK(run(lab, "train pause").ok);
  REQUIRE(wait_for(lab, [](const VaeSnapshot& s) { return s.paused || s.finished; }));
  const int64_t at = lab.training()->step;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  lab.update(0);
  CHECK(lab.training()->step == at);  // paused: no steps
  CHECK(run(lab, "train resume").ok);
  REQUIRE(wait_for(lab, [](const VaeSnapshot& s) { return s.finished; }));
  const auto snap = lab.training();
  CHECK(snap->step == 30);
  CHECK(snap->rec.size() == 30);
  CHECK(snap->kl.size() == 30);
  CHECK(snap->beta == doctest::Approx(2));
  CHECK(snap->prior.size() == size_t(16) * 784);
  CHECK(snap->recons.size() == size_t(8) * 784);
  CHECK(snap->mu.size() == snap->mu_labels.size() * 2);
  CHECK(snap->checkpoint == ckpt);
  // The checkpoint holds the full state at the end of the run.
  const VaeTrainer back = VaeTrainer::load_checkpoint(ckpt);
  CHECK(back.step == 30);
  CHECK(back.tc.kl_warmup == 10);
  CHECK(back.rec_history == snap->rec);
  const Vae* shipped = lab.map_model();
  CHECK(run(lab, "train use").ok);
  CHECK(lab.map_model() != shipped);
  CHECK(lab.map_source().find("trained here") != std::string::npos);
  CHECK(lab.map().count == 2000);
  // reset_to_defaults stops training and keeps the models.
  CHECK(run(lab, "train beta8").ok);
  lab.reset_to_defaults();
  CHECK(lab.training() == nullptr);
  CHECK(lab.has_map_model());
  std::filesystem::remove_all(dir);
}

TEST_CASE("Session: the vae workspace and its panels") {
  Session s;
  CHECK(s.run("workspace vae").ok);
  CHECK(s.view.workspace == "vae");
  for (const char* id : {"vae.map", "vae.atlas", "vae.one", "vae.beta", "vae.interpolate", "vae.samples", "vae.compare"})
    CHECK_MESSAGE(s.has_panel(id), id);
  CHECK(s.run("vae cursor 0.5 0.5").ok);
  CHECK_FALSE(s.run("workspace vee").ok);
}

TEST_CASE("VaeLab: compare draws the same class and seed with the three image families in the background") {
  VaeLab lab;
  CHECK(run(lab, "class Sneaker").ok);
  CHECK(run(lab, "seed 3").ok);
  CHECK_FALSE(run(lab, "compare now").ok);
  CHECK(run(lab, "compare").ok);
  CHECK(lab.computing());
  CHECK(run(lab, "compare").ok);  // while one runs: another follows it, nothing blocks
  const auto t0 = std::chrono::steady_clock::now();
  while ((lab.computing() || lab.comparison().rows.empty()) &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(300)) {
    lab.update(0);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const VaeCompare& c = lab.comparison();
  REQUIRE(c.rows.size() == 3);
  CHECK(c.label == 7);
  CHECK(c.seed == 3);
  for (const auto& r : c.rows) {
    CHECK_MESSAGE(r.ok, r.family << ": " << r.message);
    CHECK(r.image.size() == 784);
    CHECK(r.seconds > 0);
    CHECK_FALSE(r.trade.empty());
  }
  CHECK(c.rows[0].network_evals == 1);
  CHECK(c.rows[1].network_evals == 1);
  CHECK(c.rows[2].network_evals == 100);  // 50 DDIM steps, two passes each for guidance
  // The VAE's picture is exactly the samples panel's first sample of that class and seed.
  CHECK(run(lab, "grid 1").ok);
  CHECK(std::equal(c.rows[1].image.begin(), c.rows[1].image.end(), lab.samples().images.begin()));
}
