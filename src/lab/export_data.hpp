// Data a student can take away from a panel: the numbers it shows as a table (probabilities with their tokens, an
// attention matrix with token labels, loss curves, the VAE latent map, GAN points, the diffusion schedule), written as
// CSV (a header row, then one row per item) or as self-describing JSON. Pure functions of the labs: no ImGui, so the
// CLI and the tests build the same tables the app's right-click menu saves (src/app/export_menu.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gb {

class Session;

// One cell: a whole number, a real number (NaN/inf are written as an empty CSV cell and JSON null) or text.
using ExportCell = std::variant<int64_t, double, std::string>;

struct ExportTable {
  std::string panel;                                        // "transformer.attention"
  std::string what;                                         // "attention weights of layer 1 head 2"
  std::vector<std::pair<std::string, ExportCell>> meta;     // settings the numbers depend on (temperature, layer …)
  std::vector<std::string> columns;                         // header row
  std::vector<std::string> column_help;                     // one line per column (JSON only; may be empty)
  std::vector<std::vector<ExportCell>> rows;                // each as long as `columns`
};

// True when `panel` has numbers to export (the right-click menu offers CSV/JSON only then).
bool export_has_data(const std::string& panel);
// Every panel id export_has_data accepts (for messages and help).
std::vector<std::string> export_data_panels();

// The table of what `panel` shows now. Throws gb::Error naming the panel and the reason when there is nothing to
// export yet ("gan.training: no training has run yet (gan train start)") or the panel has no data.
ExportTable export_table(Session& session, const std::string& panel);

// RFC 4180 CSV: a header row, then the rows; fields with a comma, quote or line break are quoted ("" inside).
std::string export_csv(const ExportTable& t);
// {"glassbox_export": 1, "panel", "what", "meta": {...}, "columns": [{"name", "help"}], "rows": [[...]]}.
std::string export_json(const ExportTable& t);

// The token's bytes as text for a file: valid UTF-8 as it is, other bytes as `<E6 97>` (the project's notation).
std::string export_token_text(const std::string& bytes);

}  // namespace gb
