// Placeholder so the models/gan library is not empty; remove when real sources land.
namespace gb { [[maybe_unused]] static int placeholder_gan = 0; }
