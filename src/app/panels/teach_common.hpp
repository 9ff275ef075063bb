// Helpers shared by the teach panels (teach_<panel>.cpp): finding the lab, and the note a panel shows
// while a fine-tuning or DPO run is going (the tuner is not read then).
#pragma once
#include "app/panels/panel.hpp"
#include "lab/teach_lab.hpp"

namespace gb::app {

// The session's teach lab; nullptr after a note if none.
TeachLab* teach_lab(PanelContext& ctx);
// True when the model is loaded and no job runs (the tuner may be read); else a note and a Load button.
bool teach_ready(PanelContext& ctx, const TeachLab& lab);

}  // namespace gb::app
