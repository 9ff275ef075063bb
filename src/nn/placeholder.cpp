// Placeholder so the nn library is not empty; remove when real sources land.
namespace gb { [[maybe_unused]] static int placeholder_nn = 0; }
