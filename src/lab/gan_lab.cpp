// GanLab placeholder: panel list.
#include "lab/gan_lab.hpp"
namespace gb {
std::vector<PanelInfo> GanLab::panels() const { return {{"gan.overview", "GAN: what is coming"}}; }
}  // namespace gb
