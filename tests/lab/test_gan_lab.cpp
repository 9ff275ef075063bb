// GanLab through commands: 2D steps (d, g, full), settings with validation, undo, presets, drawn
// points, Run mode from update(), and the image GAN's class/seed/interpolate commands.
#include <doctest/doctest.h>

#include <limits>

#include "lab/gan_lab.hpp"
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

TEST_CASE("GanLab image: class, seeds and interpolation (with the shipped model when present)") {
  GanLab lab;
  CHECK(run(lab, "mode image").ok);
  CHECK_FALSE(run(lab, "class Hat").ok);
  CHECK_FALSE(run(lab, "interpolate 1.5").ok);
  CHECK_FALSE(run(lab, "train pause").ok);  // nothing training
  CHECK_FALSE(run(lab, "load /no/such/model.safetensors").ok);
  if (!lab.has_image_model()) {
    MESSAGE("no shipped image GAN: " << lab.image_message());
    return;
  }
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
