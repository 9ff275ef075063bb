// `glassbox bench diffusion [--json]`: speed of the diffusion engine — one U-Net forward pass, one
// 28×28 image through 1000 DDPM steps and through 50 DDIM steps (with and without guidance, on one
// and two threads), and one training step. Wall-clock and CPU time are both printed, since other
// programs on the machine slow the wall clock.
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/files.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"

namespace gb::cli {

namespace {
double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpu_ms() {  // this process's CPU time (all threads)
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}
struct Timing {
  double wall = 0, cpu = 0;  // ms per repetition (best of the runs for wall)
};
template <class F>
Timing measure(F&& f, int reps, int runs = 3) {
  f();  // warm up
  Timing best{1e300, 0};
  for (int r = 0; r < runs; ++r) {
    double w0 = wall_ms(), c0 = cpu_ms();
    for (int i = 0; i < reps; ++i) f();
    double w = (wall_ms() - w0) / reps, c = (cpu_ms() - c0) / reps;
    if (w < best.wall) best = {w, c};
  }
  return best;
}
}  // namespace

int bench_diffusion(int argc, char** argv) {
  const std::vector<FlagSpec> spec = {{"--json", false, "        print one JSON object"},
                                      {"--model", true, "PATH   model (default: the shipped one; random weights if missing)"},
                                      {"--help", false, "        show this help"}};
  Args a(argc, argv, 3, spec);
  if (a.has("--help")) {
    std::printf("usage: glassbox bench diffusion [--json] [--model PATH]\n\n%s", usage_lines(spec).c_str());
    return 0;
  }
  Eigen::setNbThreads(1);
  std::string path = a.str("--model", default_diffusion_model_path());
  std::shared_ptr<EpsModel> model;
  std::string source = path;
  if (file_exists(path)) {
    model = load_diffusion_model(path).model;
  } else {
    auto u = std::make_shared<UNet>(UNetConfig{}, NoiseSchedule::make(ScheduleKind::linear, 1000));
    Rng r(1);
    u->init(r);
    model = u;
    source = "random weights (no model file)";
  }
  const UNet* unet = dynamic_cast<const UNet*>(model.get());
  if (!unet) throw UsageError{"--model: bench diffusion needs an image (U-Net) model"};

  struct Row {
    std::string name;
    Timing t;
  };
  std::vector<Row> rows;
  std::vector<float> x(2 * 784, 0.1f), eps(2 * 784);
  int t2[2] = {500, 500}, l2[2] = {7, -1};
  rows.push_back({"unet_forward_batch1_ms", measure([&] { model->predict(eps.data(), x.data(), t2, l2, 1); }, 200)});
  rows.push_back({"unet_forward_batch2_ms", measure([&] { model->predict(eps.data(), x.data(), t2, l2, 2); }, 100)});
  auto sample = [&](SamplerKind k, int steps, float g, int threads) {
    SamplerConfig c;
    c.kind = k;
    c.steps = steps;
    c.guidance = g;
    c.threads = threads;
    c.record = false;
    return measure([&] { Sampler s(model, c, {7}); s.run(); }, 1, k == SamplerKind::ddpm ? 2 : 5);
  };
  rows.push_back({"ddpm1000_unguided_ms", sample(SamplerKind::ddpm, 1000, 1.0f, 1)});
  rows.push_back({"ddpm1000_guided_1thread_ms", sample(SamplerKind::ddpm, 1000, 5.0f, 1)});
  rows.push_back({"ddpm1000_guided_2threads_ms", sample(SamplerKind::ddpm, 1000, 5.0f, 2)});
  rows.push_back({"ddim50_unguided_ms", sample(SamplerKind::ddim, 50, 1.0f, 1)});
  rows.push_back({"ddim50_guided_1thread_ms", sample(SamplerKind::ddim, 50, 5.0f, 1)});
  rows.push_back({"ddim50_guided_2threads_ms", sample(SamplerKind::ddim, 50, 5.0f, 2)});
  {
    UNet net(unet->config(), unet->schedule());
    net.params.data = unet->params.data;
    UNetWork w;
    const int B = 64;
    std::vector<float> xb(size_t(B) * 784, 0.1f), eb(xb.size()), db(xb.size(), 1e-3f);
    std::vector<int> tb(B, 300), lb(B, 3);
    rows.push_back({"train_step_batch64_ms", measure([&] {
                      net.forward(w, eb.data(), xb.data(), tb.data(), lb.data(), B);
                      net.params.zero_grad();
                      net.backward(w, db.data());
                    }, 3, 2)});
  }
  if (a.has("--json")) {
    std::printf("{\"model\": \"%s\"", source.c_str());
    for (auto& r : rows) std::printf(", \"%s\": %.3f, \"%s_cpu\": %.3f", r.name.c_str(), r.t.wall, r.name.c_str(), r.t.cpu);
    std::printf("}\n");
  } else {
    std::printf("diffusion bench (%s; targets: 1000 DDPM steps < 1000 ms, 50 DDIM steps < 60 ms)\n", source.c_str());
    std::printf("  %-30s %10s %10s\n", "", "wall ms", "cpu ms");
    for (auto& r : rows) std::printf("  %-30s %10.3f %10.3f\n", r.name.c_str(), r.t.wall, r.t.cpu);
  }
  return 0;
}

}  // namespace gb::cli
