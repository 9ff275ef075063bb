// Fuzzes opening a session file (`.glassbox`): a real session (every lab's settings and state, the GAN's weights,
// teacher rules with a PIN hash) is captured once; each input either replaces its JSON manifest (first byte even)
// or is the whole file (first byte odd). Reading and checking against a running session must give a SessionFile
// or a gb::Error / a problem naming the file — never a crash, an uncaught exception, a huge allocation, and never a
// change to the running session (check_session only looks).
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "fuzz_common.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"

namespace {
gb::Session& running() {
  static gb::Session s;
  return s;
}

const gb::SafeTensors& base() {
  static const gb::SafeTensors st = [] {
    gb::Session& s = running();
    for (const char* line : {"transformer set temperature 0.7", "transformer prompt \"Once\"", "diffusion draw 0.5 0.5 1 1",
                             "gan step 3", "teacher limit transformer.temperature 0.2 1.5", "teacher hide gan.train",
                             "teacher pin 2468"})
      s.run(line);
    gb::SessionFile f = gb::capture_session(s);
    f.teacher.locked = true;  // in the file only: the running session stays unlocked, so checks run in full
    return gb::parse_safetensors(gb::session_file_bytes(f), "fuzz.glassbox");
  }();
  return st;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  gb::Session& session = running();
  const gb::SafeTensors& b = base();
  const std::string workspace = session.view.workspace;
  const size_t panels = session.view.open_panels.size();
  try {
    std::string bytes;
    if (data[0] % 2 == 0) {
      gb::SafeTensors st = b;
      st.metadata["glassbox.session"] = text;
      try {
        bytes = gb::serialize_safetensors(st);
      } catch (const std::exception&) {
        return 0;  // not UTF-8: no JSON header can hold it this way (the whole-file route tries such bytes)
      }
    } else {
      bytes = text;
    }
    gb::SessionFile f = gb::parse_session_file(bytes, "fuzz.glassbox");
    const std::string problem = gb::check_session(session, f);
    if (!problem.empty() && problem.find("fuzz.glassbox") == std::string::npos) gb::fuzz::die("problem does not name the file");
  } catch (const gb::Error& e) {
    if (std::string(e.what()).find("fuzz.glassbox") == std::string::npos) gb::fuzz::die("error does not name the file");
  }
  if (session.view.workspace != workspace || session.view.open_panels.size() != panels || session.teacher.locked())
    gb::fuzz::die("checking a file changed the running session");
  return 0;
}
