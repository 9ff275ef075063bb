// Placeholder so the lessons library is not empty; remove when real sources land.
namespace gb { [[maybe_unused]] static int placeholder_lessons = 0; }
