// What a session file keeps of the GAN lab beyond its settings table (lab/session_file.hpp): the 2D game as the
// class left it — its whole configuration (data set with the drawn points, loss, optimiser, sizes, seed), both
// networks' weights (F32, bit for bit), the step counts and the loss curve — and the image GAN's class. The
// optimisers' moments start fresh, so training on after opening differs slightly from training on before saving.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "lab/gan_lab.hpp"
#include "lab/lab_state.hpp"
#include "models/gan/losses.hpp"

namespace gb {

namespace {
struct SavedGan {
  Gan2dConfig cfg;
  std::vector<float> drawn, g, d;
  int64_t g_steps = 0, d_steps = 0;
  std::vector<Gan2dLoss> history;
  int label = 0;
};

// History rows: step, d_loss, g_loss, d_real, d_fake, flags. A value not measured yet is NaN in the game (g_loss
// before the first generator step); a session file holds no NaN, so it is stored as 0 with a flag bit:
// flags bit 0 = a discriminator update, bits 1–4 = d_loss, g_loss, d_real, d_fake not measured.
constexpr int kHistoryFields = 6;
float stored(float v) { return std::isfinite(v) ? v : 0.0f; }
float flags_of(const Gan2dLoss& e) {
  int f = e.d_update ? 1 : 0;
  if (!std::isfinite(e.d_loss)) f |= 2;
  if (!std::isfinite(e.g_loss)) f |= 4;
  if (!std::isfinite(e.d_real)) f |= 8;
  if (!std::isfinite(e.d_fake)) f |= 16;
  return float(f);
}

SavedGan read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedGan s;
  JsonIn c = j.object("config");
  try {
    s.cfg.data.kind = toy_dataset_from_name(c.string("dataset"));
    s.cfg.loss = gan_loss_from_name(c.string("loss"));
    s.cfg.optim = optim_from_name(c.string("optim"));
  } catch (const Error& e) {
    c.fail_here(e.what());
  }
  s.cfg.lr_g = float(c.number("lr_g", 0, 10));
  s.cfg.lr_d = float(c.number("lr_d", 0, 10));
  s.cfg.k_d = c.int32("k_d", 1, 100);
  s.cfg.batch = c.int32("batch", 1, 4096);
  s.cfg.z_dim = c.int32("z_dim", 1, 64);
  s.cfg.g_hidden = c.int32("g_hidden", 1, 1024);
  s.cfg.g_layers = c.int32("g_layers", 1, 16);
  s.cfg.d_hidden = c.int32("d_hidden", 1, 1024);
  s.cfg.d_layers = c.int32("d_layers", 1, 16);
  s.cfg.gp_weight = float(c.number("gp_weight", 0, 1000));
  s.cfg.sgd_momentum = float(c.number("sgd_momentum", 0, 0.999));
  s.cfg.seed = c.u64_string("seed");
  s.cfg.data.custom_noise = float(c.number("custom_noise", 0, 10));
  auto points = [&](const char* name) {
    if (!in.has_tensor(name)) return std::vector<float>{};
    const StateTensor& t = in.tensors.at(name);
    if (t.shape.size() != 2 || t.shape[1] != 2 || t.shape[0] > 100000) j.fail_here(std::string(name) + ": expected (n, 2) points");
    for (float v : t.data)
      if (!(std::fabs(v) <= 10)) j.fail_here(std::string(name) + ": a point lies outside [-10, 10]²");
    return t.data;
  };
  s.drawn = points("drawn");
  s.cfg.data.custom = points("custom");
  try {
    s.cfg.validate();
    s.cfg.data.validate();
  } catch (const Error& e) {
    c.fail_here(std::string("cannot train: ") + e.what());
  }
  s.g_steps = j.integer("g_steps", 0, int64_t(1) << 40);
  s.d_steps = j.integer("d_steps", 0, int64_t(1) << 40);
  const Gan2d probe(s.cfg);  // the networks' sizes for this configuration
  s.g = in.tensor("g", {int64_t(probe.g.count())}).data;
  s.d = in.tensor("d", {int64_t(probe.d.count())}).data;
  if (in.has_tensor("history")) {
    const StateTensor& h = in.tensors.at("history");
    if (h.shape.size() != 2 || h.shape[1] != kHistoryFields || h.shape[0] > int64_t(kGan2dHistoryMax) * 2)
      j.fail_here("history: expected (n, 6) rows (step, d_loss, g_loss, d_real, d_fake, flags)");
    for (int64_t r = 0; r < h.shape[0]; ++r) {
      const float* row = h.data.data() + r * kHistoryFields;
      if (!(row[0] >= 0) || row[0] != std::floor(row[0]) || !(row[5] >= 0 && row[5] <= 31) || row[5] != std::floor(row[5]))
        j.fail_here("history: row " + std::to_string(r) + " has a step that is not a whole number or flags not 0–31");
      const int f = int(row[5]);
      const float nan = std::numeric_limits<float>::quiet_NaN();
      s.history.push_back({int64_t(row[0]), f & 2 ? nan : row[1], f & 4 ? nan : row[2], f & 8 ? nan : row[3],
                           f & 16 ? nan : row[4], (f & 1) != 0});
    }
  }
  s.label = j.int32_or("class", 0, 0, 9);
  return s;
}
}  // namespace

void GanLab::save_state(LabState& out) const {
  const Gan2dConfig& c = toy_->config();
  out.fields["config"] = {{"dataset", toy_dataset_name(c.data.kind)}, {"loss", gan_loss_name(c.loss)},
                          {"optim", optim_name(c.optim)},              {"lr_g", c.lr_g},
                          {"lr_d", c.lr_d},                            {"k_d", c.k_d},
                          {"batch", c.batch},                          {"z_dim", c.z_dim},
                          {"g_hidden", c.g_hidden},                    {"g_layers", c.g_layers},
                          {"d_hidden", c.d_hidden},                    {"d_layers", c.d_layers},
                          {"gp_weight", c.gp_weight},                  {"sgd_momentum", c.sgd_momentum},
                          {"seed", std::to_string(c.seed)},            {"custom_noise", c.data.custom_noise}};
  out.fields["g_steps"] = toy_->g_steps();
  out.fields["d_steps"] = toy_->d_steps();
  out.fields["class"] = label_;
  out.tensors["g"] = StateTensor{{int64_t(toy_->g.count())}, toy_->g.data};
  out.tensors["d"] = StateTensor{{int64_t(toy_->d.count())}, toy_->d.data};
  if (!drawn_.empty()) out.tensors["drawn"] = StateTensor{{int64_t(drawn_.size() / 2), 2}, drawn_};
  if (!c.data.custom.empty()) out.tensors["custom"] = StateTensor{{int64_t(c.data.custom.size() / 2), 2}, c.data.custom};
  const auto& h = toy_->history();
  if (!h.empty()) {
    StateTensor t{{int64_t(h.size()), kHistoryFields}, {}};
    t.data.reserve(h.size() * kHistoryFields);
    for (const Gan2dLoss& e : h)
      for (float v : {float(e.step), stored(e.d_loss), stored(e.g_loss), stored(e.d_real), stored(e.d_fake), flags_of(e)})
        t.data.push_back(v);
    out.tensors["history"] = std::move(t);
  }
}

std::string GanLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void GanLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  finish_batch();
  SavedGan s = read_saved(in);
  drawn_ = s.drawn;
  *toy_ = Gan2d(s.cfg);
  toy_->restore(s.g, s.d, s.g_steps, s.d_steps, std::move(s.history));
  undo_.clear();
  label_ = s.label;
  after_change();
}

}  // namespace gb
