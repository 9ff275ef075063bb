// What a session file keeps of the diffusion lab beyond its settings table (lab/session_file.hpp): the data set
// (which model), the points the class drew, the class asked for, the forward-process view and the trajectory
// frame. Opening replays them through the lab's own commands, so every check a command makes applies. A model trained
// live (`train start`: its EMA weights in use) is kept bit for bit with its loss curve; a shipped model by its data
// set's name only, so a file stays small.
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
  // A model trained in the session (empty weights: the data set's shipped model).
  std::string kind;  // "diffusion-2d" or "diffusion-unet"
  std::string config, schedule = "linear";
  int T = 1000;
  int64_t step = 0;
  std::vector<float> weights, loss;
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
  if (in.has_tensor("weights")) {
    JsonIn t = j.object("trained");
    s.kind = t.string("kind");
    const bool image = s.data == "fashion-mnist";
    if (s.kind != (image ? "diffusion-unet" : "diffusion-2d"))
      t.fail_here("kind \"" + s.kind + "\" is not the kind of model the " + s.data + " data set trains");
    // The lab trains one shape only (DiffusionTrainConfig's defaults): anything else is not from this lab.
    s.config = t.string("config");
    const DiffusionTrainConfig tc;
    if (s.config != (image ? tc.unet.to_json() : tc.mlp.to_json())) t.fail_here("config is not the shape this lab trains");
    s.schedule = t.string("schedule");
    try {
      schedule_from_name(s.schedule);
    } catch (const Error& e) {
      t.fail_here(e.what());
    }
    s.T = t.int32("T", 2, 100000);
    s.step = t.integer("step", 0, int64_t(1) << 40);
    const NoiseSchedule sched = NoiseSchedule::make(schedule_from_name(s.schedule), s.T);
    const size_t n = image ? UNet(tc.unet, sched).params.data.size() : Mlp2d(tc.mlp, sched).params.data.size();
    s.weights = in.tensor("weights", {int64_t(n)}).data;
    if (in.has_tensor("loss")) {
      const StateTensor& l = in.tensors.at("loss");
      if (l.shape.size() != 1 || l.shape[0] > (int64_t(1) << 24)) t.fail_here("loss: expected one loss per step");
      s.loss = l.data;
    }
  }
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
  // Trained here: the EMA weights in use, bit for bit (after `train stop` the worker's last snapshot may be newer than
  // the weights in use, so the model in use is what is kept). A drawing's model has no file: always kept.
  auto shipped = shipped_.find(data_);
  const bool trained = model_ && (is_drawn() || (snapshot_ && snapshot_->step > 0 &&
                                                 (shipped == shipped_.end() || shipped->second != model_)));
  if (trained) {
    const ParamSet* p = nullptr;
    std::string kind, config;
    if (auto* u = dynamic_cast<const UNet*>(model_.get())) p = &u->params, kind = "diffusion-unet", config = u->config().to_json();
    if (auto* m = dynamic_cast<const Mlp2d*>(model_.get())) p = &m->params, kind = "diffusion-2d", config = m->config().to_json();
    if (p) {
      const NoiseSchedule& sc = model_->schedule();
      out.fields["trained"] = {{"kind", kind}, {"config", config}, {"schedule", schedule_name(sc.kind)}, {"T", sc.T},
                               {"step", snapshot_ ? snapshot_->step : 0}};
      out.tensors["weights"] = StateTensor{{int64_t(p->data.size())}, p->data};
      if (snapshot_ && !snapshot_->loss_history.empty())
        out.tensors["loss"] = StateTensor{{int64_t(snapshot_->loss_history.size())}, snapshot_->loss_history};
    }
  }
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
  shipped_.erase("drawn");  // this session's drawing model is not the file's (the file's comes below, or fresh)
  if (s.data != data_ || s.data == "drawn") handle(command_from_words({"data", s.data}));
  if (!s.weights.empty()) {  // the trained model replaces the data set's own, as `train start` left it
    const NoiseSchedule sched = NoiseSchedule::make(schedule_from_name(s.schedule), s.T);
    const DiffusionTrainConfig tc;
    std::shared_ptr<EpsModel> m;
    if (s.kind == "diffusion-unet") {
      auto u = std::make_shared<UNet>(tc.unet, sched);
      u->params.data = s.weights;
      m = u;
    } else {
      auto p = std::make_shared<Mlp2d>(tc.mlp, sched);
      p->params.data = s.weights;
      m = p;
    }
    if (s.step > 0) {  // the training panel shows the loss curve it had
      auto snap = std::make_shared<DiffusionTrainSnapshot>();
      snap->step = snap->total = s.step;
      snap->loss_history = s.loss;
      snap->model = m;
      snap->finished = true;
      snapshot_ = snap;
    }
    model_ = m;
    if (is_drawn()) shipped_["drawn"] = m;
    cfg_.clip_x0 = m->dim() == 784;
    if (cfg_.steps > m->schedule().T) cfg_.steps = m->schedule().T;
    restart();
  }
  handle(command_from_words({"class", s.label < 0 ? "none" : std::to_string(s.label)}));
  handle(command_from_words({"forward", "class", std::to_string(s.fwd_class)}));
  handle(command_from_words({"forward", "index", std::to_string(s.fwd_index)}));
  handle(command_from_words({"forward", "t", std::to_string(s.fwd_t)}));
  handle(command_from_words({"forward", "seed", std::to_string(s.fwd_seed)}));
  if (s.frame > 0) handle(command_from_words({"frame", std::to_string(s.frame)}));
}

}  // namespace gb
