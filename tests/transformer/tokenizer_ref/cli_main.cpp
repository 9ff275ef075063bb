// Test driver: the glassbox command line without the app window (`gb_cli_headless tokenize …`).
#include "cli/cli.hpp"

int main(int argc, char** argv) { return gb::cli::main(argc, argv, {}); }
