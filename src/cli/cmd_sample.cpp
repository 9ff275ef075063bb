// `glassbox sample diffusion|gan|vae …`: dispatches to the family's sampler, each defined in
// sample_<family>.cpp (a family that is not built yet prints "not built yet" and exits 1).
#include <cstdio>
#include <string>

#include "cli/args.hpp"

namespace gb::cli {

int sample_diffusion(int argc, char** argv);
int sample_gan(int argc, char** argv);
int sample_vae(int argc, char** argv);

int cmd_sample(int argc, char** argv) {
  std::string family = argc > 2 ? argv[2] : "";
  if (family == "diffusion") return sample_diffusion(argc, argv);
  if (family == "gan") return sample_gan(argc, argv);
  if (family == "vae") return sample_vae(argc, argv);
  if (family == "--help" || family == "-h") {
    std::printf("usage: glassbox sample diffusion|gan|vae [OPTIONS] --out FILE.npy|FILE.png\n"
                "(see `glassbox sample diffusion --help`, `glassbox sample gan --help`, `glassbox sample vae --help`)\n");
    return 0;
  }
  throw UsageError{family.empty() ? "name the model family: diffusion, gan or vae"
                                  : "unknown model family `" + family + "` (diffusion, gan or vae)"};
}

}  // namespace gb::cli
