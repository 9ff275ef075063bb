// Placeholder for the diffusion workspace: says what the diffusion lab will show.
#include "app/panels/placeholder_text.hpp"
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_diffusion_overview(PanelContext& ctx) {
  draw_placeholder(ctx, "A diffusion model that turns noise into pictures, step by step.",
                   "A small denoising diffusion model will run here, on 2D point clouds and on Fashion-MNIST "
                   "clothing images. You can walk forwards (adding noise) and backwards (removing it) one step "
                   "at a time.",
                   {"Forward process: a clean sample x_0 drowning in noise as t grows, and the noise schedule.",
                    "Reverse process: each sampling step, with the noise the network predicts and the clean "
                    "picture x_0 it guesses at that moment.",
                    "2D view: every point of a cloud flowing from a Gaussian blob onto the data shape.",
                    "Training: the loss over time, train and pause, and samples from the current weights."});
}

}  // namespace gb::app
