// Session files keep models trained live (issue 20.1): a transformer after `train use`, a diffusion model of drawn
// points after `train start`/`train stop`, and the VAE map after `train use` are saved bit for bit; a fresh Session
// opening the file has the same weights and draws the same tokens / samples / pictures. A model that was not trained
// here is kept by its name only (no weights tensor), so a file stays small; opening such a file over a session that
// had trained a model brings the shipped one back.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "lab/diffusion_lab.hpp"
#include "lab/lab_state.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/vae_lab.hpp"
#include "models/diffusion/mlp2d.hpp"
#include "models/transformer/train.hpp"
#include "models/vae/vae_train.hpp"

using namespace gb;

namespace {
void ok(Session& s, const std::string& line) {
  CommandResult r = s.run(line);
  INFO(line << ": " << r.message);
  REQUIRE(r.ok);
}

// Polls `done` (calling the lab's update as the app's frame loop does) until it holds; waits for a worker thread,
// it is not a timing check (generous, the machine may be busy).
template <class F>
bool wait_until(Lab& lab, F done, double seconds = 300) {
  const auto t0 = std::chrono::steady_clock::now();
  double now = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
    lab.update(now += 0.05);
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string reopen(Session& from, Session& to) {
  const std::string bytes = session_file_bytes(capture_session(from));
  return apply_session(to, parse_session_file(bytes, "class.glassbox"));
}

bool saves_weights(Session& s, const std::string& lab) {
  LabState st;
  s.lab(lab).save_state(st);
  return st.has_tensor("weights");
}
}  // namespace

TEST_CASE("session file: a transformer trained live (train use) comes back bit for bit and generates the same tokens") {
  Session a;
  ok(a, "transformer load random 5");
  CHECK_FALSE(saves_weights(a, "transformer"));  // an untrained checkpoint: its name only
  ok(a, "transformer train start from-scratch corpus tiny steps 4");
  auto& la = dynamic_cast<TransformerLab&>(a.lab("transformer"));
  REQUIRE(wait_until(la, [&] {
    auto s = la.training();
    return s && s->state != TrainSnapshot::State::running && s->state != TrainSnapshot::State::paused;
  }));
  REQUIRE(la.training()->state == TrainSnapshot::State::finished);
  const std::vector<float> random_weights = [] {
    Session r;
    r.run("transformer load random 5");
    return dynamic_cast<TransformerLab&>(r.lab("transformer")).model().params.data;
  }();
  ok(a, "transformer train use");
  REQUIRE(la.model().params.data != random_weights);  // training changed them
  CHECK(saves_weights(a, "transformer"));
  ok(a, "transformer set temperature 0.9");
  ok(a, "transformer prompt \"the\"");
  ok(a, "transformer step 6");

  Session b;
  REQUIRE(reopen(a, b) == "");
  auto& lb = dynamic_cast<TransformerLab&>(b.lab("transformer"));
  CHECK(lb.model().params.data == la.model().params.data);  // bit for bit
  CHECK(lb.model().config.to_json() == la.model().config.to_json());
  CHECK(lb.all_ids() == la.all_ids());
  // The same next tokens from here on (the same weights, settings and sampler state).
  ok(a, "transformer step 5");
  ok(b, "transformer step 5");
  CHECK(lb.all_ids() == la.all_ids());
  CHECK(saves_weights(b, "transformer"));  // still the trained model: saved again

  // A file with the untrained checkpoint, opened over the trained session: the checkpoint's own weights come back.
  Session c;
  ok(c, "transformer load random 5");
  REQUIRE(reopen(c, b) == "");
  CHECK(lb.model().params.data == random_weights);
  CHECK_FALSE(saves_weights(b, "transformer"));
}

TEST_CASE("session file: a diffusion model trained on drawn points comes back bit for bit and samples the same") {
  Session a;
  ok(a, "diffusion data moons");
  CHECK_FALSE(saves_weights(a, "diffusion"));  // the shipped moons model: its name only
  ok(a, "diffusion draw 0 0 1 1 -1 0.5 0.5 -1 1.5 0.2 -0.8 -0.8");
  ok(a, "diffusion data drawn");
  ok(a, "diffusion train start");
  auto& la = dynamic_cast<DiffusionLab&>(a.lab("diffusion"));
  const auto untrained = la.model();
  REQUIRE(wait_until(la, [&] { return la.training() && la.training()->step >= 200 && la.model() != untrained; }));
  ok(a, "diffusion train stop");  // the worker's last snapshot may be newer than the model in use
  REQUIRE(saves_weights(a, "diffusion"));
  ok(a, "diffusion set points 40");
  ok(a, "diffusion set steps 20");

  Session b;
  REQUIRE(reopen(a, b) == "");
  auto& lb = dynamic_cast<DiffusionLab&>(b.lab("diffusion"));
  REQUIRE(lb.is_drawn());
  const auto* ma = dynamic_cast<const Mlp2d*>(la.model().get());
  const auto* mb = dynamic_cast<const Mlp2d*>(lb.model().get());
  REQUIRE(ma);
  REQUIRE(mb);
  CHECK(mb->params.data == ma->params.data);  // bit for bit
  CHECK(lb.drawn() == la.drawn());
  REQUIRE(lb.training());
  CHECK(lb.training()->loss_history.size() == size_t(lb.training()->step));
  CHECK(lb.training()->step >= 200);
  ok(a, "diffusion run");  // in a Session the steps are taken by update(), as in the app
  ok(b, "diffusion run");
  REQUIRE(wait_until(la, [&] { return la.sampler()->done(); }));
  REQUIRE(wait_until(lb, [&] { return lb.sampler()->done(); }));
  CHECK(lb.sampler()->x() == la.sampler()->x());  // the same samples

  // Opening a file with the shipped moons model over it: the trained drawing is gone, moons' own model is used.
  Session c;
  ok(c, "diffusion data moons");
  REQUIRE(reopen(c, b) == "");
  CHECK_FALSE(saves_weights(b, "diffusion"));
  CHECK(lb.model() != nullptr);
  CHECK(dynamic_cast<const Mlp2d*>(lb.model().get())->params.data != ma->params.data);
}

TEST_CASE("session file: the VAE map trained live (train use) comes back bit for bit and decodes the same pictures") {
  Session a;
  auto& la = dynamic_cast<VaeLab&>(a.lab("vae"));
  la.ensure_loaded();
  REQUIRE(la.has_map_model());
  const std::vector<float> shipped = la.map_model()->p.data;
  CHECK_FALSE(saves_weights(a, "vae"));
  ok(a, "vae train start beta 2 steps 6");
  REQUIRE(wait_until(la, [&] { return la.training() && la.training()->finished; }));
  ok(a, "vae train use");
  REQUIRE(la.map_model()->p.data != shipped);
  CHECK(saves_weights(a, "vae"));
  ok(a, "vae cursor 0.7 -1.2");

  Session b;
  REQUIRE(reopen(a, b) == "");
  auto& lb = dynamic_cast<VaeLab&>(b.lab("vae"));
  lb.ensure_loaded();
  REQUIRE(lb.has_map_model());
  CHECK(lb.map_model()->p.data == la.map_model()->p.data);  // bit for bit
  CHECK(lb.map_model()->config().to_json() == la.map_model()->config().to_json());
  CHECK(lb.map_source() == la.map_source());
  CHECK(lb.cursor_image() == la.cursor_image());  // the same picture at the cursor
  CHECK(lb.atlas().images == la.atlas().images);

  // A file with the shipped VAE, opened over the trained one: the shipped weights come back.
  Session c;
  dynamic_cast<VaeLab&>(c.lab("vae")).ensure_loaded();
  REQUIRE(reopen(c, b) == "");
  CHECK(lb.map_model()->p.data == shipped);
  CHECK(lb.map_source().find("shipped") != std::string::npos);
}
