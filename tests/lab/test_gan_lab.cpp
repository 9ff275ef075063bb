// GanLab through commands: 2D steps (d, g, full), settings with validation, undo, presets, drawn
// points, Run mode from update(), and the image GAN's class/seed/interpolate commands.
#include <doctest/doctest.h>

#include <limits>

#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/command.hpp"

using namespace gb;

namespace {
CommandResult run(GanLab& lab, const std::string& line) { return lab.handle(parse_command(line)); }
}  // namespace

TEST_CASE("GanLab 2D: step d / step g / step, settings, undo") {
  GanLab lab;
  CHECK(lab.mode() == "2d");
  CHECK(run(lab, "step d").ok);
  CHECK(lab.toy().d_steps() == 1);
  CHECK(run(lab, "step g").ok);
  CHECK(lab.toy().g_steps() == 1);
  CHECK(run(lab, "k 3").ok);
  CHECK(run(lab, "step 2").ok);
  CHECK(lab.toy().d_steps() == 7);
  CHECK(lab.toy().g_steps() == 3);
  CHECK(run(lab, "back").ok);  // undoes `step 2`
  CHECK(lab.toy().g_steps() == 1);
  CHECK(run(lab, "loss hinge").ok);
  CHECK(lab.toy().config().loss == GanLoss::hinge);
  CHECK(run(lab, "optim sgd").ok);
  CHECK(run(lab, "lr 0.01 0.002").ok);
  CHECK(lab.toy().config().lr_d == doctest::Approx(0.002));
  // Malformed input: messages, nothing changes.
  auto r = run(lab, "lr nan");
  CHECK_FALSE(r.ok);
  CHECK(r.message.find("not a number") != std::string::npos);
  CHECK_FALSE(run(lab, "k 0").ok);
  CHECK_FALSE(run(lab, "loss wgan").ok);
  CHECK_FALSE(run(lab, "dataset circle").ok);
  CHECK_FALSE(run(lab, "preset nope").ok);
  CHECK_FALSE(run(lab, "fly").ok);
  CHECK(lab.toy().config().lr_g == doctest::Approx(0.01));
  CHECK(run(lab, "preset mode-collapse").ok);
  CHECK(lab.toy().config().lr_g == doctest::Approx(2e-3));
  CHECK(run(lab, "seed 5").ok);
  CHECK(lab.toy().config().seed == 5);
}

TEST_CASE("GanLab 2D: drawn points need two different points; Run mode steps from update()") {
  GanLab lab;
  auto r = run(lab, "point 0.5 0.5");
  CHECK(r.ok);
  CHECK(r.message.find("at least two different points") != std::string::npos);
  CHECK(lab.toy().config().data.kind == ToyDataset::ring);  // unchanged until the set can be sampled
  CHECK_FALSE(run(lab, "dataset custom").ok);
  CHECK(run(lab, "point -0.5 0.2").ok);
  CHECK(lab.toy().config().data.kind == ToyDataset::custom);
  CHECK(lab.drawn_points().size() == 4);
  CHECK_FALSE(run(lab, "point 1").ok);
  CHECK(run(lab, "clear points").ok);
  CHECK(lab.toy().config().data.kind == ToyDataset::ring);

  CHECK(run(lab, "speed 20").ok);
  lab.set_frame_budget_ms(1e6);  // sanitizer builds are slow; the step count must not depend on speed
  CHECK(run(lab, "run").ok);
  lab.update(0.0);
  lab.update(0.1);  // 0.1 s at 20 steps/s = 2 steps (well inside the per-frame time budget)
  CHECK(lab.toy().g_steps() == 2);
  CHECK(run(lab, "pause").ok);
  lab.update(0.3);
  CHECK(lab.toy().g_steps() == 2);
  CHECK(lab.status().find("step 2") != std::string::npos);
}

TEST_CASE("GanLab image: class, seeds and interpolation (shipped model)") {
  GanLab lab;
  CHECK(run(lab, "mode image").ok);
  CHECK_FALSE(run(lab, "class Hat").ok);
  CHECK_FALSE(run(lab, "interpolate 1.5").ok);
  CHECK_FALSE(run(lab, "train pause").ok);  // nothing training
  CHECK_FALSE(run(lab, "load /no/such/model.safetensors").ok);
  // The shipped model is in the repository: a missing or unreadable one is a failure, not a skip.
  REQUIRE_MESSAGE(lab.has_image_model(), "no shipped image GAN: " << lab.image_message());
  CHECK(run(lab, "class Sneaker").ok);
  CHECK(lab.image_view().label == 7);
  CHECK(lab.image_view().image.size() == 784);
  CHECK(run(lab, "interpolate 3 9 0").ok);
  const auto a = lab.image_view().image;
  CHECK(run(lab, "interpolate 1").ok);
  const auto b = lab.image_view().image;
  CHECK(a != b);
  CHECK(run(lab, "seed 9").ok);
  CHECK(run(lab, "interpolate 0").ok);
  CHECK(lab.image_view().image == b);  // seed A = 9 at t = 0 is seed B = 9 at t = 1
  CHECK(lab.image_view().d_prob >= 0.0f);
  CHECK(lab.image_view().d_prob <= 1.0f);
}

TEST_CASE("GanLab 2D: Run mode paused and resumed equals the same number of uninterrupted steps") {
  GanLab a, b;
  a.set_frame_budget_ms(1e6);  // step counts must not depend on machine speed (ASan)
  CHECK(run(a, "speed 20").ok);
  CHECK(run(a, "run").ok);
  a.update(0.0);
  a.update(0.1);  // 2 steps
  CHECK(run(a, "pause").ok);
  a.update(3.0);  // paused: nothing
  CHECK(a.toy().g_steps() == 2);
  CHECK(run(a, "run").ok);
  a.update(10.0);  // the clock restarts on `run`: the pause is not made up for
  a.update(10.15);  // 3 steps
  CHECK(run(a, "pause").ok);
  CHECK(a.toy().g_steps() == 5);
  CHECK(run(b, "step 5").ok);
  CHECK(a.toy().g.data == b.toy().g.data);
  CHECK(a.toy().d.data == b.toy().d.data);
  CHECK(a.toy().history().size() == b.toy().history().size());
}

TEST_CASE("GanLab 2D view: field, points, arrows and latent grid follow the networks") {
  GanLab lab;
  const Gan2dView& v0 = lab.view2d();
  const int R = v0.field_res;
  REQUIRE(R >= 8);
  CHECK(v0.field.size() == size_t(R) * R);
  CHECK(v0.field_is_prob);
  for (float f : v0.field) {
    CHECK(f >= 0.0f);
    CHECK(f <= 1.0f);
  }
  CHECK(v0.real.size() == v0.fake.size());
  CHECK(v0.grid.size() == size_t(v0.grid_res) * v0.grid_res * 2);
  CHECK_FALSE(v0.arrows.empty());
  // The field is D's output on the plane: one cell checked against the network directly.
  const float x = v0.lo + (v0.hi - v0.lo) * 3 / float(R - 1), y = v0.lo + (v0.hi - v0.lo) * 5 / float(R - 1);
  CHECK(v0.field[size_t(5) * R + 3] == doctest::Approx(sigmoid(lab.toy().disc_score(x, y))).epsilon(1e-5));
  const auto version = v0.version;
  const auto fake0 = v0.fake;
  CHECK(run(lab, "step 3").ok);
  const Gan2dView& v1 = lab.view2d();
  CHECK(v1.version != version);
  CHECK(v1.fake != fake0);
  CHECK(lab.view2d().version == v1.version);  // not recomputed without a change
  // History carries D's mean output on real and fake points (probabilities for ns).
  const auto& h = lab.toy().history().back();
  CHECK(h.d_real >= 0.0f);
  CHECK(h.d_real <= 1.0f);
  CHECK(h.d_fake >= 0.0f);
  CHECK(h.d_fake <= 1.0f);
  // Hinge: the field is a raw score (not squashed into [0, 1]).
  CHECK(run(lab, "loss hinge").ok);
  CHECK_FALSE(lab.view2d().field_is_prob);
  CHECK(lab.view2d().field[size_t(5) * R + 3] == doctest::Approx(lab.toy().disc_score(x, y)).epsilon(1e-5));
}

TEST_CASE("GanLab image: sample grid by class and the interpolation strip") {
  GanLab lab;
  CHECK_FALSE(run(lab, "samples 0").ok);
  CHECK_FALSE(run(lab, "frames 2").ok);
  CHECK_FALSE(run(lab, "samples 13").ok);
  // Bad training options are refused before any data is loaded.
  CHECK_FALSE(run(lab, "train start every 0").ok);
  CHECK_FALSE(run(lab, "train start steps").ok);
  auto r = run(lab, "train start often 3");
  CHECK_FALSE(r.ok);
  CHECK(r.message.find("often") != std::string::npos);
  CHECK(lab.training() == nullptr);
  REQUIRE(run(lab, "load shipped").ok);  // shipped in the repository: missing is a failure
  CHECK(lab.mode() == "2d");  // loading does not switch the view
  CHECK(run(lab, "samples 2").ok);
  CHECK(run(lab, "frames 3").ok);
  CHECK(run(lab, "seed 11").ok == true);  // 2D mode: a 2D seed
  CHECK(lab.toy().config().seed == 11);
  CHECK(run(lab, "mode image").ok);
  CHECK(run(lab, "seed 4").ok);
  CHECK(run(lab, "seed2 8").ok);
  const GanSampleGrid& g = lab.sample_grid();
  REQUIRE(g.per_class == 2);
  CHECK(g.seed == 4);
  REQUIRE(g.images.size() == 10u * 2 * 784);
  REQUIRE(g.d_prob.size() == 20u);
  // Class-major: image (class 7, sample 1) is latent seed 4 + 1 drawn as class 7.
  const ImageGan& m = *lab.image_model();
  auto img = m.generate(m.latent_for_seed(5), {7});
  std::vector<uint8_t> want(784);
  for (size_t i = 0; i < 784; ++i) want[i] = model_to_pixel(img[i]);
  CHECK(std::vector<uint8_t>(g.images.begin() + (7 * 2 + 1) * 784, g.images.begin() + (7 * 2 + 2) * 784) == want);
  CHECK(g.d_prob[7 * 2 + 1] == doctest::Approx(sigmoid(m.score(img.data(), 7))));
  // Strip: frame 0 is seed A, the last frame seed B, for the current class.
  CHECK(run(lab, "class Bag").ok);
  const GanStrip& s = lab.strip();
  REQUIRE(s.t.size() == 3u);
  CHECK(s.label == 8);
  CHECK(s.t[1] == doctest::Approx(0.5));
  CHECK(run(lab, "interpolate 1").ok);
  CHECK(std::vector<uint8_t>(s.images.begin() + 2 * 784, s.images.end()) == lab.image_view().image);
  CHECK(s.d_prob[2] == doctest::Approx(lab.image_view().d_prob));
}

TEST_CASE("GanLab: reset_to_defaults gives a fresh lab; default panels are real panel ids") {
  GanLab lab, fresh;
  CHECK(run(lab, "preset mode-collapse").ok);
  CHECK(run(lab, "step 2").ok);
  CHECK(run(lab, "point 0 0").ok);
  CHECK(run(lab, "run").ok);
  lab.reset_to_defaults();
  CHECK_FALSE(lab.running());
  CHECK(lab.undo_depth() == 0);
  CHECK(lab.drawn_points().empty());
  CHECK(lab.toy().g_steps() == 0);
  CHECK(lab.toy().g.data == fresh.toy().g.data);
  CHECK(lab.toy().config().lr_g == fresh.toy().config().lr_g);
  for (const auto& id : lab.default_panels()) {
    bool found = false;
    for (const auto& p : lab.panels()) found = found || p.id == id;
    CHECK_MESSAGE(found, id);
  }
}

TEST_CASE("GanLab 2D: the preset box can name the chosen preset (and says when settings were changed by hand)") {
  GanLab lab;
  CHECK(lab.preset() == "ring");  // a fresh lab starts on the ring preset
  REQUIRE(run(lab, "preset mode-collapse").ok);
  CHECK(lab.preset() == "mode-collapse");
  REQUIRE(run(lab, "step 2").ok);
  CHECK(lab.preset() == "mode-collapse");  // training does not change the settings
  REQUIRE(run(lab, "seed 9").ok);
  CHECK(lab.preset() == "mode-collapse");  // another seed, the same settings
  REQUIRE(run(lab, "lr 0.001 0.001").ok);
  CHECK(lab.preset() == "ring");  // mode-collapse with balanced learning rates is the ring preset
  REQUIRE(run(lab, "k 3").ok);
  CHECK(lab.preset().empty());  // no preset has these settings
  REQUIRE(run(lab, "back").ok);
  CHECK(lab.preset() == "ring");
  REQUIRE(run(lab, "preset wgan-gp").ok);
  CHECK(lab.preset() == "wgan-gp");
  REQUIRE(run(lab, "dataset moons").ok);
  CHECK(lab.preset().empty());  // wgan-gp settings on the moons: not a preset
}

TEST_CASE("GanLab: Run mode asks for every frame, a paused lab for none") {
  GanLab lab;
  lab.update(0.0);
  CHECK(lab.seconds_until_update(0.0) >= gb::Lab::kNever);
  REQUIRE(lab.handle(gb::parse_command("run")).ok);
  CHECK(lab.seconds_until_update(0.0) == 0.0);
  REQUIRE(lab.handle(gb::parse_command("pause")).ok);
  CHECK(lab.seconds_until_update(0.0) >= gb::Lab::kNever);
}

TEST_CASE("Session: a highlight pulses (frames until it fades), otherwise nothing to draw") {
  gb::Session s;
  s.update(0.0);
  CHECK(s.seconds_until_update() >= gb::Lab::kNever);
  REQUIRE(s.run("highlight gan.playground 2").ok);
  CHECK(s.seconds_until_update() < 0.1);
  s.update(3.0);  // faded
  CHECK(s.seconds_until_update() >= gb::Lab::kNever);
}
