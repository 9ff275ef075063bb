// Diffusion workspace panels: one line per panel (draw functions in diffusion_<panel>.cpp).
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_diffusion_sampler(PanelContext& ctx);
void draw_diffusion_step(PanelContext& ctx);
void draw_diffusion_filmstrip(PanelContext& ctx);
void draw_diffusion_schedule(PanelContext& ctx);
void draw_diffusion_forward(PanelContext& ctx);
void draw_diffusion_compare(PanelContext& ctx);
void draw_diffusion_points(PanelContext& ctx);
void draw_diffusion_training(PanelContext& ctx);

std::vector<PanelDef> diffusion_panel_defs() {
  return {
      {"diffusion.sampler", draw_diffusion_sampler},
      {"diffusion.step", draw_diffusion_step},
      {"diffusion.filmstrip", draw_diffusion_filmstrip},
      {"diffusion.schedule", draw_diffusion_schedule},
      {"diffusion.forward", draw_diffusion_forward},
      {"diffusion.compare", draw_diffusion_compare},
      {"diffusion.points", draw_diffusion_points},
      {"diffusion.training", draw_diffusion_training},
  };
}

}  // namespace gb::app
