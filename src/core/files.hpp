// Whole-file reads and atomic writes (temp file + fsync + rename: a crash never leaves half a file).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gb {

// Reads a whole file; throws gb::Error naming the path when it cannot.
std::string read_file(const std::string& path);

// Writes `data` to `path` atomically: the old file stays intact until the new one is complete.
// Creates missing parent directories. Throws gb::Error naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view data);

// The user's config directory for Glassbox ($XDG_CONFIG_HOME/glassbox or ~/.config/glassbox).
std::string config_dir();

// The folder with shipped assets (models, fonts, gpt2 tokenizer files): $GLASSBOX_ASSETS,
// else <source>/assets, else ./assets.
std::string assets_dir();

bool file_exists(const std::string& path);

}  // namespace gb
