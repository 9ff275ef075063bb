// Reading JSON that came from outside (config.json, checkpoint metadata, training states): the one
// checked accessor. Every read checks the type and the range, and every error names the file and
// the key ("/tmp/m.safetensors: glassbox.config.n_embd is "128" (a string), expected a whole number
// from 1 to 16384"). No json::get<> on untrusted input outside this file.
//
// Usage:
//   gb::JsonIn j = gb::JsonIn::parse(text, path, "glassbox.config");   // throws gb::Error if not JSON
//   int layers = j.int32("n_layer", 1, 256);                            // required
//   double eps = j.number_or("ln_eps", 1e-5, 1e-12, 0.5);               // optional with a default
//   for (const gb::JsonIn& p : j.array("history")) p.at(0).integer(0, INT64_MAX);
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace gb {

class JsonIn {
 public:
  // Parses `text` (the contents of `file`, or of its metadata entry `what`; "" when the text is the
  // whole file, then keys read "FILE: n_embd …"); the top level must be an object. Throws gb::Error
  // "FILE: WHAT is not valid JSON (…)" / "… is not a JSON object".
  static JsonIn parse(std::string_view text, const std::string& file, const std::string& what);
  // Wraps a document parsed elsewhere (the safetensors header, parsed with a duplicate-key check).
  // Any type at the top level.
  static JsonIn wrap(nlohmann::json document, const std::string& file, const std::string& what);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }  // "glassbox.config.n_embd", "history[3]"
  const nlohmann::json& raw() const { return *node_; }

  // [SECTION] object members
  bool has(const std::string& key) const;  // present and not null
  int64_t integer(const std::string& key, int64_t lo, int64_t hi) const;
  int64_t integer_or(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const;
  int int32(const std::string& key, int lo, int hi) const { return int(integer(key, lo, hi)); }
  int int32_or(const std::string& key, int fallback, int lo, int hi) const { return int(integer_or(key, fallback, lo, hi)); }
  double number(const std::string& key, double lo, double hi) const;  // finite, lo ≤ x ≤ hi
  double number_or(const std::string& key, double fallback, double lo, double hi) const;
  std::string string(const std::string& key) const;
  std::string string_or(const std::string& key, const std::string& fallback) const;
  bool boolean_or(const std::string& key, bool fallback) const;
  // A 64-bit unsigned number written as a string (seeds, RNG words): decimal, or hex with base 16.
  uint64_t u64_string(const std::string& key, int base = 10) const;
  JsonIn object(const std::string& key) const;
  std::vector<JsonIn> array(const std::string& key) const;  // the members of an array
  JsonIn value(const std::string& key) const;               // any type; throws "… is missing" when absent

  // [SECTION] what this value is (for formats where a field may take several shapes)
  bool is_null() const;
  bool is_object() const;
  bool is_array() const;
  bool is_string() const;
  bool is_integer() const;  // a whole number (128 or 128.0)

  // [SECTION] this value itself (for array elements)
  size_t size() const;              // elements of an array (0 for other types)
  JsonIn at(size_t i) const;        // element i of an array; throws when missing
  int64_t as_integer(int64_t lo, int64_t hi) const;
  double as_number(double lo, double hi) const;
  std::string as_string() const;
  uint64_t as_u64_string(int base = 10) const;
  bool as_boolean() const;
  // A whole number of any size, clamped to [lo, hi] (forgiving readers: 2^32 + 3 becomes hi, not 3).
  int64_t as_integer_clamped(int64_t lo, int64_t hi) const;
  // The members of an object in key order, each with its path ("lessons.04-attention").
  std::vector<std::pair<std::string, JsonIn>> members() const;
  std::vector<JsonIn> elements() const;  // the entries of a list

  [[noreturn]] void fail_here(const std::string& problem) const;  // "FILE: PATH problem"

 private:
  JsonIn(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string file, std::string path);
  JsonIn member(const std::string& key) const;  // throws "… lacks KEY" when absent
  std::shared_ptr<const nlohmann::json> root_;
  const nlohmann::json* node_ = nullptr;
  std::string file_, path_;
};

}  // namespace gb
