// What a session file keeps of the diffusion lab beyond its settings table (lab/session_file.hpp): the data set
// (which model), the points the class drew, the class asked for, the forward-process view and the trajectory
// frame. Opening replays them through the lab's own commands, so every check a command makes applies. A 2D model
// trained live on drawn points is not kept yet: it is trained again with `train start` in seconds.
#include <cmath>

#include "core/error.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/lab_state.hpp"

namespace gb {

namespace {
const char* const kData[] = {"fashion-mnist", "moons", "swiss-roll", "rings", "gaussians", "drawn"};

struct SavedDiffusion {
  std::string data = "fashion-mnist";
  std::vector<float> drawn;  // (n, 2)
  int label = -1, frame = 0;
  int fwd_class = 0, fwd_index = 0, fwd_t = 0;
  uint64_t fwd_seed = 1;
};

SavedDiffusion read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedDiffusion s;
  s.data = j.string_or("data", s.data);
  bool known = false;
  for (const char* d : kData) known |= s.data == d;
  if (!known) j.fail_here("data \"" + s.data + "\" is not fashion-mnist, moons, swiss-roll, rings, gaussians or drawn");
  if (in.has_tensor("drawn")) {
    const StateTensor& t = in.tensors.at("drawn");
    if (t.shape.size() != 2 || t.shape[1] != 2 || t.shape[0] > 2000) j.fail_here("drawn: expected (n, 2) points, at most 2000");
    for (float v : t.data)
      if (!(std::fabs(v) <= kDiffusionPlaneLim)) j.fail_here("drawn: a point lies outside the plane [-3, 3]²");
    s.drawn = t.data;
  }
  s.label = j.int32_or("class", -1, -1, 9);
  s.frame = j.int32_or("frame", 0, 0, 100000);
  s.fwd_class = j.int32_or("forward_class", 0, 0, 9);
  s.fwd_index = j.int32_or("forward_index", 0, 0, 100000);
  s.fwd_t = j.int32_or("forward_t", 0, 0, 100000);
  s.fwd_seed = uint64_t(j.integer_or("forward_seed", 1, 0, int64_t(1) << 53));
  return s;
}

}  // namespace

void DiffusionLab::save_state(LabState& out) const {
  out.fields["data"] = data_;
  out.fields["class"] = label_;
  out.fields["frame"] = target_;
  out.fields["forward_class"] = fwd_class_;
  out.fields["forward_index"] = fwd_index_;
  out.fields["forward_t"] = fwd_t_;
  out.fields["forward_seed"] = fwd_seed_;
  if (!drawn_.empty()) out.tensors["drawn"] = StateTensor{{int64_t(drawn_.size() / 2), 2}, drawn_};
}

std::string DiffusionLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void DiffusionLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  const SavedDiffusion s = read_saved(in);
  handle(command_from_words({"draw", "clear"}));
  if (!s.drawn.empty()) {
    std::vector<std::string> w = {"draw"};
    char b[32];
    for (float v : s.drawn) {
      std::snprintf(b, sizeof b, "%.9g", double(v));  // 9 digits: the same float back
      w.push_back(b);
    }
    handle(command_from_words(w));
  }
  if (s.data != data_) handle(command_from_words({"data", s.data}));
  handle(command_from_words({"class", s.label < 0 ? "none" : std::to_string(s.label)}));
  handle(command_from_words({"forward", "class", std::to_string(s.fwd_class)}));
  handle(command_from_words({"forward", "index", std::to_string(s.fwd_index)}));
  handle(command_from_words({"forward", "t", std::to_string(s.fwd_t)}));
  handle(command_from_words({"forward", "seed", std::to_string(s.fwd_seed)}));
  if (s.frame > 0) handle(command_from_words({"frame", std::to_string(s.frame)}));
}

}  // namespace gb
