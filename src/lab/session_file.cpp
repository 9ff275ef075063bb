// Session files: see session_file.hpp.
#include "lab/session_file.hpp"

#include <algorithm>
#include <cstring>

#include "build_info.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/safetensors.hpp"
#include "core/utf8.hpp"
#include "lab/session.hpp"

namespace gb {

namespace {
constexpr const char* kManifestKey = "glassbox.session";
constexpr const char* kFormat = "glassbox-session";

std::string tensor_key(const std::string& lab, const std::string& name) { return "labs/" + lab + "/" + name; }

}  // namespace

// [SECTION] LabState
JsonIn LabState::in() const { return JsonIn::wrap(fields, file, where); }

const StateTensor& LabState::tensor(const std::string& name, const std::vector<int64_t>& shape) const {
  auto shape_text = [](const std::vector<int64_t>& s) {
    std::string t = "[";
    for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
    return t + "]";
  };
  auto it = tensors.find(name);
  if (it == tensors.end()) fail_file(file, where + ": the tensor `" + name + "` is missing");
  if (it->second.shape != shape)
    fail_file(file, where + ": the tensor `" + name + "` has shape " + shape_text(it->second.shape) + ", expected " +
                        shape_text(shape));
  return it->second;
}

void put_bytes(nlohmann::json& obj, const std::string& key, const std::string& bytes) {
  if (utf8_valid(bytes)) {
    obj[key] = bytes;
    return;
  }
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : bytes) h += d[c >> 4], h += d[c & 15];
  obj[key + "_hex"] = h;
}

bool has_bytes(const JsonIn& obj, const std::string& key) { return obj.has(key) || obj.has(key + "_hex"); }

std::string get_bytes(const JsonIn& obj, const std::string& key, const std::string& fallback) {
  if (obj.has(key)) return obj.string(key);
  if (!obj.has(key + "_hex")) return fallback;
  const std::string h = obj.string(key + "_hex");
  auto val = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  if (h.size() % 2) obj.fail_here(key + "_hex has an odd number of hex digits");
  std::string out;
  for (size_t i = 0; i < h.size(); i += 2) {
    if (val(h[i]) < 0 || val(h[i + 1]) < 0) obj.fail_here(key + "_hex is not hex (two digits 0-9a-f per byte)");
    out += char(val(h[i]) * 16 + val(h[i + 1]));
  }
  return out;
}

// [SECTION] bytes ↔ SessionFile
std::string session_file_bytes(const SessionFile& s) {
  nlohmann::ordered_json m;
  m["format"] = kFormat;
  m["version"] = s.version;
  m["written_by"] = s.written_by.empty() ? std::string("glassbox ") + build::version : s.written_by;
  m["view"]["workspace"] = s.workspace;
  m["view"]["open_panels"] = nlohmann::ordered_json::array();
  for (auto& p : s.open_panels) m["view"]["open_panels"].push_back(p);
  m["view"]["lessons_open"] = s.lessons_open;
  if (!s.lesson_file.empty()) {
    m["lesson"]["file"] = s.lesson_file;
    m["lesson"]["step"] = s.lesson_step;
  }
  if (!s.teacher.empty()) {
    const TeacherRules& t = s.teacher;
    nlohmann::ordered_json j;
    j["locked"] = t.locked;
    j["pin_hash"] = t.pin_hash;
    j["hidden_panels"] = nlohmann::ordered_json::array();
    for (auto& p : t.hidden_panels) j["hidden_panels"].push_back(p);
    j["hidden_controls"] = nlohmann::ordered_json::array();
    for (auto& p : t.hidden_controls) j["hidden_controls"].push_back(p);
    j["fixed_model"] = t.fixed_model;
    j["limits"] = nlohmann::ordered_json::object();
    for (auto& [id, l] : t.limits) j["limits"][id] = {l.lo, l.hi};
    if (!t.start_lesson.empty()) j["start_lesson"] = {{"file", t.start_lesson}, {"step", t.start_step}};
    m["teacher"] = j;
  }
  m["labs"] = nlohmann::ordered_json::object();
  SafeTensors st;
  for (auto& [name, lab] : s.labs) {
    nlohmann::ordered_json l;
    l["settings"] = nlohmann::ordered_json::object();
    for (auto& [k, v] : lab.settings) l["settings"][k] = v;
    l["state"] = lab.state.fields;
    l["tensors"] = nlohmann::ordered_json::array();
    for (auto& [tn, t] : lab.state.tensors) {
      l["tensors"].push_back(tn);
      st.add(tensor_key(name, tn), t.shape, t.data.data(), DType::F32);
    }
    m["labs"][name] = l;
  }
  try {
    st.metadata[kManifestKey] = m.dump();
  } catch (const nlohmann::json::exception& e) {  // a lab's text that is not UTF-8 (labs store such bytes as hex)
    fail(std::string("the session could not be written as JSON: ") + e.what());
  }
  return serialize_safetensors(st);
}

SessionFile parse_session_file(std::string_view bytes, const std::string& file) {
  SafeTensors st;
  try {
    st = parse_safetensors(bytes, file);
  } catch (const Error& e) {  // the container's own message, said as a session's problem
    std::string why = e.what();
    for (const std::string& head : {file + " is not a model file: ", file + ": "})
      if (why.rfind(head, 0) == 0) {
        why = why.substr(head.size());
        break;
      }
    fail(file + " is not a Glassbox session file, or it is damaged: " + why);
  }
  auto it = st.metadata.find(kManifestKey);
  if (it == st.metadata.end())
    fail_file(file, "not a Glassbox session file (it has no `glassbox.session` manifest; a model checkpoint opens with "
                    "File → Open model)");
  JsonIn m = JsonIn::parse(it->second, file, "glassbox.session");
  if (m.string("format") != kFormat) m.fail_here("format is not \"glassbox-session\"");
  SessionFile s;
  s.file = file;
  s.version = int(m.integer("version", 1, 1000000));
  if (s.version > kSessionFormatVersion)
    fail_file(file, "was written by a newer Glassbox (" + m.string_or("written_by", "unknown version") +
                        ", session format " + std::to_string(s.version) + "); this Glassbox reads format " +
                        std::to_string(kSessionFormatVersion) + " — update Glassbox to open it");
  s.written_by = m.string_or("written_by", "");
  JsonIn view = m.object("view");
  s.workspace = view.string("workspace");
  for (const JsonIn& p : view.array("open_panels")) s.open_panels.insert(p.as_string());
  s.lessons_open = view.boolean_or("lessons_open", false);
  if (m.has("lesson")) {
    JsonIn l = m.object("lesson");
    s.lesson_file = l.string("file");
    if (s.lesson_file.empty() || s.lesson_file.find('/') != std::string::npos || s.lesson_file[0] == '.')
      l.fail_here("names the file \"" + s.lesson_file + "\": expected a lesson's file name in the lessons folder");
    s.lesson_step = l.int32("step", 0, 100000);
  }
  if (m.has("teacher")) {
    JsonIn t = m.object("teacher");
    TeacherRules& r = s.teacher;
    r.locked = t.boolean_or("locked", false);
    r.pin_hash = t.string_or("pin_hash", "");
    if (t.has("hidden_panels"))
      for (const JsonIn& p : t.array("hidden_panels")) r.hidden_panels.insert(p.as_string());
    if (t.has("hidden_controls"))
      for (const JsonIn& p : t.array("hidden_controls")) r.hidden_controls.insert(p.as_string());
    r.fixed_model = t.boolean_or("fixed_model", false);
    if (t.has("limits"))
      for (auto& [id, l] : t.object("limits").members()) {
        if (!l.is_array() || l.size() != 2) l.fail_here("is not [LO, HI]");
        r.limits[id] = {l.at(0).as_number(-1e12, 1e12), l.at(1).as_number(-1e12, 1e12)};
      }
    if (t.has("start_lesson")) {
      JsonIn l = t.object("start_lesson");
      r.start_lesson = l.string("file");
      if (r.start_lesson.empty() || r.start_lesson.find('/') != std::string::npos || r.start_lesson[0] == '.')
        l.fail_here("names the file \"" + r.start_lesson + "\": expected a lesson's file name in the lessons folder");
      r.start_step = l.int32("step", 0, 100000);
    }
  }
  std::set<std::string> claimed;
  for (auto& [name, lab] : m.object("labs").members()) {
    SessionFile::Lab& out = s.labs[name];
    if (!lab.is_object()) lab.fail_here("is not an object");
    if (lab.has("settings"))
      for (auto& [k, v] : lab.object("settings").members()) out.settings[k] = v.as_string();
    out.state.file = file;
    out.state.where = lab.path() + ".state";
    if (lab.has("state")) {
      JsonIn state = lab.value("state");
      if (!state.is_object()) state.fail_here("is not an object");
      out.state.fields = state.raw();
    }
    if (lab.has("tensors"))
      for (const JsonIn& t : lab.array("tensors")) {
        const std::string tn = t.as_string();
        const SafeTensor* x = st.find(tensor_key(name, tn));
        if (!x) t.fail_here("names the tensor `" + tensor_key(name, tn) + "`, which the file does not hold");
        if (x->dtype != DType::F32) t.fail_here("names a tensor stored as " + std::string(dtype_name(x->dtype)) + ", expected F32");
        out.state.tensors[tn] = {x->shape, x->to_float()};  // to_float refuses NaN and ±Inf, naming the tensor
        claimed.insert(x->name);
      }
  }
  for (auto& t : st.tensors())
    if (!claimed.count(t.name))
      fail_file(file, "holds the tensor `" + t.name + "`, which no lab in the manifest lists (a hand-edited file?)");
  return s;
}

SessionFile read_session_file(const std::string& path) { return parse_session_file(read_file(path), path); }

void write_session_file(const std::string& path, const SessionFile& s) { write_file_atomic(path, session_file_bytes(s)); }

// [SECTION] the running session ↔ SessionFile
SessionFile capture_session(Session& session) {
  SessionFile s;
  s.workspace = session.view.workspace;
  s.open_panels = session.view.open_panels;
  s.lessons_open = session.view.lessons_open;
  s.teacher = session.teacher.rules;
  for (Lab* lab : session.labs()) {
    SessionFile::Lab& l = s.labs[lab->name()];
    for (const SettingSpec& spec : lab->setting_table()) l.settings[spec.name] = setting_value_text(spec, lab->setting_value(spec.name));
    lab->save_state(l.state);
  }
  return s;
}

std::string check_session(Session& session, const SessionFile& s) {
  const std::string& f = s.file;
  if (session.teacher.locked())
    return "locked by the teacher: opening another session needs the app unlocked first (Teacher → Unlock…)";
  auto known = session.workspaces();
  auto list = [&] {
    std::string t;
    for (size_t i = 0; i < known.size(); ++i) t += (i ? ", " : "") + known[i];
    return t;
  };
  if (std::find(known.begin(), known.end(), s.workspace) == known.end())
    return f + ": view.workspace \"" + s.workspace + "\" is not a workspace (expected " + list() + ")";
  for (auto& p : s.open_panels)
    if (!session.has_panel(p)) return f + ": view.open_panels names \"" + p + "\", which is not a panel";
  if (std::string why = TeacherLock::check(session, s.teacher, "teacher"); !why.empty()) return f + ": " + why;
  for (auto& [name, l] : s.labs) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      return f + ": labs." + name + ": no lab is called \"" + name + "\" (expected " + list() + ")";
    Lab& lab = session.lab(name);
    const std::vector<SettingSpec> specs = lab.setting_table();
    for (auto& [k, v] : l.settings) {
      const SettingSpec* spec = find_setting(specs, k);
      if (!spec) return f + ": labs." + name + ".settings." + k + ": the " + name + " lab has no setting called \"" + k + "\"";
      double value = 0;
      std::string err;
      if (!parse_setting(*spec, v, value, err)) return f + ": labs." + name + ".settings." + k + ": " + err;
    }
    try {
      std::string problem = lab.check_state(l.state);
      if (!problem.empty()) return problem;
    } catch (const Error& e) {
      return e.what();
    }
  }
  return "";
}

std::string apply_session(Session& session, const SessionFile& s) {
  std::string problem = check_session(session, s);
  if (!problem.empty()) return problem;
  session.reset_to_defaults(s.workspace);
  for (auto& [name, l] : s.labs) {
    Lab& lab = session.lab(name);
    for (auto& [k, v] : l.settings) {
      CommandResult r = lab.handle(command_from_words({"set", k, v}));
      if (!r.ok) return s.file + ": labs." + name + ".settings." + k + ": " + r.message;  // checked above; a lab bug
    }
    lab.apply_state(l.state);
  }
  session.view.open_panels = s.open_panels;
  session.view.lessons_open = s.lessons_open;
  session.view.workspace = s.workspace;
  session.teacher = TeacherLock{};  // fresh: no wrong tries carried over
  session.teacher.rules = s.teacher;
  session.teacher.keep_limits(session);  // a hand-edited setting outside the teacher's range goes to its nearest end
  return "";
}

}  // namespace gb
