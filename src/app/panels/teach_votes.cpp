// Panel teach.votes (placeholder: the panel is being written; the id and its place in the workspace are fixed).
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_inspect.hpp"

namespace gb::app {

void draw_teach_votes(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  note("This panel is not drawn yet; its commands already work (Help \xe2\x86\x92 Commands).");
}
GB_PANEL("teach.votes", draw_teach_votes);

}  // namespace gb::app
