// `glassbox bench transformer|diffusion|gan|vae`: dispatches to the family's bench in bench_<family>.cpp.
// (`glassbox bench ui` is handled by the app through AppHooks before this is reached.)
#include <cstdio>
#include <string>

#include "cli/args.hpp"

namespace gb::cli {

// Each defined in src/cli/bench_<family>.cpp; argv[0] = "glassbox", argv[1] = "bench", argv[2] = family.
int bench_transformer(int argc, char** argv);
int bench_diffusion(int argc, char** argv);
int bench_gan(int argc, char** argv);
int bench_vae(int argc, char** argv);

int cmd_bench(int argc, char** argv) {
  const std::string family = argc > 2 ? argv[2] : "";
  if (family == "transformer") return bench_transformer(argc, argv);
  if (family == "diffusion") return bench_diffusion(argc, argv);
  if (family == "gan") return bench_gan(argc, argv);
  if (family == "vae") return bench_vae(argc, argv);
  if (family == "--help" || family == "-h") {
    std::printf("usage: glassbox bench transformer|diffusion|gan|vae|ui [--json] …\n"
                "  `glassbox bench FAMILY --help` shows a family's options.\n");
    return 0;
  }
  throw UsageError{family.empty() ? "name what to measure: transformer, diffusion, gan, vae or ui"
                                  : "unknown bench `" + family + "` (transformer, diffusion, gan, vae, ui)"};
}

}  // namespace gb::cli
