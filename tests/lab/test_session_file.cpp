// Session files (issue 20.1): a session saved and opened again gives every lab's settings back exactly (each
// setting moved off its default first, so a round trip that lost one would show), the view and the lab states;
// a damaged, truncated, newer or hand-edited file is refused with a message naming the file and the field, and the
// running session does not change.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "lab/lab_state.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/vae_lab.hpp"

using namespace gb;

namespace {

// A value of `s` other than its default, inside the range (integers whole, choices another word).
double other_value(const SettingSpec& s) {
  switch (s.type) {
    case SettingType::toggle: return s.def != 0 ? 0 : 1;
    case SettingType::choice: return double((int(s.def) + 1) % int(s.choices.size()));
    case SettingType::integer: return s.def < s.hi ? s.def + 1 : s.def - 1;
    case SettingType::real: {
      const double v = s.def + (s.hi - s.def) * 0.37;  // an awkward value: 0.37 of the way to the top
      return v != s.def ? v : s.lo;
    }
  }
  return s.def;
}

std::map<std::string, double> every_value(Session& session) {
  std::map<std::string, double> v;
  for (Lab* lab : session.labs())
    for (const SettingSpec& s : lab->setting_table()) v[lab->name() + "." + s.name] = lab->setting_value(s.name);
  return v;
}

// Every setting of every lab set off its default through `LAB set NAME VALUE`.
void move_every_setting(Session& session) {
  const auto before = every_value(session);
  for (Lab* lab : session.labs())
    for (const SettingSpec& s : lab->setting_table()) {
      const std::string cmd = lab->name() + " set " + s.name + " " + setting_value_text(s, other_value(s));
      CommandResult r = session.run(cmd);
      INFO(cmd << ": " << r.message);
      REQUIRE(r.ok);
    }
  const auto after = every_value(session);
  for (auto& [k, v] : after) CHECK_MESSAGE(v != before.at(k), k << " did not move off its default");
}

// A session file whose manifest is `manifest` verbatim (a hand-edited file), holding the tensors of `keep` (the
// good file's, so only the edit is wrong) and then `extra`.
std::string file_with_manifest(const std::string& manifest, const SafeTensors& extra = {}, const SafeTensors& keep = {}) {
  SafeTensors st;
  for (const SafeTensors* from : {&keep, &extra})
    for (const SafeTensor& t : from->tensors()) st.add_raw(t.name, t.dtype, t.shape, t.bytes, t.nbytes);
  st.metadata["glassbox.session"] = manifest;
  return serialize_safetensors(st);
}

std::string refused(Session& session, const std::string& bytes) {
  try {
    SessionFile s = parse_session_file(bytes, "class.glassbox");
    s.file = "class.glassbox";
    std::string problem = apply_session(session, s);
    return problem;
  } catch (const Error& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("session file: every setting, the view and a lab's state survive save and open, bit for bit") {
  Session a;
  move_every_setting(a);
  a.run("workspace gan");
  a.run("open diffusion.sampler");
  a.run("open gan.playground");
  a.view.lessons_open = true;
  SessionFile saved = capture_session(a);
  // A lab state with a tensor whose values are awkward floats (bit-identical weights are the promise).
  StateTensor t;
  t.shape = {2, 3};
  t.data = {0.1f, -1e-30f, 3.4e38f, std::nextafter(1.0f, 2.0f), -0.0f, 7.0f};
  saved.labs["vae"].state.tensors["probe"] = t;
  saved.labs["vae"].state.fields["note"] = "kept";
  const std::string bytes = session_file_bytes(saved);

  SessionFile back = parse_session_file(bytes, "class.glassbox");
  CHECK(back.version == kSessionFormatVersion);
  CHECK(back.workspace == "gan");  // `open gan.playground` switched to its workspace last
  const StateTensor& t2 = back.labs.at("vae").state.tensor("probe", {2, 3});
  for (size_t i = 0; i < t.data.size(); ++i) CHECK(std::signbit(t2.data[i]) == std::signbit(t.data[i]));
  CHECK(std::memcmp(t2.data.data(), t.data.data(), t.data.size() * sizeof(float)) == 0);
  CHECK(back.labs.at("vae").state.in().string("note") == "kept");

  Session b;
  REQUIRE(every_value(b) != every_value(a));
  CHECK(apply_session(b, back) == "");
  CHECK(every_value(b) == every_value(a));  // exact: values are written with enough digits to read back the same
  CHECK(b.view.workspace == a.view.workspace);
  CHECK(b.view.open_panels == a.view.open_panels);
  CHECK(b.view.lessons_open);
}

TEST_CASE("session file: a damaged or hand-edited file is refused, naming the file and the field; nothing changes") {
  Session session;
  REQUIRE(session.run("transformer set temperature 0.8").ok);
  REQUIRE(session.run("workspace diffusion").ok);
  const auto values = every_value(session);
  const std::string good = session_file_bytes(capture_session(session));
  const SafeTensors good_st = parse_safetensors(good, "x");
  const std::string manifest = good_st.metadata.at("glassbox.session");
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string m = manifest;
    const size_t at = m.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return file_with_manifest(m.replace(at, from.size(), to), SafeTensors{}, good_st);
  };
  struct Case {
    const char* what;
    std::string bytes;
    const char* says;
  };
  SafeTensors nan_tensor;
  const float bad[2] = {1.0f, std::numeric_limits<float>::quiet_NaN()};
  nan_tensor.add("labs/vae/w", {2}, bad);
  SafeTensors stray;
  stray.add("labs/vae/stray", {2}, bad);
  const Case cases[] = {
      {"empty file", "", "class.glassbox"},
      {"truncated", good.substr(0, good.size() / 2), "class.glassbox"},
      {"a model checkpoint, not a session", serialize_safetensors(SafeTensors{}), "not a Glassbox session file"},
      {"manifest not JSON", file_with_manifest("{\"format\": "), "not valid JSON"},
      {"another format", edited("\"glassbox-session\"", "\"other\""), "format is not"},
      {"newer version", edited("\"version\":1", "\"version\":7"), "newer Glassbox"},
      {"version a string", edited("\"version\":1", "\"version\":\"1\""), "glassbox.session.version"},
      {"unknown workspace", edited("\"workspace\":\"diffusion\"", "\"workspace\":\"chemistry\""), "view.workspace"},
      {"unknown lab", edited("\"labs\":{", "\"labs\":{\"chemistry\":{},"), "labs.chemistry"},
      {"unknown setting", edited("\"temperature\":\"0.8\"", "\"warmth\":\"0.8\""), "labs.transformer.settings.warmth"},
      {"setting out of range", edited("\"temperature\":\"0.8\"", "\"temperature\":\"9\""),
       "labs.transformer.settings.temperature: temperature 9: out of range"},
      {"setting a number, not text", edited("\"temperature\":\"0.8\"", "\"temperature\":0.8"), "temperature"},
      {"a lesson path outside the lessons folder", edited("\"labs\":{", "\"lesson\":{\"file\":\"../../etc/passwd\",\"step\":0},\"labs\":{"),
       "glassbox.session.lesson names the file \"../../etc/passwd\""},
      {"a tensor listed but absent", edited("\"tensors\":[]", "\"tensors\":[\"w\"]"), "does not hold"},
      {"a NaN weight", [&] {
         std::string m = manifest;
         const std::string vae = "\"vae\":{\"settings\":";
         size_t at = m.find(vae);
         REQUIRE(at != std::string::npos);
         at = m.find("\"tensors\":[]", at);
         REQUIRE(at != std::string::npos);
         return file_with_manifest(m.replace(at, 12, "\"tensors\":[\"w\"]"), nan_tensor, good_st);
       }(),
       "NaN"},
      {"a tensor no lab lists", file_with_manifest(manifest, stray, good_st), "no lab in the manifest lists"},
  };
  for (const Case& c : cases) {
    const std::string msg = refused(session, c.bytes);
    INFO(std::string(c.what) << ": " << msg);
    CHECK(msg.find(c.says) != std::string::npos);
    CHECK(msg.find("class.glassbox") != std::string::npos);
    CHECK(every_value(session) == values);
    CHECK(session.view.workspace == "diffusion");
  }
  // The good file still opens.
  CHECK(refused(session, good) == "");
}

TEST_CASE("session file: the transformer's prompt and every generated token come back, picked ones included") {
  Session a;
  REQUIRE(a.run("transformer set seed 7").ok);
  REQUIRE(a.run("transformer set temperature 1.3").ok);
  REQUIRE(a.run("transformer prompt \"Tom had a \\xE6\\x97 red\"").ok);  // bytes that are not UTF-8 survive too
  REQUIRE(a.run("transformer step 4").ok);
  REQUIRE(a.run("transformer force 42").ok);
  REQUIRE(a.run("transformer set temperature 0.7").ok);  // a setting changed on the way: the replay must not drift
  REQUIRE(a.run("transformer step 3").ok);
  REQUIRE(a.run("transformer select layer 1 head 2").ok);
  auto& ta = dynamic_cast<TransformerLab&>(a.lab("transformer"));
  const std::string bytes = session_file_bytes(capture_session(a));

  Session b;
  SessionFile f = parse_session_file(bytes, "t.glassbox");
  REQUIRE(apply_session(b, f) == "");
  auto& tb = dynamic_cast<TransformerLab&>(b.lab("transformer"));
  CHECK(tb.prompt() == ta.prompt());
  CHECK(tb.all_ids() == ta.all_ids());
  REQUIRE(tb.steps().size() == ta.steps().size());
  CHECK(tb.steps()[4].forced);
  CHECK(tb.steps()[4].token == 42);
  CHECK(tb.selected_layer() == 1);
  CHECK(tb.selected_head() == 2);
  CHECK(tb.settings().sampler.temperature == ta.settings().sampler.temperature);
}

TEST_CASE("session file: the diffusion and VAE labs' states come back (data, drawn points, class, frame; cursor, drawing)") {
  Session a;
  for (const char* cmd : {"diffusion draw 0.5 -1 1.25 0.75 -2.9 2.9", "diffusion class 3", "diffusion forward class 2",
                          "diffusion forward t 300", "diffusion frame 10", "vae cursor 1.5 -0.5", "vae image 42",
                          "vae interpolate 3 9", "vae class Bag", "vae resample", "vae draw 10 10 12 12"}) {
    CommandResult r = a.run(cmd);
    INFO(cmd << ": " << r.message);
    REQUIRE(r.ok);
  }
  const std::string bytes = session_file_bytes(capture_session(a));
  Session b;
  REQUIRE(apply_session(b, parse_session_file(bytes, "c.glassbox")) == "");
  for (const char* lab : {"diffusion", "vae"}) {
    LabState sa, sb;
    a.lab(lab).save_state(sa);
    b.lab(lab).save_state(sb);
    INFO(lab << ": " << sa.fields.dump() << " vs " << sb.fields.dump());
    CHECK(sa.fields == sb.fields);
    REQUIRE(sa.tensors.size() == sb.tensors.size());
    for (auto& [name, t] : sa.tensors) CHECK(sb.tensors.at(name).data == t.data);
  }
  auto& da = dynamic_cast<DiffusionLab&>(a.lab("diffusion"));
  auto& db = dynamic_cast<DiffusionLab&>(b.lab("diffusion"));
  CHECK(db.drawn() == da.drawn());
  CHECK(db.target_frame() == 10);
  CHECK(db.label() == 3);
  auto& vb = dynamic_cast<VaeLab&>(b.lab("vae"));
  CHECK(vb.cursor_z1() == 1.5f);
  CHECK(vb.canvas() == dynamic_cast<VaeLab&>(a.lab("vae")).canvas());
}

TEST_CASE("session file: the GAN game comes back — configuration, drawn points, both networks bit for bit, the loss curve") {
  Session a;
  for (const char* cmd : {"gan preset mode-collapse", "gan points 0 0 1 1 -1 0.5 2 -2", "gan step 40", "gan class Bag"}) {
    CommandResult r = a.run(cmd);
    INFO(cmd << ": " << r.message);
    REQUIRE(r.ok);
  }
  auto& ga = dynamic_cast<GanLab&>(a.lab("gan"));
  REQUIRE(ga.toy().g_steps() == 40);
  const std::string bytes = session_file_bytes(capture_session(a));
  Session b;
  REQUIRE(apply_session(b, parse_session_file(bytes, "g.glassbox")) == "");
  auto& gb = dynamic_cast<GanLab&>(b.lab("gan"));
  CHECK(gb.toy().g.data == ga.toy().g.data);
  CHECK(gb.toy().d.data == ga.toy().d.data);
  CHECK(gb.toy().g_steps() == 40);
  CHECK(gb.toy().d_steps() == ga.toy().d_steps());
  CHECK(gb.toy().history().size() == ga.toy().history().size());
  CHECK(gb.toy().config().data.custom == ga.toy().config().data.custom);
  CHECK(gb.toy().config().g_hidden == ga.toy().config().g_hidden);
  CHECK(gb.drawn_points() == ga.drawn_points());
  CHECK(gb.toy().fake_points(50) == ga.toy().fake_points(50));  // the same generator draws the same points

  // Weights that do not fit the saved configuration are refused, naming the tensor; nothing changes.
  SessionFile f = parse_session_file(bytes, "g.glassbox");
  f.labs["gan"].state.tensors["g"].data.pop_back();
  f.labs["gan"].state.tensors["g"].shape[0] -= 1;
  const std::string problem = apply_session(b, f);
  CHECK(problem.find("`g`") != std::string::npos);
  CHECK(gb.toy().g.data == ga.toy().g.data);
}
