// TransformerLab placeholder: panel list.
#include "lab/transformer_lab.hpp"
namespace gb {
std::vector<PanelInfo> TransformerLab::panels() const { return {{"transformer.overview", "Transformer: what is coming"}}; }
}  // namespace gb
