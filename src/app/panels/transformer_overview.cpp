// Placeholder for the transformer workspace: says what the transformer lab will show.
#include "app/panels/placeholder_text.hpp"
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_transformer_overview(PanelContext& ctx) {
  draw_placeholder(ctx, "A small GPT that writes short stories, opened up.",
                   "A GPT-style transformer, trained on simple stories, will run inside the app. You type the "
                   "start of a story and watch, one token at a time, how it decides what comes next.",
                   {"Tokens: how your text is cut into the pieces the model reads.",
                    "Attention: for every layer and head, which earlier tokens each token looks at.",
                    "Inside a layer: the MLP activations and the residual stream, and what the model would "
                    "predict if it stopped at each layer.",
                    "Next token: the probabilities before and after temperature, top-k and top-p, and the "
                    "random draw that picks the word.",
                    "Training: the loss curve, with train, pause and step buttons; every step can be undone."});
}

}  // namespace gb::app
