// Tokenization panel: the prompt as token chips, its bytes, a step-through of the BPE merges from raw
// bytes to final tokens, and (when GPT-2's files are present) GPT-2's tokenization side by side.
#include <algorithm>
#include <cstdio>
#include <memory>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_format.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/utf8.hpp"

namespace gb::app {

namespace {

constexpr size_t kMaxTraceBytes = 4000;  // the merge step-through is for display-sized texts

struct TokensView {
  int merge_step = -1;  // −1: the final tokens
  // Cached merge history of (tokenizer, text): recomputed when either changes.
  const Tokenizer* traced_tok = nullptr;
  std::string traced_text;
  std::unique_ptr<BpeTrace> trace;
  const Tokenizer* gpt2_tok = nullptr;
  std::string gpt2_text;
  std::vector<int> gpt2_ids;
};
TokensView g_view;

std::string hex_bytes(const std::string& b) {
  std::string s;
  char buf[4];
  for (unsigned char c : b) {
    std::snprintf(buf, sizeof buf, "%02X", c);
    if (!s.empty()) s += ' ';
    s += buf;
  }
  return s;
}

std::string chip_text(const Tokenizer& tok, int id) {
  if (id < 0 || id >= tok.vocab_size()) return "?";
  return tok.is_special(id) ? tok.token_bytes(id) : visible_punctuation(token_display_visible(tok.token_bytes(id)));
}

// Chips for ids with alternating colours; tooltip with id and bytes on hover.
void token_chips(const char* id, const Tokenizer& tok, const std::vector<int>& ids, ImFont* mono, int highlight_id = -1) {
  std::vector<Chip> chips(ids.size());
  ImU32 a = IM_COL32(60, 110, 170, 255), b = IM_COL32(150, 95, 40, 255);
  for (size_t i = 0; i < ids.size(); ++i) {
    chips[i].text = chip_text(tok, ids[i]);
    chips[i].bg = i % 2 ? b : a;
    chips[i].outline = ids[i] == highlight_id;
  }
  ChipHover h = chip_flow(id, chips, mono);
  if (h.hovered >= 0) {
    int t = ids[size_t(h.hovered)];
    ImGui::BeginTooltip();
    ImGui::Text(tr("token %d of %zu: `%s`"), h.hovered + 1, ids.size(), chips[size_t(h.hovered)].text.c_str());
    ImGui::Text(tr("id %d"), t);
    if (t >= 0 && t < tok.vocab_size()) {
      ImGui::Text(tr("bytes: %s (%zu)"), hex_bytes(tok.token_bytes(t)).c_str(), tok.token_bytes(t).size());
      if (tok.is_special(t)) ImGui::TextUnformatted(tr("a special token (whole, never split)"));
    }
    ImGui::EndTooltip();
  }
}

}  // namespace

void draw_transformer_tokens(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  if (!lab) return;
  if (!lab->has_model()) {
    accent_text(tr("No model loaded."));
    note("%s", lab->model_info().message.c_str());
    return;
  }
  const Tokenizer& tok = lab->tokenizer();
  const std::string& text = lab->prompt();
  std::vector<int> ids = tok.encode(text);
  note(tr("A model never sees letters: the text is cut into tokens from a fixed vocabulary of %d pieces, each with an id. Spaces are shown as ␣ and new lines as ↵; a token that is only punctuation as ‹.› (the brackets are not part of it: they keep a lone . or , visible)."),
       tok.vocab_size());
  note(tr("The model learnt from English text: its tokens stay English whatever the language of the app."));

  // [SECTION] the prompt as tokens
  ImGui::TextWrapped(tr("This model's tokenizer: %zu bytes → %zu tokens"), text.size(), ids.size());
  if (text.empty()) note(tr("The prompt is empty (the model then starts from <|endoftext|>)."));
  token_chips("mine", tok, ids, ctx.mono_font);

  // [SECTION] GPT-2 side by side
  if (const Tokenizer* g2 = lab->gpt2_tokenizer()) {
    if (g_view.gpt2_tok != g2 || g_view.gpt2_text != text) {
      g_view.gpt2_tok = g2;
      g_view.gpt2_text = text;
      g_view.gpt2_ids = g2->encode(text);
    }
    ImGui::Spacing();
    ImGui::TextWrapped(tr("GPT-2's tokenizer (50,257 tokens): %zu tokens for the same text"), g_view.gpt2_ids.size());
    token_chips("gpt2", *g2, g_view.gpt2_ids, ctx.mono_font);
  } else {
    note(tr("GPT-2's tokenizer files (assets/gpt2) are not here, so the comparison with GPT-2 is hidden."));
  }

  // [SECTION] bytes
  if (ImGui::CollapsingHeader(tr("Bytes: what the text really is"))) {
    note(tr("Every character is one to four bytes (UTF-8). Each token below is shown with its bytes in hexadecimal."));
    if (ImGui::BeginTable("bytes", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                          ImVec2(0, 12 * ImGui::GetFontSize()))) {
      ImGui::TableSetupColumn(tr("token"));
      ImGui::TableSetupColumn(tr("id"));
      ImGui::TableSetupColumn(tr("bytes (hex)"));
      ImGui::TableHeadersRow();
      ImGuiListClipper clip;
      clip.Begin(int(ids.size()));
      while (clip.Step())
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(chip_text(tok, ids[size_t(i)]).c_str());
          ImGui::TableNextColumn();
          ImGui::Text("%d", ids[size_t(i)]);
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(hex_bytes(tok.token_bytes(ids[size_t(i)])).c_str());
        }
      ImGui::EndTable();
    }
  }

  // [SECTION] BPE merges step by step
  if (ImGui::CollapsingHeader(tr("How the tokens were made: byte-pair merges, step by step"), ImGuiTreeNodeFlags_DefaultOpen)) {
    if (text.size() > kMaxTraceBytes) {
      note(tr("The prompt is longer than %zu bytes; the step-through is shown for short prompts only."), kMaxTraceBytes);
      return;
    }
    if (!g_view.trace || g_view.traced_tok != &tok || g_view.traced_text != text) {
      g_view.trace = std::make_unique<BpeTrace>(tok.encode_with_steps(text));
      g_view.traced_tok = &tok;
      g_view.traced_text = text;
      g_view.merge_step = -1;
    }
    const BpeTrace& trc = *g_view.trace;
    const int n = int(trc.steps.size());
    int step = g_view.merge_step < 0 ? n : std::min(g_view.merge_step, n);
    note(tr("Start from single bytes; then, again and again, glue together the pair the tokenizer learnt first (lowest rank), everywhere it occurs. Pieces never merge across word boundaries."));
    if (ImGui::Button(tr("Bytes"))) step = 0;
    ImGui::SameLine();
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left) && step > 0) --step;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(6 * ImGui::GetFontSize(), ImGui::GetContentRegionAvail().x - 9 * ImGui::GetFontSize()));
    ImGui::SliderInt("##step", &step, 0, n, tr("merge %d"));
    ImGui::SameLine();
    if (ImGui::ArrowButton("##next", ImGuiDir_Right) && step < n) ++step;
    ImGui::SameLine();
    if (ImGui::Button(tr("Final"))) step = n;
    g_view.merge_step = step >= n ? -1 : step;
    const std::vector<int>& cur = step == 0 ? trc.initial : trc.steps[size_t(step - 1)].ids;
    if (step == 0) {
      ui::text_wrappedf(tr("Raw bytes: %zu tokens (%d merges to go)"), cur.size(), n);
    } else {
      const BpeMergeStep& m = trc.steps[size_t(step - 1)];
      ui::text_wrappedf(m.count == 1 ? tr("Merge %d of %d: `%s` + `%s` → `%s`  (rank %d, %d place) — %zu tokens")
                                     : tr("Merge %d of %d: `%s` + `%s` → `%s`  (rank %d, %d places) — %zu tokens"),
                        step, n, chip_text(tok, m.left).c_str(), chip_text(tok, m.right).c_str(), chip_text(tok, m.merged).c_str(),
                        m.rank, m.count, cur.size());
    }
    token_chips("merge", tok, cur, ctx.mono_font, step > 0 ? trc.steps[size_t(step - 1)].merged : -1);
  }
}

GB_PANEL("transformer.tokens", draw_transformer_tokens);

}  // namespace gb::app
