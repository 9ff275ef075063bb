// Placeholder so the models/transformer library is not empty; remove when real sources land.
namespace gb { [[maybe_unused]] static int placeholder_transformer = 0; }
