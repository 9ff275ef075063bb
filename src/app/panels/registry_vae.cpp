// VAE workspace panels: one line per panel (draw functions in vae_<panel>.cpp).
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_vae_map(PanelContext& ctx);
void draw_vae_atlas(PanelContext& ctx);
void draw_vae_one(PanelContext& ctx);
void draw_vae_beta(PanelContext& ctx);
void draw_vae_interpolate(PanelContext& ctx);
void draw_vae_samples(PanelContext& ctx);
void draw_vae_compare(PanelContext& ctx);

std::vector<PanelDef> vae_panel_defs() {
  return {
      {"vae.map", draw_vae_map},
      {"vae.atlas", draw_vae_atlas},
      {"vae.one", draw_vae_one},
      {"vae.beta", draw_vae_beta},
      {"vae.interpolate", draw_vae_interpolate},
      {"vae.samples", draw_vae_samples},
      {"vae.compare", draw_vae_compare},
  };
}

}  // namespace gb::app
