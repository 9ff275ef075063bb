// Test driver: the glassbox command line without the app window (`gb_lessons_cli lessons check …`).
#include "cli/cli.hpp"

int main(int argc, char** argv) { return gb::cli::main(argc, argv, {}); }
