// Helpers shared by the transformer inspection panels (embeddings, attention, inside a block, logit
// lens, beam search): finding the lab, the "nothing to show yet" notes, token labels, colours.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/panel.hpp"
#include "core/colormap.hpp"
#include "lab/transformer_lab.hpp"

namespace gb::app {

// The session's transformer lab (nullptr if the session has none).
TransformerLab* transformer_lab(PanelContext& ctx);

// Draws why there is nothing to show (no lab, no model, empty sequence) and returns false; returns
// true without drawing anything when `lab` has a model and a non-empty trace.
bool transformer_ready(TransformerLab* lab, const Trace* trace);

// Display strings of the tokens the model sees (the trace's window), visible whitespace (␣ ↵),
// bytes that are not whole characters as <E6 97>.
std::vector<std::string> window_labels(const TransformerLab& lab, const Trace& trace);

// A vocabulary token for display ("␣cat"; `<E6 97>` for partial characters; "?" for a bad id; a lone
// punctuation token as ‹.›, see visible_punctuation).
std::string vocab_label(const TransformerLab& lab, int32_t id);

// The same without the ‹ › around punctuation, for tokens joined into running text ("␣kitten.␣She").
std::string vocab_text(const TransformerLab& lab, int32_t id);

// The colour map as an ImGui colour at t in [0, 1].
ImU32 colormap_u32(Colormap map, float t, float alpha = 1.0f);
// Black or white, whichever reads better on `bg`.
ImU32 text_colour_on(ImU32 bg);

// A heading line in the accent colour.
void accent_text(const char* text);
// Dimmed wrapped text (explanations for students).
void note(const char* fmt, ...) IM_FMTARGS(1);
// printf into a std::string (for translated formats: strf(tr("layer %d"), l)); at most 2047 bytes.
std::string strf(const char* fmt, ...) IM_FMTARGS(1);
// The legend line (in the current language) that explains the marks in token labels (␣ space, ↵ new line, ‹.›
// punctuation). Here, not in transformer_format, which stays free of the translation catalogue (its tests link it alone).
const char* token_marks_legend();
// "(?)" that shows `text` wrapped in a tooltip when hovered.
void help_marker(const char* text);

// Draws `text` centred in the box [p0, p1] if it fits (else nothing); returns whether it was drawn.
bool centred_text(ImDrawList* dl, ImVec2 p0, ImVec2 p1, ImU32 col, const std::string& text);

}  // namespace gb::app
