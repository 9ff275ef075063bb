// `glassbox train transformer|diffusion|gan|vae …`: dispatches to the family's trainer, each defined in
// its own file src/cli/train_<family>.cpp.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/args.hpp"

namespace gb::cli {

int train_transformer(int argc, char** argv);
int train_diffusion(int argc, char** argv);
int train_gan(int argc, char** argv);
int train_vae(int argc, char** argv);

int cmd_train(int argc, char** argv) {
  const char* usage =
      "usage: glassbox train transformer|diffusion|gan|vae [OPTIONS] --out FILE\n"
      "       glassbox train FAMILY --help   shows the family's options\n";
  if (argc < 3 || std::strcmp(argv[2], "--help") == 0 || std::strcmp(argv[2], "-h") == 0) {
    std::printf("%s", usage);
    return argc < 3 ? 2 : 0;
  }
  const std::string family = argv[2];
  if (family == "transformer") return train_transformer(argc, argv);
  if (family == "diffusion") return train_diffusion(argc, argv);
  if (family == "gan") return train_gan(argc, argv);
  if (family == "vae") return train_vae(argc, argv);
  throw UsageError{"unknown model family `" + family + "` (transformer, diffusion, gan or vae)"};
}

}  // namespace gb::cli
