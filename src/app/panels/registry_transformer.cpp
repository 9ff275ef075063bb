// Transformer workspace panels: one line per panel (draw functions in transformer_<panel>.cpp).
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_transformer_embeddings(PanelContext& ctx);
void draw_transformer_attention(PanelContext& ctx);
void draw_transformer_block(PanelContext& ctx);
void draw_transformer_logit_lens(PanelContext& ctx);
void draw_transformer_beam(PanelContext& ctx);
void draw_transformer_generate(PanelContext& ctx);
void draw_transformer_tokens(PanelContext& ctx);
void draw_transformer_probabilities(PanelContext& ctx);
void draw_transformer_training(PanelContext& ctx);

std::vector<PanelDef> transformer_panel_defs() {
  return {
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
}

}  // namespace gb::app
