// DiffusionLab placeholder: panel list.
#include "lab/diffusion_lab.hpp"
namespace gb {
std::vector<PanelInfo> DiffusionLab::panels() const { return {{"diffusion.overview", "Diffusion: what is coming"}}; }
}  // namespace gb
