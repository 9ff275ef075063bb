// Placeholder so the models/diffusion library is not empty; remove when real sources land.
namespace gb { [[maybe_unused]] static int placeholder_diffusion = 0; }
