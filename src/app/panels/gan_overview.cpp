// Placeholder for the GAN workspace: says what the GAN lab will show.
#include "app/panels/placeholder_text.hpp"
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_gan_overview(PanelContext& ctx) {
  draw_placeholder(ctx, "Two networks in a contest: a forger and a detective.",
                   "A generative adversarial network will train here, live: the generator learns to make "
                   "samples, the discriminator learns to tell them from real ones, on 2D toy data and on "
                   "Fashion-MNIST images.",
                   {"The discriminator's opinion over the whole plane, with real and generated points on top.",
                    "The generator's mapping: how it bends a grid of random inputs into the data's shape.",
                    "Both losses side by side, and what mode collapse looks like when it happens.",
                    "A grid of generated clothing images that sharpens as training runs."});
}

}  // namespace gb::app
