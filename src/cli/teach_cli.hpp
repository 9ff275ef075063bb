// CLI helpers of issue 18 shared between subcommands (`generate --facts`).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "models/transformer/retrieval.hpp"

namespace gb::cli {

// How many facts retrieval puts in front of a prompt at most, and the score a fact needs.
inline constexpr int kRetrieveTop = 2;
inline constexpr double kRetrieveMinScore = 0.2;

// `prompt` with the best facts of `book` in front (with_facts); when `report` is given it gets
// {"context": …, "facts": [{"text", "score", "matched", "used"}, …]} with every fact, best first.
std::string retrieve_into_prompt(const FactBook& book, const std::string& prompt, nlohmann::ordered_json* report);

}  // namespace gb::cli
