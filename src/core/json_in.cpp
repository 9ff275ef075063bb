// The checked JSON accessor: type and range checks with messages naming the file and the key.
#include "core/json_in.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace gb {

namespace {
// How a value reads in a message: short, with its JSON type ("\"128\" (a string)").
std::string describe(const nlohmann::json& v) {
  std::string d = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (d.size() > 40) d = d.substr(0, 37) + "...";
  const char* t = v.is_string() ? "a string" : v.is_boolean() ? "true/false" : v.is_null() ? "null" : v.is_array() ? "a list"
                  : v.is_object() ? "an object" : v.is_number_float() ? "a number" : "a whole number";
  return d + " (" + t + ")";
}
std::string range(int64_t lo, int64_t hi) { return std::to_string(lo) + " to " + std::to_string(hi); }
std::string range(double lo, double hi) {
  char b[64];
  std::snprintf(b, sizeof b, "%g to %g", lo, hi);
  return b;
}
}  // namespace

JsonIn::JsonIn(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node, std::string file, std::string path)
    : root_(std::move(root)), node_(node), file_(std::move(file)), path_(std::move(path)) {}

JsonIn JsonIn::parse(std::string_view text, const std::string& file, const std::string& what) {
  auto root = std::make_shared<nlohmann::json>();
  try {
    *root = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    fail_file(file, (what.empty() ? "not valid JSON (" : what + " is not valid JSON (") + e.what() + ")");
  }
  if (!root->is_object()) fail_file(file, what.empty() ? "not a JSON object" : what + " is not a JSON object");
  const nlohmann::json* node = root.get();
  return JsonIn(std::move(root), node, file, what);
}

JsonIn JsonIn::wrap(nlohmann::json document, const std::string& file, const std::string& what) {
  auto root = std::make_shared<nlohmann::json>(std::move(document));
  const nlohmann::json* node = root.get();
  return JsonIn(std::move(root), node, file, what);
}

void JsonIn::fail_here(const std::string& problem) const { fail_file(file_, path_.empty() ? problem : path_ + " " + problem); }

bool JsonIn::has(const std::string& key) const {
  return node_->is_object() && node_->contains(key) && !(*node_)[key].is_null();
}

JsonIn JsonIn::member(const std::string& key) const {
  const std::string p = path_.empty() ? key : path_ + "." + key;
  if (!node_->is_object()) fail_here("is " + describe(*node_) + ", expected an object with `" + key + "`");
  auto it = node_->find(key);
  if (it == node_->end() || it->is_null()) fail_file(file_, p + " is missing");
  return JsonIn(root_, &*it, file_, p);
}

// [SECTION] this value
int64_t JsonIn::as_integer(int64_t lo, int64_t hi) const {
  const nlohmann::json& v = *node_;
  auto bad = [&] { fail_here("is " + describe(v) + ", expected a whole number from " + range(lo, hi)); };
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (hi < 0 || u > uint64_t(hi) || int64_t(u) < lo) bad();
    return int64_t(u);
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i < lo || i > hi) bad();
    return i;
  }
  if (v.is_number_float()) {  // 128.0 is a whole number; 1e23 and 0.5 are not in range / whole
    const double d = v.get<double>();
    // (2^63 is where int64_t ends: a double at or past it would overflow in the conversion)
    if (!std::isfinite(d) || d != std::floor(d) || d < double(lo) || d > double(hi) || std::fabs(d) >= 9223372036854775808.0) bad();
    return int64_t(d);
  }
  fail_here("is " + describe(v) + ", expected a whole number from " + range(lo, hi));
}

double JsonIn::as_number(double lo, double hi) const {
  const nlohmann::json& v = *node_;
  if (!v.is_number()) fail_here("is " + describe(v) + ", expected a number from " + range(lo, hi));
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < lo || d > hi) fail_here("is " + describe(v) + ", expected a number from " + range(lo, hi));
  return d;
}

std::string JsonIn::as_string() const {
  if (!node_->is_string()) fail_here("is " + describe(*node_) + ", expected a string");
  return node_->get<std::string>();
}

uint64_t JsonIn::as_u64_string(int base) const {
  const std::string s = as_string();
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, base);
  if (s.empty() || *end || errno == ERANGE || s[0] == '-' || s[0] == '+' || s[0] == ' ')
    fail_here("is " + describe(*node_) + ", expected a 64-bit " + (base == 16 ? "hexadecimal" : "decimal") + " number in a string");
  return uint64_t(v);
}

bool JsonIn::as_boolean() const {
  if (!node_->is_boolean()) fail_here("is " + describe(*node_) + ", expected true or false");
  return node_->get<bool>();
}

int64_t JsonIn::as_integer_clamped(int64_t lo, int64_t hi) const {
  const nlohmann::json& v = *node_;
  if (v.is_number_unsigned()) return v.get<uint64_t>() > uint64_t(hi) ? hi : std::max(lo, int64_t(v.get<uint64_t>()));
  if (v.is_number_integer()) return std::clamp(v.get<int64_t>(), lo, hi);
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d)) return d <= double(lo) ? lo : d >= double(hi) ? hi : int64_t(d);
  }
  fail_here("is " + describe(v) + ", expected a whole number");
}

bool JsonIn::is_null() const { return node_->is_null(); }
bool JsonIn::is_object() const { return node_->is_object(); }
bool JsonIn::is_array() const { return node_->is_array(); }
bool JsonIn::is_string() const { return node_->is_string(); }
bool JsonIn::is_integer() const {
  if (node_->is_number_integer()) return true;
  if (!node_->is_number_float()) return false;
  const double d = node_->get<double>();
  return std::isfinite(d) && d == std::floor(d);
}

std::vector<std::pair<std::string, JsonIn>> JsonIn::members() const {
  if (!node_->is_object()) fail_here("is " + describe(*node_) + ", expected an object");
  std::vector<std::pair<std::string, JsonIn>> out;
  out.reserve(node_->size());
  for (auto it = node_->begin(); it != node_->end(); ++it)
    out.emplace_back(it.key(), JsonIn(root_, &it.value(), file_, path_.empty() ? it.key() : path_ + "." + it.key()));
  return out;
}

std::vector<JsonIn> JsonIn::elements() const {
  if (!node_->is_array()) fail_here("is " + describe(*node_) + ", expected a list");
  std::vector<JsonIn> out;
  out.reserve(node_->size());
  for (size_t i = 0; i < node_->size(); ++i) out.push_back(at(i));
  return out;
}

size_t JsonIn::size() const { return node_->is_array() ? node_->size() : 0; }

JsonIn JsonIn::at(size_t i) const {
  if (!node_->is_array()) fail_here("is " + describe(*node_) + ", expected a list");
  if (i >= node_->size()) fail_here("has " + std::to_string(node_->size()) + " entries, expected at least " + std::to_string(i + 1));
  return JsonIn(root_, &(*node_)[i], file_, path_ + "[" + std::to_string(i) + "]");
}

// [SECTION] members
int64_t JsonIn::integer(const std::string& key, int64_t lo, int64_t hi) const { return member(key).as_integer(lo, hi); }
int64_t JsonIn::integer_or(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const {
  return has(key) ? integer(key, lo, hi) : fallback;
}
double JsonIn::number(const std::string& key, double lo, double hi) const { return member(key).as_number(lo, hi); }
double JsonIn::number_or(const std::string& key, double fallback, double lo, double hi) const {
  return has(key) ? number(key, lo, hi) : fallback;
}
std::string JsonIn::string(const std::string& key) const { return member(key).as_string(); }
std::string JsonIn::string_or(const std::string& key, const std::string& fallback) const {
  return has(key) ? string(key) : fallback;
}
bool JsonIn::boolean_or(const std::string& key, bool fallback) const {
  return has(key) ? member(key).as_boolean() : fallback;
}
uint64_t JsonIn::u64_string(const std::string& key, int base) const { return member(key).as_u64_string(base); }
JsonIn JsonIn::object(const std::string& key) const {
  JsonIn m = member(key);
  if (!m.raw().is_object()) m.fail_here("is " + describe(m.raw()) + ", expected an object");
  return m;
}
std::vector<JsonIn> JsonIn::array(const std::string& key) const { return member(key).elements(); }
JsonIn JsonIn::value(const std::string& key) const { return member(key); }

}  // namespace gb
