// Panel teach.forgetting: while the model fine-tunes on a new style, the loss on that style falls and the loss
// on the original stories rises — forgetting made visible. Both are measured every few steps on fixed windows
// (the same ones each time), on one plot with labelled axes and exact values on hover.
#include <algorithm>
#include <cmath>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"

namespace gb::app {

void draw_teach_forgetting(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  ui::text_wrapped(
      tr("Learning something new can push out what a model knew (catastrophic forgetting). Both lines are the loss (average surprise per token, in nats: lower = the model expects this text): one line on the new style, one on the original stories the model was trained on."));
  const TeachProgress p = lab->progress();
  if (p.forgetting.empty()) {
    if (!lab->loaded()) teach_ready(ctx, *lab);
    else note(tr("Run fine-tuning (teach.finetune, or `teach finetune`) to see both losses move; a point every 5 steps."));
    return;
  }
  std::vector<float> x, style, stories;
  for (const TeachForgetPoint& f : p.forgetting) {
    x.push_back(float(f.step));
    style.push_back(f.style);
    stories.push_back(f.stories);
  }
  float lo = 0, hi = 0;
  for (size_t i = 0; i < x.size(); ++i) hi = std::max({hi, style[i], stories[i]});
  ui::PlotOptions o;
  o.x_label = tr("fine-tuning steps from the base");
  o.y_label = tr("loss (nats per token)");
  o.y_min = lo;
  o.y_max = hi * 1.08f + 0.05f;
  o.x_min = x.front();
  o.x_max = std::max(x.back(), x.front() + 1);
  o.y_format = "%.2f";
  o.size = ImVec2(0, std::max(10 * ImGui::GetFontSize(), ImGui::GetContentRegionAvail().y - 4.5f * ImGui::GetFontSize()));
  ui::LineSeries s_new{strf(tr("new style (%s)"), lab->corpus_name().c_str()), style.data(), int(style.size()), x.data(), ui::series_colour(0)};
  ui::LineSeries s_old{tr("original stories"), stories.data(), int(stories.size()), x.data(), ui::series_colour(1)};
  ui::LineSeries both[2] = {s_new, s_old};
  ui::PlotHover h = ui::line_plot("##forgetting", both, 2, o);
  if (h.hovered && h.index >= 0 && size_t(h.index) < x.size()) {
    const size_t i = size_t(h.index);
    ImGui::SetTooltip(tr("after %d steps\nnew style: loss %.3f (the true next token gets p ≈ e^-%.3f = %.3f on average)\noriginal stories: loss %.3f (p ≈ e^-%.3f = %.3f)"),
                      int(x[i]), double(style[i]), double(style[i]), std::exp(-double(style[i])), double(stories[i]), double(stories[i]),
                      std::exp(-double(stories[i])));
  }
  const TeachForgetPoint& a = p.forgetting.front();
  const TeachForgetPoint& b = p.forgetting.back();
  ui::text_wrappedf(tr("Steps %lld → %lld: new style %.2f → %.2f, original stories %.2f → %.2f. Loss = −average of log p(true next token); e^-loss is the typical probability of the right token (stories: %.3f → %.3f)."),
                    (long long)a.step, (long long)b.step, double(a.style), double(b.style), double(a.stories), double(b.stories),
                    std::exp(-double(a.stories)), std::exp(-double(b.stories)));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("measured on the same 8 windows of 64 tokens each time: the style corpus, and held-out generated stories\n(fresh seeds, the same kind the model was trained on)"));
}
GB_PANEL("teach.forgetting", draw_teach_forgetting);

}  // namespace gb::app
