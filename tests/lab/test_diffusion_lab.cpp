// DiffusionLab through commands: panels, step/back bit-exact undo, seeded determinism, t / frame
// scrubbing and the filmstrip cache, bad values, presets, compare, forward view, play mode.
// Step counts are tiny: CI runs this under AddressSanitizer.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "lab/command.hpp"
#include "lab/diffusion_lab.hpp"

using namespace gb;

namespace {
CommandResult run(DiffusionLab& lab, const std::string& line) { return lab.handle(parse_command(line)); }
bool has(const CommandResult& r, const std::string& s) { return r.message.find(s) != std::string::npos; }
// Set-up: every command must succeed (the failing one is named).
void run_ok(DiffusionLab& lab, std::initializer_list<const char*> lines) {
  for (const char* line : lines) {
    INFO("command: " << line);
    REQUIRE(run(lab, line).ok);
  }
}
}  // namespace

TEST_CASE("DiffusionLab panels: the ids lessons use") {
  DiffusionLab lab;
  std::vector<std::string> ids;
  for (auto& p : lab.panels()) ids.push_back(p.id);
  const std::vector<std::string> want = {"diffusion.sampler", "diffusion.step",    "diffusion.filmstrip", "diffusion.schedule",
                                         "diffusion.forward", "diffusion.compare", "diffusion.points",    "diffusion.training"};
  CHECK(ids == want);
  // every command verb is documented
  std::string all;
  for (auto& c : lab.commands()) all += c.usage + "\n";
  for (const char* v : {"preset", "compare", "forward", "frame", "play", "set point-count", "set guidance", "t T", "step", "back", "run", "reset"})
    CHECK_MESSAGE(all.find(v) != std::string::npos, v);
}

TEST_CASE("DiffusionLab image: step then back restores x_t bit for bit") {
  DiffusionLab lab;
  REQUIRE(run(lab, "steps 4").ok);
  REQUIRE(lab.sampler() != nullptr);
  CHECK(lab.is_image());
  const std::vector<float> x_T = lab.sampler()->x();
  REQUIRE(run(lab, "step").ok);
  const std::vector<float> x_1 = lab.sampler()->x();
  CHECK(x_1 != x_T);
  REQUIRE(run(lab, "step").ok);
  REQUIRE(run(lab, "back").ok);
  CHECK(lab.sampler()->x() == x_1);  // bit-equal
  REQUIRE(run(lab, "back").ok);
  CHECK(lab.sampler()->x() == x_T);
  CHECK(lab.sampler()->steps_taken() == 0);
  // the filmstrip keeps the frames reached, even after going back
  CHECK(lab.frames().size() == 5);
  CHECK(lab.frames()[1] == x_1);
  CHECK_FALSE(lab.frames()[2].empty());
  CHECK(lab.frames()[3].empty());
  // stepping again lands on the same frame
  REQUIRE(run(lab, "step 2").ok);
  CHECK(lab.sampler()->x() == lab.frames()[2]);
}

TEST_CASE("DiffusionLab: DDPM step/back is exact too (fresh noise is replayed)") {
  DiffusionLab lab;
  run_ok(lab, {"data moons", "points 50", "sampler ddpm", "steps 6", "step 3"});
  const std::vector<float> x3 = lab.sampler()->x();
  REQUIRE(run(lab, "step").ok);
  CHECK(lab.sampler()->trace().back().sigma > 0);
  REQUIRE(run(lab, "back").ok);
  CHECK(lab.sampler()->x() == x3);
  REQUIRE(run(lab, "step").ok);
  CHECK(lab.sampler()->x() == lab.frames()[4]);
}

TEST_CASE("DiffusionLab: same commands, same pictures; another seed, another picture") {
  const std::vector<std::string> script = {"steps 3", "class Trouser", "guidance 3", "seed 42", "run"};
  DiffusionLab a, b;
  for (auto& l : script) {
    REQUIRE(run(a, l).ok);
    REQUIRE(run(b, l).ok);
  }
  CHECK(a.sampler()->done());
  CHECK(a.sampler()->x() == b.sampler()->x());
  REQUIRE(run(b, "seed 43").ok);
  REQUIRE(run(b, "run").ok);
  CHECK(a.sampler()->x() != b.sampler()->x());
  CHECK(a.label() == 1);
}

TEST_CASE("DiffusionLab: bad values give a message and change nothing") {
  DiffusionLab lab;
  REQUIRE(run(lab, "steps 3").ok);
  const SamplerConfig before = lab.sampler_config();
  auto r = run(lab, "guidance nan");
  CHECK_FALSE(r.ok);
  CHECK(has(r, "guidance"));
  CHECK(has(r, "not a number"));
  r = run(lab, "steps 0");
  CHECK_FALSE(r.ok);
  CHECK(has(r, "out of range"));
  r = run(lab, "steps 2.5");
  CHECK_FALSE(r.ok);
  r = run(lab, "class Socks");
  CHECK_FALSE(r.ok);
  CHECK(has(r, "unknown class `Socks`"));
  CHECK(has(r, "Ankle boot"));
  CHECK_FALSE(run(lab, "sampler euler").ok);
  CHECK_FALSE(run(lab, "eta 2").ok);
  CHECK_FALSE(run(lab, "t 5000").ok);
  CHECK_FALSE(run(lab, "frame 9").ok);
  CHECK_FALSE(run(lab, "data mnist").ok);
  CHECK_FALSE(run(lab, "preset magic").ok);
  CHECK(has(run(lab, "preset magic"), "too-few-steps"));
  CHECK_FALSE(run(lab, "compare").ok);
  CHECK_FALSE(run(lab, "compare guidance").ok);
  CHECK_FALSE(run(lab, "compare guidance 1 x").ok);
  CHECK_FALSE(run(lab, "compare steps 0").ok);
  CHECK_FALSE(run(lab, "compare steps 1 2 3 4 5 6 7 8 9").ok);
  CHECK_FALSE(run(lab, "forward t -1").ok);
  CHECK_FALSE(run(lab, "forward class Hat").ok);
  CHECK_FALSE(run(lab, "forward colour 1").ok);
  CHECK_FALSE(run(lab, "points 3").ok);
  CHECK_FALSE(run(lab, "frobnicate").ok);
  const SamplerConfig& after = lab.sampler_config();
  CHECK(after.steps == before.steps);
  CHECK(after.guidance == before.guidance);
  CHECK(after.kind == before.kind);
  CHECK(after.eta == before.eta);
  CHECK(lab.label() == 7);
}

TEST_CASE("DiffusionLab: t and frame scrub along the trajectory") {
  DiffusionLab lab;
  REQUIRE(run(lab, "data swiss-roll").ok);
  REQUIRE(run(lab, "points 20").ok);
  REQUIRE(run(lab, "steps 10").ok);
  const auto ts = lab.sampler()->timesteps();
  REQUIRE(ts.size() == 10);
  REQUIRE(run(lab, "t " + std::to_string(ts[4])).ok);
  CHECK(lab.sampler()->current_t() == ts[4]);
  CHECK(lab.sampler()->steps_taken() == 4);
  const std::vector<float> x4 = lab.sampler()->x();
  REQUIRE(run(lab, "t -1").ok);  // to the end
  CHECK(lab.sampler()->done());
  REQUIRE(run(lab, "t " + std::to_string(ts[4])).ok);  // and back
  CHECK(lab.sampler()->x() == x4);
  REQUIRE(run(lab, "frame 7").ok);
  CHECK(lab.sampler()->steps_taken() == 7);
  REQUIRE(run(lab, "frame 0").ok);
  CHECK(lab.sampler()->steps_taken() == 0);
  for (size_t k = 0; k < lab.frames().size(); ++k) CHECK_FALSE(lab.frames()[k].empty());
  // a new setting starts a new trajectory and clears the filmstrip
  REQUIRE(run(lab, "seed 5").ok);
  CHECK(lab.frames()[1].empty());
}

TEST_CASE("DiffusionLab: presets set the sampler and run to the end") {
  DiffusionLab lab;
  REQUIRE(run(lab, "data gaussians").ok);
  REQUIRE(run(lab, "points 20").ok);
  auto r = run(lab, "preset too-few-steps");
  REQUIRE(r.ok);
  CHECK(has(r, "too big"));
  CHECK(lab.preset() == "too-few-steps");
  CHECK(lab.sampler_config().kind == SamplerKind::ddpm);
  CHECK(lab.sampler_config().steps == 5);
  CHECK(lab.sampler()->done());
  REQUIRE(run(lab, "preset ddim-10").ok);
  CHECK(lab.sampler_config().steps == 10);
  CHECK(lab.sampler_config().kind == SamplerKind::ddim);
  REQUIRE(run(lab, "steps 3").ok);
  CHECK(lab.preset().empty());
  int works = 0, fails = 0;
  for (auto& p : diffusion_presets()) (p.works ? works : fails)++;
  CHECK(works >= 2);
  CHECK(fails >= 2);
}

TEST_CASE("DiffusionLab: compare guidance / steps with the same seed") {
  DiffusionLab lab;
  REQUIRE(run(lab, "steps 2").ok);
  REQUIRE(run(lab, "compare guidance 0 1 5").ok);
  const DiffusionComparison& c = lab.comparison();
  CHECK(c.what == "guidance");
  REQUIRE(c.samples.size() == 3);
  CHECK(c.samples[0].size() == 784);
  CHECK(c.samples[0] != c.samples[2]);
  // the comparison's w = 5 picture is the one the sampler draws with guidance 5
  REQUIRE(run(lab, "guidance 5").ok);
  REQUIRE(run(lab, "run").ok);
  CHECK(lab.sampler()->x() == c.samples[2]);
  REQUIRE(run(lab, "compare steps 1 2").ok);
  CHECK(lab.comparison().what == "steps");
  CHECK(lab.comparison().samples.size() == 2);
  CHECK(lab.comparison().samples[1] == lab.sampler()->x());
  REQUIRE(run(lab, "compare clear").ok);
  CHECK(lab.comparison().what.empty());
}

TEST_CASE("DiffusionLab: forward view and 2D helpers") {
  DiffusionLab lab;
  REQUIRE(run(lab, "data rings").ok);
  REQUIRE(run(lab, "points 30").ok);
  REQUIRE(run(lab, "forward t 0").ok);
  std::vector<float> x0;
  std::string err;
  REQUIRE(lab.forward_x0(x0, err));
  CHECK(x0.size() == 60);
  REQUIRE(run(lab, "forward t 999").ok);
  CHECK(lab.forward_t() == 999);
  const auto& f = lab.eps_field(500, -3, 3, 5);
  CHECK(f.size() == 50);
  CHECK(std::all_of(f.begin(), f.end(), [](float v) { return std::isfinite(v); }));
  CHECK(std::any_of(f.begin(), f.end(), [](float v) { return v != 0; }));
  CHECK_FALSE(run(lab, "class Bag").ok);  // 2D models have no classes
}

TEST_CASE("DiffusionLab: play mode steps in update() and stops at the end") {
  DiffusionLab lab;
  run_ok(lab, {"data moons", "points 10", "steps 4", "play"});
  CHECK(lab.playing());
  // update() is given the session clock; 100 s later the whole trajectory is due (each frame is
  // capped at a few ms of work, so keep calling until it is done)
  lab.update(0.0);
  for (int i = 0; i < 200 && !lab.sampler()->done(); ++i) lab.update(100.0);
  CHECK(lab.sampler()->done());
  CHECK_FALSE(lab.playing());
  REQUIRE(run(lab, "play").ok);  // from the end: starts again from the noise
  CHECK(lab.sampler()->steps_taken() == 0);
  REQUIRE(run(lab, "pause").ok);
  CHECK_FALSE(lab.playing());
}

TEST_CASE("DiffusionLab: reset_to_defaults and the first screen's panels") {
  DiffusionLab lab;
  run_ok(lab, {"data moons", "points 20", "sampler ddpm", "steps 3", "compare steps 1 2"});
  lab.reset_to_defaults();
  CHECK(lab.is_image());
  CHECK(lab.label() == 7);
  CHECK(lab.points() == 500);
  CHECK(lab.sampler_config().kind == SamplerKind::ddim);
  CHECK(lab.sampler_config().steps == 50);
  CHECK(lab.sampler_config().guidance == 2.5f);
  CHECK(lab.comparison().what.empty());
  REQUIRE(lab.sampler() != nullptr);
  CHECK(lab.sampler()->steps_taken() == 0);
  const auto first = lab.default_panels();
  CHECK(first.size() == 4);
  for (auto& id : first) {
    bool known = false;
    for (auto& p : lab.panels()) known |= p.id == id;
    CHECK_MESSAGE(known, id);
  }
}

TEST_CASE("DiffusionLab: the incremental path (app frames) gives the trajectory of the one-shot path, bit for bit") {
  // one-shot: a headless lab computes every command before handle() returns
  DiffusionLab a, b;
  for (DiffusionLab* lab : {&a, &b}) {
    REQUIRE(run(*lab, "data moons").ok);
    REQUIRE(run(*lab, "points 20").ok);
    REQUIRE(run(*lab, "sampler ddpm").ok);
    REQUIRE(run(*lab, "steps 12").ok);
  }
  CHECK(a.frame_budget_ms() < 0);
  REQUIRE(run(a, "run").ok);
  REQUIRE(a.sampler()->done());
  CHECK_FALSE(a.computing());
  // incremental: at most one step per update() (the step cap, not the clock, cuts the work)
  b.set_compute_budget(1000, 1);
  REQUIRE(run(b, "run").ok);
  CHECK(b.sampler()->steps_taken() == 0);  // handle() only sets the target
  CHECK(b.computing());
  CHECK(b.target_frame() == 12);
  CHECK(b.progress() == "computing step 1 / 12");
  CHECK(has(CommandResult::good(b.status()), "computing step 1 / 12"));
  b.update(1.0);
  CHECK(b.sampler()->steps_taken() == 1);
  // back while computing: from the picture shown now, and the rest is cancelled
  REQUIRE(run(b, "back").ok);
  CHECK(b.sampler()->steps_taken() == 0);
  CHECK_FALSE(b.computing());
  REQUIRE(run(b, "run").ok);
  int updates = 0;
  for (double now = 2; b.computing() && updates < 100; now += 1, ++updates) b.update(now);
  CHECK(updates == 12);
  REQUIRE(b.sampler()->done());
  CHECK(b.progress().empty());
  CHECK(b.sampler()->x() == a.sampler()->x());
  REQUIRE(b.sampler()->trace().size() == a.sampler()->trace().size());
  for (size_t k = 0; k < a.sampler()->trace().size(); ++k) {
    CHECK(b.sampler()->trace()[k].eps == a.sampler()->trace()[k].eps);
    CHECK(b.sampler()->trace()[k].noise == a.sampler()->trace()[k].noise);
  }
  CHECK(b.frames() == a.frames());
  CHECK(b.frame_x0() == a.frame_x0());
  // t and frame forwards are incremental too; backwards is immediate
  REQUIRE(run(b, "frame 3").ok);
  CHECK(b.sampler()->steps_taken() == 3);
  REQUIRE(run(b, "t -1").ok);
  CHECK(b.sampler()->steps_taken() == 3);
  for (double now = 100; b.computing() && now < 200; now += 1) b.update(now);
  CHECK(b.sampler()->x() == a.sampler()->x());

  // a comparison is computed across updates too, with the same pictures
  REQUIRE(run(a, "compare steps 2 5").ok);
  REQUIRE(run(b, "compare steps 2 5").ok);
  CHECK(b.comparison().what.empty());
  CHECK(b.compare_pending_total() == 2);
  CHECK(has(CommandResult::good(b.progress()), "computing comparison 1 / 2"));
  updates = 0;
  for (double now = 300; b.computing() && updates < 100; now += 1, ++updates) b.update(now);
  CHECK(updates == 7);
  REQUIRE(b.comparison().samples.size() == 2);
  CHECK(b.comparison().samples == a.comparison().samples);
}

TEST_CASE("DiffusionLab: image presets the same in one shot and frame by frame; auto budget follows the clock") {
  DiffusionLab a, b;
  REQUIRE(run(a, "preset too-few-steps").ok);  // DDPM, 5 guided steps of the U-Net
  REQUIRE(a.sampler()->done());
  // auto: synchronous until update() sees the clock move, then a few ms per frame
  b.update(5.0);
  CHECK(b.frame_budget_ms() < 0);
  b.update(5.0);
  CHECK(b.frame_budget_ms() < 0);  // lesson checks call update() without time passing
  b.update(5.1);
  CHECK(b.frame_budget_ms() > 0);
  REQUIRE(run(b, "preset too-few-steps").ok);
  CHECK(b.sampler()->steps_taken() == 0);
  CHECK(b.preset() == "too-few-steps");
  for (double now = 6; b.computing() && now < 100; now += 1) b.update(now);
  REQUIRE(b.sampler()->done());
  CHECK(b.sampler()->x() == a.sampler()->x());
  CHECK(b.frames() == a.frames());
  // run loop starts over from x_T when the end is reached (only where frames are drawn)
  REQUIRE(run(b, "run loop").ok);
  CHECK(b.looping());
  b.set_compute_budget(-1, 1);  // auto, one step per update (no timing in the test)
  b.update(200.0);
  CHECK(b.sampler()->steps_taken() == 1);
  b.update(201.0);
  CHECK(b.sampler()->steps_taken() < b.sampler()->total_steps());
  REQUIRE(run(b, "pause").ok);
  CHECK_FALSE(b.looping());
  CHECK_FALSE(b.computing());
  // budget 0: synchronous even in the app
  REQUIRE(run(b, "budget 0").ok);
  REQUIRE(run(b, "run").ok);
  CHECK(b.sampler()->done());
  CHECK_FALSE(run(b, "budget fast").ok);
  CHECK_FALSE(run(b, "run twice").ok);
}

TEST_CASE("DiffusionLab: points the user draws are a 2D data set") {
  DiffusionLab lab;
  auto r = run(lab, "data drawn");
  CHECK_FALSE(r.ok);  // nothing drawn yet
  CHECK(has(r, "draw at least 2 points"));
  CHECK(lab.is_image());  // unchanged
  CHECK_FALSE(run(lab, "draw 1").ok);       // pairs only
  CHECK_FALSE(run(lab, "draw 0 4").ok);     // outside -3..3
  CHECK_FALSE(run(lab, "draw x 1").ok);
  REQUIRE(run(lab, "draw 0 0 1 1").ok);
  REQUIRE(run(lab, "draw -1 0.5").ok);
  CHECK(lab.drawn() == std::vector<float>{0, 0, 1, 1, -1, 0.5f});
  REQUIRE(run(lab, "data drawn").ok);  // an untrained model until `train start`
  CHECK(lab.is_drawn());
  CHECK_FALSE(lab.is_image());
  CHECK(lab.data_points() == lab.drawn());  // the drawing is the reference cloud
  REQUIRE(run(lab, "points 10").ok);
  REQUIRE(run(lab, "steps 3").ok);
  REQUIRE(run(lab, "run").ok);
  CHECK(lab.sampler()->done());
  CHECK(lab.sampler()->x().size() == 20);
  REQUIRE(run(lab, "train start").ok);
  REQUIRE(run(lab, "train stop").ok);
  REQUIRE(run(lab, "draw clear").ok);
  CHECK(lab.drawn().empty());
  CHECK_FALSE(run(lab, "train start").ok);  // nothing to learn any more
}

TEST_CASE("DiffusionLab status at the end of a run says finished, never t = -1") {
  DiffusionLab lab;
  run_ok(lab, {"data moons", "points 10", "steps 3", "step"});
  CHECK(lab.status().find("t = ") != std::string::npos);  // mid-run: the timestep
  run_ok(lab, {"run"});
  REQUIRE(lab.sampler()->done());
  const std::string s = lab.status();
  INFO("status: " << s);
  CHECK(s.find("t = -1") == std::string::npos);
  CHECK(s.find("-1") == std::string::npos);
  CHECK(s.find("finished") != std::string::npos);
}

TEST_CASE("DiffusionLab: guidance presets are not offered for 2D data (no classes)") {
  DiffusionLab lab;
  // The image model gets every preset, the guidance ones included.
  CHECK(diffusion_presets_for(true).size() == diffusion_presets().size());
  std::vector<std::string> names_2d;
  for (const DiffusionPreset* p : diffusion_presets_for(false)) {
    names_2d.push_back(p->name);
    CHECK_FALSE(p->about_guidance);
    CHECK(std::string(diffusion_preset_summary(*p, false)).find("guidance") == std::string::npos);
    CHECK(std::string(diffusion_preset_summary(*p, false)).find("class") == std::string::npos);
  }
  CHECK(names_2d == std::vector<std::string>{"default", "ddpm-1000", "ddim-10", "too-few-steps"});
  run_ok(lab, {"data moons", "points 10"});
  for (const char* name : {"no-guidance", "unconditional", "over-guided"}) {
    auto r = run(lab, std::string("preset ") + name);
    INFO(name << ": " << r.message);
    CHECK_FALSE(r.ok);
    CHECK(has(r, "no classes"));
  }
  CHECK(lab.preset().empty());  // nothing applied
  auto r = run(lab, "preset ddim-10");
  REQUIRE(r.ok);
  CHECK_FALSE(has(r, "class"));  // the 2D wording
  // back on the image model the guidance presets work
  run_ok(lab, {"data fashion-mnist", "steps 2"});
  CHECK(diffusion_presets_for(lab.is_image()).size() == diffusion_presets().size());
}

TEST_CASE("diffusion colour range: one fixed scale per kind of picture, whatever the data") {
  // x_0 of a real picture (inside ±1) and a lightly noised x_t reaching 2.2: the same scale, so the
  // noised picture does not look faded; the pixels beyond it are counted (the panels mark them).
  const std::vector<float> x0 = {-1, -0.5f, 0, 0.5f, 1};
  const std::vector<float> xt = {-2.2f, -1.1f, 0.3f, 0.9f, 1.5f, 2.2f};
  const DiffusionColourRange a = diffusion_colour_range(DiffusionPicture::model_space, x0.data(), x0.size());
  const DiffusionColourRange b = diffusion_colour_range(DiffusionPicture::model_space, xt.data(), xt.size());
  CHECK(a.lo == -1);
  CHECK(a.hi == 1);
  CHECK(b.lo == a.lo);
  CHECK(b.hi == a.hi);
  CHECK(a.below == 0);
  CHECK(a.above == 0);
  CHECK(b.below == 2);
  CHECK(b.above == 2);
  // A background pixel at −1.02 looks black, like −1: not marked; −1.1 is.
  const std::vector<float> edge = {-1.02f, 1.03f, -1.1f};
  const DiffusionColourRange e = diffusion_colour_range(DiffusionPicture::model_space, edge.data(), edge.size());
  CHECK(e.below == 1);
  CHECK(e.above == 0);
  // The sampler's x_t and the step panel's x_t (values up to 3.8) again share that scale.
  const std::vector<float> noisy = {-3.8f, 0, 3.8f};
  const DiffusionColourRange c = diffusion_colour_range(DiffusionPicture::model_space, noisy.data(), noisy.size());
  CHECK(c.lo == a.lo);
  CHECK(c.hi == a.hi);
  // Noise pictures (ε, ε_θ) share their own fixed scale, symmetric so 0 is the neutral colour.
  const std::vector<float> e1 = {-0.4f, 0.2f}, e2 = {-4.0f, 2.5f, 3.5f};
  const DiffusionColourRange n1 = diffusion_colour_range(DiffusionPicture::noise, e1.data(), e1.size());
  const DiffusionColourRange n2 = diffusion_colour_range(DiffusionPicture::noise, e2.data(), e2.size());
  CHECK(n1.lo == -n1.hi);
  CHECK(n1.hi == 3);
  CHECK(n2.lo == n1.lo);
  CHECK(n2.hi == n1.hi);
  CHECK(n2.below == 1);
  CHECK(n2.above == 1);
}

TEST_CASE("DiffusionLab: the app may sleep unless a trajectory is playing or being computed") {
  DiffusionLab lab;
  run_ok(lab, {"data moons", "points 10", "steps 4"});
  lab.update(0.0);
  CHECK(lab.seconds_until_update(0.0) >= gb::Lab::kNever);
  run_ok(lab, {"play"});
  CHECK(lab.seconds_until_update(0.0) == 0.0);  // play advances every frame
  run_ok(lab, {"pause"});
  CHECK(lab.seconds_until_update(0.0) >= gb::Lab::kNever);
}
