// Helpers shared by the teach panels (teach_<panel>.cpp): finding the lab, and the note a panel shows
// while a fine-tuning or DPO run is going (the tuner is not read then).
#pragma once
#include <string>

#include "app/panels/panel.hpp"
#include "lab/teach_lab.hpp"

namespace gb::app {

// The session's teach lab (the shipped model loaded on the first look); nullptr after a note if none.
TeachLab* teach_lab(PanelContext& ctx);
// A token as the panels show it: a leading space as â£, lone punctuation as â¹.âº.
std::string teach_token_label(const std::string& text);
// "1.03 M", "32.8 k", "512": a count of numbers in a student's units.
std::string teach_count(double n);
// The prompt of the probes, samples and retrieval as an editable line (label, input, Use button); Enter or Use runs
// `teach prompt "…"`. `edit` is the panel's own state: it follows the lab's prompt whenever that changes.
struct TeachPromptEdit {
  char text[256] = "";
  std::string seen;  // the lab's prompt when `text` was last filled from it
};
void teach_prompt_input(PanelContext& ctx, const TeachLab& lab, TeachPromptEdit& edit, const char* label, const char* tip, float width);
// True when the model is loaded and no job runs (the tuner may be read); else a note and a Load button.
bool teach_ready(PanelContext& ctx, const TeachLab& lab);

}  // namespace gb::app
