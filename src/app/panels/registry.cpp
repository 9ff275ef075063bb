// The panel registry table: one line per panel.
#include "app/panels/registry.hpp"

#include <vector>

namespace gb::app {

static const std::vector<PanelDef>& table() {
  static const std::vector<PanelDef> t = {
      {"transformer.overview", draw_transformer_overview},
      {"diffusion.overview", draw_diffusion_overview},
      {"gan.overview", draw_gan_overview},
      {"lessons", draw_lessons},
      {"transformer.embeddings", draw_transformer_embeddings},
      {"transformer.attention", draw_transformer_attention},
      {"transformer.block", draw_transformer_block},
      {"transformer.logit-lens", draw_transformer_logit_lens},
      {"transformer.beam", draw_transformer_beam},
      {"transformer.generate", draw_transformer_generate},
      {"transformer.tokens", draw_transformer_tokens},
      {"transformer.probabilities", draw_transformer_probabilities},
      {"transformer.training", draw_transformer_training},
  };
  return t;
}

const PanelDef* find_panel(const std::string& id) {
  for (auto& p : table())
    if (id == p.id) return &p;
  return nullptr;
}

}  // namespace gb::app
