// Teacher mode (issue 20.2): the PIN is kept only as a salted hash and verifies right/wrong; while locked, the
// command layer refuses what the teacher's rules forbid (a setting outside its sub-range, a hidden setting, panel or
// button, another model) whatever sends the command, and keeps limited settings inside their range after presets and
// resets; wrong PINs make the next try wait; the lock round-trips through a session file, and a hand-edited lock
// (hash removed, absurd limits) is refused naming the field.
#include <doctest/doctest.h>

#include <string>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lab/teacher_lock.hpp"

using namespace gb;

namespace {
bool says(const CommandResult& r, const std::string& part) { return r.message.find(part) != std::string::npos; }

// A session with rules set up and locked with PIN 2468.
void lock_for_class(Session& s) {
  for (const char* line : {"teacher limit transformer.temperature 0.2 1.5", "teacher hide transformer.attention",
                           "teacher hide transformer.train", "teacher hide transformer.top-k", "teacher fix-model on"}) {
    CommandResult r = s.run(line);
    INFO(line << ": " << r.message);
    REQUIRE(r.ok);
  }
  REQUIRE(s.run("teacher pin 2468").ok);
  REQUIRE(s.run("teacher lock").ok);
  REQUIRE(s.teacher.locked());
}

std::string edit_manifest(const std::string& bytes, const std::string& from, const std::string& to) {
  SafeTensors st = parse_safetensors(bytes, "x");
  std::string m = st.metadata.at("glassbox.session");
  const size_t at = m.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  st.metadata["glassbox.session"] = m.replace(at, from.size(), to);
  return serialize_safetensors(st);
}

std::string open_problem(Session& s, const std::string& bytes) {
  try {
    return apply_session(s, parse_session_file(bytes, "class.glassbox"));
  } catch (const Error& e) {
    return e.what();
  }
}
}  // namespace

TEST_CASE("teacher PIN: a salted hash that verifies the right PIN and refuses a wrong one") {
  const std::string h = hash_pin("2468");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(h.find("2468") == std::string::npos);
  CHECK(is_pin_hash(h));
  CHECK(verify_pin(h, "2468"));
  CHECK_FALSE(verify_pin(h, "2469"));
  CHECK_FALSE(verify_pin(h, "24681"));
  CHECK(hash_pin("2468") != h);  // salted: the same PIN hashes differently each time
  CHECK_FALSE(pin_problem("12").empty());
  CHECK_FALSE(pin_problem("12 34").empty());
  CHECK_THROWS_AS(hash_pin("1"), Error);
  // A hash asking for other limits (here 4 GiB of memory) is not one this Glassbox writes: refused before any verify.
  std::string greedy = h;
  greedy.replace(greedy.find("m=65536"), 7, "m=4194304");
  CHECK_FALSE(is_pin_hash(greedy));
  CHECK_FALSE(verify_pin(greedy, "2468"));
  CHECK_FALSE(is_pin_hash(""));
  CHECK_FALSE(is_pin_hash("$argon2id$garbage"));
}

TEST_CASE("teacher lock: commands that break a rule are refused with the reason; the rest still work") {
  Session s;
  REQUIRE(s.run("transformer set temperature 1").ok);
  lock_for_class(s);
  // A limited setting: refused outside, allowed inside, in every spelling (set, the old `NAME VALUE`, current lab).
  CommandResult r = s.run("transformer set temperature 3");
  CHECK_FALSE(r.ok);
  CHECK(r.message == "locked by the teacher: temperature is limited to 0.2\xe2\x80\x93" "1.5");
  CHECK_FALSE(s.run("transformer temperature 0.1").ok);
  CHECK_FALSE(s.run("set temperature 2").ok);  // the current workspace is the transformer
  CHECK(s.lab("transformer").setting_value("temperature") == doctest::Approx(1));
  CHECK(s.run("transformer set temperature 1.2").ok);
  CHECK(s.lab("transformer").setting_value("temperature") == doctest::Approx(1.2));
  // A bad value still gets the lab's own message.
  CHECK(says(s.run("transformer set temperature abc"), "temperature"));
  // A hidden setting stays where it is.
  r = s.run("transformer set top-k 5");
  CHECK_FALSE(r.ok);
  CHECK(says(r, "locked by the teacher: top-k stays at"));
  // A hidden panel cannot be opened (and the lock closed it).
  CHECK(s.view.open_panels.count("transformer.attention") == 0);
  r = s.run("open transformer.attention");
  CHECK_FALSE(r.ok);
  CHECK(says(r, "locked by the teacher: the panel transformer.attention is hidden"));
  CHECK(s.run("open transformer.probabilities").ok);
  // A switched-off button's command, and another model.
  r = s.run("transformer train start steps 2");
  CHECK_FALSE(r.ok);
  CHECK(says(r, "`transformer train` is switched off"));
  r = s.run("transformer load random 3");
  CHECK_FALSE(r.ok);
  CHECK(says(r, "the model is fixed"));
  CHECK(says(s.run("vae load /nonexistent.safetensors"), "the model is fixed (no `vae load`)"));
  // Other labs' commands are not touched; the rules cannot be changed while locked.
  CHECK(s.run("gan step 2").ok);
  CHECK_FALSE(s.run("teacher limit transformer.temperature 0.05 5").ok);
  CHECK_FALSE(s.run("teacher clear").ok);
  CHECK_FALSE(s.run("teacher pin 1111").ok);
  // Opening another session would drop the lock: refused.
  SessionFile other = capture_session(s);
  CHECK(says(CommandResult::bad(check_session(s, other)), "locked by the teacher"));
  // Unlock: a wrong PIN keeps it locked, the right one opens everything again.
  r = s.run("teacher unlock 1357");
  CHECK_FALSE(r.ok);
  CHECK(says(r, "wrong PIN"));
  CHECK(s.teacher.locked());
  CHECK(s.run("teacher unlock 2468").ok);
  CHECK_FALSE(s.teacher.locked());
  CHECK(s.run("transformer set temperature 3").ok);
  CHECK(s.run("open transformer.attention").ok);
}

TEST_CASE("teacher lock: Session::refusal says beforehand what run() would refuse, so panels can leave the button out") {
  Session s;
  CHECK(s.refusal("transformer train start").empty());  // unlocked: everything allowed
  lock_for_class(s);
  REQUIRE(s.run("workspace transformer").ok);
  // Routed like run(): a lab's name first, or the current workspace's lab.
  CHECK(s.refusal("transformer train start").find("`transformer train` is switched off") != std::string::npos);
  CHECK_FALSE(s.refusal("train pause").empty());
  CHECK_FALSE(s.refusal("set temperature 3").empty());
  CHECK(s.refusal("set temperature 1").empty());
  CHECK_FALSE(s.refusal("transformer load random 1").empty());
  CHECK_FALSE(s.refusal("open transformer.attention").empty());
  CHECK(s.refusal("step").empty());
  CHECK(s.refusal("gan train start").empty());  // another lab's button stays
  CHECK(s.refusal("teacher unlock 2468").empty());
  CHECK(s.refusal("\"unclosed").empty());  // run() gives the parse error
  // Each refusal is what run() answers.
  for (const char* line : {"transformer train start steps 2", "set temperature 3", "transformer load random 1"})
    CHECK(s.refusal(line) == s.run(line).message);
  REQUIRE(s.run("teacher unlock 2468").ok);
  CHECK(s.refusal("transformer train start").empty());
}

TEST_CASE("teacher lock: limited settings stay in range after presets, lesson resets and the lock itself") {
  Session s;
  REQUIRE(s.run("diffusion set steps 50").ok);
  REQUIRE(s.run("teacher limit transformer.temperature 0.2 0.5").ok);  // the default 1 is outside
  REQUIRE(s.run("teacher limit diffusion.steps 20 100").ok);
  REQUIRE(s.run("teacher pin 2468").ok);
  REQUIRE(s.run("teacher lock").ok);
  CHECK(s.lab("transformer").setting_value("temperature") == doctest::Approx(0.5));  // moved in by the lock
  s.reset_to_defaults("transformer");  // what a lesson does on every step
  CHECK(s.lab("transformer").setting_value("temperature") == doctest::Approx(0.5));
  CommandResult r = s.run("diffusion preset ddpm-1000");  // a preset sets 1000 steps
  CHECK(r.ok);
  CHECK(s.lab("diffusion").setting_value("steps") <= 100);
  CHECK(says(r, "locked by the teacher: steps kept at 100"));
}

TEST_CASE("teacher lock: wrong PINs make the next try wait a little") {
  TeacherLock lock;
  lock.rules.pin_hash = hash_pin("2468");
  lock.rules.locked = true;
  CHECK_FALSE(lock.unlock("0000", 0).ok);
  CHECK_FALSE(lock.unlock("0001", 0).ok);
  CommandResult r = lock.unlock("0002", 0);  // the third wrong PIN: the next try waits 1 s
  CHECK(says(r, "next try in 1 s"));
  r = lock.unlock("2468", 0.5);
  CHECK_FALSE(r.ok);
  CHECK(says(r, "wait"));
  CHECK(lock.locked());
  CHECK_FALSE(lock.unlock("0003", 1.5).ok);  // the fourth: 2 s
  CHECK(says(lock.unlock("2468", 3.0), "wait"));
  CHECK(lock.unlock("2468", 3.6).ok);
  CHECK_FALSE(lock.locked());
}

TEST_CASE("teacher lock: saved in the session file, a fresh session opens locked with the same rules") {
  Session a;
  REQUIRE(a.run("teacher start 04-attention.md 2").ok);
  lock_for_class(a);
  const std::string bytes = session_file_bytes(capture_session(a));
  CHECK(bytes.find("2468") == std::string::npos);  // the PIN itself is nowhere in the file

  Session b;
  REQUIRE(open_problem(b, bytes) == "");
  CHECK(b.teacher.locked());
  CHECK(b.teacher.rules.pin_hash == a.teacher.rules.pin_hash);
  CHECK(b.teacher.rules.hidden_panels == a.teacher.rules.hidden_panels);
  CHECK(b.teacher.rules.hidden_controls == a.teacher.rules.hidden_controls);
  CHECK(b.teacher.rules.fixed_model);
  REQUIRE(b.teacher.rules.limits.count("transformer.temperature"));
  CHECK(b.teacher.rules.limits.at("transformer.temperature").lo == 0.2);
  CHECK(b.teacher.rules.limits.at("transformer.temperature").hi == 1.5);
  CHECK(b.teacher.rules.start_lesson == "04-attention.md");
  CHECK(b.teacher.rules.start_step == 1);
  CHECK_FALSE(b.run("transformer set temperature 3").ok);
  CHECK_FALSE(b.run("open transformer.attention").ok);
  CHECK(b.run("teacher unlock 2468").ok);
}

TEST_CASE("teacher lock: a hand-edited lock is refused naming the field, and the session does not change") {
  Session a;
  lock_for_class(a);
  const std::string good = session_file_bytes(capture_session(a));
  const std::string hash = a.teacher.rules.pin_hash;
  struct Case {
    const char* what;
    std::string bytes;
    const char* says;
  };
  const Case cases[] = {
      {"hash removed", edit_manifest(good, "\"pin_hash\":\"" + hash + "\"", "\"pin_hash\":\"\""), "teacher.pin_hash is missing"},
      {"hash replaced", edit_manifest(good, hash, "$argon2id$v=19$m=4194304,t=9,p=1$AAAA$BBBB"), "teacher.pin_hash is not"},
      {"absurd limits", edit_manifest(good, "[0.2,1.5]", "[0.0,1000.0]"), "teacher.limits.transformer.temperature"},
      {"upside-down limits", edit_manifest(good, "[0.2,1.5]", "[1.5,0.2]"), "teacher.limits.transformer.temperature"},
      {"limits not a pair", edit_manifest(good, "[0.2,1.5]", "[0.2]"), "teacher.limits.transformer.temperature"},
      {"unknown panel", edit_manifest(good, "\"transformer.attention\"", "\"transformer.nothing\""), "teacher.hidden_panels"},
      {"unknown control", edit_manifest(good, "\"transformer.train\"", "\"transformer.fly\""), "teacher.hidden_controls"},
      {"locked not a boolean", edit_manifest(good, "\"locked\":true", "\"locked\":\"yes\""), "teacher.locked"},
  };
  for (const Case& c : cases) {
    Session fresh;
    REQUIRE(fresh.run("transformer set temperature 2").ok);
    const std::string msg = open_problem(fresh, c.bytes);
    INFO(c.what << ": " << msg);
    CHECK(msg.find(c.says) != std::string::npos);
    CHECK(msg.find("class.glassbox") != std::string::npos);
    CHECK_FALSE(fresh.teacher.locked());
    CHECK(fresh.lab("transformer").setting_value("temperature") == doctest::Approx(2));
  }
  Session fresh;
  CHECK(open_problem(fresh, good) == "");
  CHECK(fresh.teacher.locked());
}
