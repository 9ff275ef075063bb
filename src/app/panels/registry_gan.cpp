// GAN workspace panels: one line per panel (draw functions in gan_<panel>.cpp).
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_gan_playground(PanelContext& ctx);
void draw_gan_latent(PanelContext& ctx);
void draw_gan_losses(PanelContext& ctx);
void draw_gan_samples(PanelContext& ctx);
void draw_gan_interpolate(PanelContext& ctx);
void draw_gan_training(PanelContext& ctx);

std::vector<PanelDef> gan_panel_defs() {
  return {
      {"gan.playground", draw_gan_playground},
      {"gan.latent", draw_gan_latent},
      {"gan.losses", draw_gan_losses},
      {"gan.samples", draw_gan_samples},
      {"gan.interpolate", draw_gan_interpolate},
      {"gan.training", draw_gan_training},
  };
}

}  // namespace gb::app
