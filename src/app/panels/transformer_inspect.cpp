// Helpers shared by the transformer inspection panels.
#include "core/i18n.hpp"
#include "app/panels/transformer_inspect.hpp"

#include <cstdarg>
#include <cstdio>

#include "app/panels/transformer_format.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/utf8.hpp"

namespace gb::app {

TransformerLab* transformer_lab(PanelContext& ctx) {
  for (Lab* l : ctx.session.labs())
    if (auto* t = dynamic_cast<TransformerLab*>(l)) return t;
  return nullptr;
}

bool transformer_ready(TransformerLab* lab, const Trace* trace) {
  if (!lab) {
    note(tr("This session has no transformer lab."));
    return false;
  }
  const TransformerModelInfo& info = lab->model_info();
  if (!info.loaded) {
    accent_text(tr("No model is loaded."));
    note("%s", info.message.empty() ? tr("Load one from the Model menu or with the command `load shipped`.") : info.message.c_str());
    return false;
  }
  if (!trace || trace->ids.empty() || trace->layers.empty()) {
    accent_text(tr("Nothing to look at yet."));
    note(tr("Type a prompt (command: prompt \"Once upon a time\") and the model's insides appear here."));
    return false;
  }
  return true;
}

std::vector<std::string> window_labels(const TransformerLab& lab, const Trace& trace) {
  std::vector<std::string> out;
  out.reserve(trace.ids.size());
  for (int32_t id : trace.ids) out.push_back(vocab_label(lab, id));
  return out;
}

std::string vocab_label(const TransformerLab& lab, int32_t id) {
  const Tokenizer& tok = lab.tokenizer();
  if (id < 0 || id >= tok.vocab_size()) return "?";
  std::string label = visible_punctuation(token_display_visible(tok.token_bytes(id)));
  ui::want_glyphs(label);  // a CJK token gets its characters from the fallback font
  return label;
}

std::string vocab_text(const TransformerLab& lab, int32_t id) {
  const Tokenizer& tok = lab.tokenizer();
  if (id < 0 || id >= tok.vocab_size()) return "?";
  std::string text = token_display_visible(tok.token_bytes(id));
  ui::want_glyphs(text);
  return text;
}

ImU32 colormap_u32(Colormap map, float t, float alpha) {
  Rgb c = colormap(map, t);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], alpha));
}

ImU32 text_colour_on(ImU32 bg) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(bg);
  float lum = 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z;
  return lum > 0.5f ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

void accent_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ui::text_wrapped(text);  // breaks at spaces only, never inside a number
  ImGui::PopStyleColor();
}

void note(const char* fmt, ...) {
  char buf[2048];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ui::text_wrapped(buf);
  ImGui::PopStyleColor();
}

std::string strf(const char* fmt, ...) {
  char buf[2048];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

const char* token_marks_legend() {
  return tr("Marks in tokens: ␣ a space, ↵ a new line, ‹.› punctuation (‹ › are not part of the token; they keep a lone . or , visible).");
}

void help_marker(const char* text) {
  ImGui::TextDisabled("(?)");  // i18n: keep
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

bool centred_text(ImDrawList* dl, ImVec2 p0, ImVec2 p1, ImU32 col, const std::string& text) {
  ImVec2 sz = ImGui::CalcTextSize(text.c_str());
  if (sz.x > p1.x - p0.x || sz.y > p1.y - p0.y + 1) return false;
  dl->AddText(ImVec2((p0.x + p1.x - sz.x) / 2, (p0.y + p1.y - sz.y) / 2), col, text.c_str());
  return true;
}

}  // namespace gb::app
