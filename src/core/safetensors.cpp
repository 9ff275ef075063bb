// safetensors reader (validating every field before trusting it) and writer.
#include "core/safetensors.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/half.hpp"

namespace gb {

// [SECTION] dtypes
namespace {
struct DTypeInfo {
  DType d;
  const char* name;
  size_t size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "F32", 4},   {DType::F16, "F16", 2},         {DType::BF16, "BF16", 2},
    {DType::F64, "F64", 8},   {DType::I64, "I64", 8},         {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},           {DType::U64, "U64", 8},
    {DType::U32, "U32", 4},   {DType::U16, "U16", 2},         {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};
const DTypeInfo& info(DType d) {
  for (auto& i : kDTypes)
    if (i.d == d) return i;
  return kDTypes[0];
}

std::string shape_str(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

// Product of the dims, or -1 when it would overflow 2^62 (no real tensor is that big).
int64_t checked_numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d != 0 && n > (int64_t(1) << 62) / d) return -1;
    n *= d;
  }
  return n;
}
}  // namespace

const char* dtype_name(DType d) { return info(d).name; }
size_t dtype_size(DType d) { return info(d).size; }
bool dtype_from_name(std::string_view name, DType& out) {
  for (auto& i : kDTypes)
    if (name == i.name) {
      out = i.d;
      return true;
    }
  return false;
}

// [SECTION] SafeTensor
int64_t SafeTensor::numel() const { return checked_numel(shape); }

static void convert_to_float(const SafeTensor& t, float* out) {
  const uint8_t* bytes = t.bytes;
  const DType dtype = t.dtype;
  const std::string& file = t.file;
  const std::string& name = t.name;
  const size_t n = size_t(t.numel());
  if (n == 0) return;  // a tensor with a zero dimension: nothing to copy (and out may be null)
  switch (dtype) {
    case DType::F32:
      std::memcpy(out, bytes, n * 4);
      return;
    case DType::F16:
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, bytes + 2 * i, 2);
        out[i] = half_to_float(h);
      }
      return;
    case DType::BF16:
      for (size_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, bytes + 2 * i, 2);
        out[i] = bf16_to_float(h);
      }
      return;
    case DType::F64:
      for (size_t i = 0; i < n; ++i) {
        double v;
        std::memcpy(&v, bytes + 8 * i, 8);
        out[i] = float(v);
      }
      return;
    default:
      fail_file(file, "tensor `" + name + "` has dtype " + dtype_name(dtype) + ", expected a float type (F32, F16, BF16)");
  }
}

namespace {
// Throws gb::Error naming the file and the tensor when one of its n values is not finite.
void check_finite(const SafeTensor& t, const float* v) {
  const std::string& file = t.file;
  const std::string& name = t.name;
  const size_t n = size_t(t.numel());
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(v[i])) {
      size_t bad = 0;
      for (size_t k = i; k < n; ++k) bad += !std::isfinite(v[k]);
      fail_file(file, "tensor `" + name + "` holds " + (std::isnan(v[i]) ? "NaN" : v[i] > 0 ? "+Inf" : "-Inf") +
                          " at element " + std::to_string(i) + " (" + std::to_string(bad) + " of its " + std::to_string(n) +
                          " values are not finite numbers): the weights are damaged, Glassbox does not load them");
    }
}
}  // namespace

void SafeTensor::to_float(float* out) const {
  convert_to_float(*this, out);
  check_finite(*this, out);
}

std::vector<float> SafeTensor::to_float() const {
  std::vector<float> v(static_cast<size_t>(numel()));
  to_float(v.data());
  return v;
}

// [SECTION] SafeTensors
const SafeTensor* SafeTensors::find(const std::string& name) const {
  for (auto& t : tensors_)
    if (t.name == name) return &t;
  return nullptr;
}

const SafeTensor& SafeTensors::get(const std::string& name) const {
  if (auto* t = find(name)) return *t;
  fail_file(file, "missing tensor `" + name + "`");
}

std::vector<float> SafeTensors::get_float(const std::string& name, const std::vector<int64_t>& shape) const {
  const SafeTensor& t = get(name);
  if (t.shape != shape)
    fail_file(file, "tensor `" + name + "` has shape " + shape_str(t.shape) + ", expected " + shape_str(shape));
  return t.to_float();
}

void SafeTensors::add_raw(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* bytes,
                          size_t nbytes) {
  int64_t n = checked_numel(shape);
  if (n < 0 || size_t(n) * dtype_size(dtype) != nbytes)
    fail("safetensors: tensor `" + name + "` of shape " + shape_str(shape) + " does not match " +
         std::to_string(nbytes) + " bytes");
  auto buf = std::make_shared<std::vector<uint8_t>>(nbytes);
  if (nbytes) std::memcpy(buf->data(), bytes, nbytes);
  SafeTensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = shape;
  t.bytes = buf->data();
  t.nbytes = nbytes;
  t.file = file;
  keep_.push_back(buf);
  auto it = std::find_if(tensors_.begin(), tensors_.end(), [&](const SafeTensor& x) { return x.name == name; });
  if (it != tensors_.end())
    *it = std::move(t);
  else
    tensors_.push_back(std::move(t));
}

void SafeTensors::add(const std::string& name, const std::vector<int64_t>& shape, const float* data, DType dtype) {
  int64_t n = checked_numel(shape);
  if (n < 0) fail("safetensors: tensor `" + name + "` has a bad shape " + shape_str(shape));
  switch (dtype) {
    case DType::F32:
      add_raw(name, dtype, shape, data, size_t(n) * 4);
      return;
    case DType::F16:
    case DType::BF16: {
      std::vector<uint16_t> h(static_cast<size_t>(n));
      for (size_t i = 0; i < h.size(); ++i) h[i] = dtype == DType::F16 ? float_to_half(data[i]) : float_to_bf16(data[i]);
      add_raw(name, dtype, shape, h.data(), h.size() * 2);
      return;
    }
    default:
      fail(std::string("safetensors: cannot store float data as ") + dtype_name(dtype));
  }
}

void SafeTensors::adopt(std::shared_ptr<const void> keep, std::vector<SafeTensor> tensors) {
  keep_.push_back(std::move(keep));
  tensors_ = std::move(tensors);
}

// [SECTION] reading
namespace {
// Validates `bytes` (the whole file) and fills `st`; tensor pointers point into `bytes`.
void parse_into(const uint8_t* bytes, size_t size, const std::string& name, SafeTensors& st,
                std::shared_ptr<const void> keep) {
  // A file that is not safetensors at all (a text file, an image, a PyTorch .bin) is told apart
  // from a damaged one: the header length must be plausible and the header must start with `{`.
  auto not_a_model = [&](const std::string& detail) {
    fail(name + " is not a model file: it does not start with a safetensors header (" + detail + ")");
  };
  if (size < 8) not_a_model("the file has " + std::to_string(size) + " bytes, truncated before the 8-byte header length");
  uint64_t hlen = 0;
  for (int i = 7; i >= 0; --i) hlen = (hlen << 8) | bytes[i];
  if (hlen > kSafetensorsMaxHeader)
    not_a_model("its first 8 bytes give a header length of " + std::to_string(hlen) + " bytes, which exceeds the " +
                std::to_string(kSafetensorsMaxHeader) + "-byte limit");
  const bool starts_json = size > 8 && (bytes[8] == '{' || bytes[8] == '[' || bytes[8] == ' ');
  if (hlen > size - 8) {
    if (!starts_json) not_a_model("the header length says " + std::to_string(hlen) + " bytes but only " + std::to_string(size - 8) + " follow");
    fail_file(name, "truncated safetensors file: header says " + std::to_string(hlen) + " bytes but only " +
                        std::to_string(size - 8) + " follow");
  }
  const char* hp = reinterpret_cast<const char*>(bytes + 8);
  nlohmann::json h;
  // Two tensors with one name: JSON readers keep the last silently, so the key set is checked here.
  std::set<std::string> keys;
  std::string duplicate;
  auto on_event = [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
    if (ev == nlohmann::json::parse_event_t::key && depth == 1 && parsed.is_string() &&
        !keys.insert(parsed.get_ref<const std::string&>()).second && duplicate.empty())
      duplicate = parsed.get_ref<const std::string&>();
    return true;
  };
  try {
    h = nlohmann::json::parse(hp, hp + hlen, on_event);
  } catch (const nlohmann::json::exception& e) {
    if (!starts_json) not_a_model("the " + std::to_string(hlen) + "-byte header after the length is not JSON");
    fail_file(name, std::string("safetensors header is not valid JSON (") + e.what() + ")");
  }
  if (!h.is_object()) fail_file(name, "safetensors header is not a JSON object");
  if (!duplicate.empty()) fail_file(name, "two entries named `" + duplicate + "` in the safetensors header");
  const uint8_t* data = bytes + 8 + hlen;
  const uint64_t data_size = size - 8 - hlen;

  st.file = name;
  st.metadata.clear();
  std::vector<SafeTensor> tensors;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // (begin, end) per tensor for the overlap check
  std::vector<std::string> range_names;
  const JsonIn header = JsonIn::wrap(std::move(h), name, "safetensors header");
  for (const auto& [key, v] : header.members()) {
    if (key == "__metadata__") {
      if (!v.is_object()) fail_file(name, "safetensors __metadata__ is not a JSON object");
      for (const auto& [mk, mv] : v.members()) {
        if (!mv.is_string()) fail_file(name, "safetensors __metadata__ value `" + mk + "` is not a string");
        st.metadata[mk] = mv.as_string();
      }
      continue;
    }
    const std::string where = "tensor `" + key + "`";
    if (!v.is_object()) fail_file(name, where + ": header entry is not a JSON object");
    if (!v.has("dtype") || !v.value("dtype").is_string()) fail_file(name, where + ": missing or non-string dtype");
    SafeTensor t;
    t.name = key;
    t.file = name;
    const std::string dt = v.string("dtype");
    if (!dtype_from_name(dt, t.dtype)) fail_file(name, where + ": unknown dtype `" + dt + "`");
    if (!v.has("shape") || !v.value("shape").is_array()) fail_file(name, where + ": missing shape array");
    // (safetensors readers take only JSON integers here: 4.0 is refused, as serde does)
    for (const JsonIn& d : v.array("shape")) {
      if (!d.raw().is_number_unsigned()) fail_file(name, where + ": shape entries must be non-negative integers");
      const int64_t u = d.as_integer_clamped(0, INT64_MAX);
      if (u > (int64_t(1) << 62)) fail_file(name, where + ": shape dimension too large");
      t.shape.push_back(u);
    }
    const int64_t n = checked_numel(t.shape);
    if (n < 0) fail_file(name, where + ": shape " + shape_str(t.shape) + " is too large");
    const bool offsets_ok = v.has("data_offsets") && v.value("data_offsets").size() == 2 &&
                            v.value("data_offsets").at(0).raw().is_number_unsigned() &&
                            v.value("data_offsets").at(1).raw().is_number_unsigned();
    if (!offsets_ok) fail_file(name, where + ": data_offsets must be two non-negative integers");
    // (an offset past 2^63 is past the end of any file: the range check below names it)
    const uint64_t b = uint64_t(v.value("data_offsets").at(0).as_integer_clamped(0, INT64_MAX)),
                   e = uint64_t(v.value("data_offsets").at(1).as_integer_clamped(0, INT64_MAX));
    if (b > e) fail_file(name, where + ": data_offsets begin " + std::to_string(b) + " is after end " + std::to_string(e));
    if (e > data_size)
      fail_file(name, where + ": data_offsets [" + std::to_string(b) + ", " + std::to_string(e) +
                          ") run past the end of the data (" + std::to_string(data_size) + " bytes; truncated file?)");
    const uint64_t want = uint64_t(n) * dtype_size(t.dtype);
    if (e - b != want)
      fail_file(name, where + ": shape " + shape_str(t.shape) + " of " + dt + " needs " + std::to_string(want) +
                          " bytes but data_offsets give " + std::to_string(e - b));
    t.bytes = data + b;
    t.nbytes = size_t(e - b);
    ranges.push_back({b, e});
    range_names.push_back(key);
    tensors.push_back(std::move(t));
  }
  // Layout check (as Hugging Face's reader does): sorted by begin, the tensors must tile the data
  // section exactly — no overlap, no gap, no bytes after the last tensor. JSON order may differ
  // from the byte order (the format allows it; tensors() follows the bytes).
  std::vector<size_t> order(ranges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ranges[a] < ranges[b]; });
  uint64_t covered = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    auto& c = ranges[order[i]];
    if (c.first < covered)
      fail_file(name, "tensors `" + range_names[order[i - 1]] + "` and `" + range_names[order[i]] +
                          "` overlap in the data section (data_offsets " + std::to_string(c.first) + " < " +
                          std::to_string(covered) + ")");
    if (c.first > covered)
      fail_file(name, "bytes " + std::to_string(covered) + " to " + std::to_string(c.first) +
                          " of the data section belong to no tensor (a gap before `" + range_names[order[i]] + "`)");
    covered = c.second;
  }
  if (covered != data_size)
    fail_file(name, std::to_string(data_size - covered) + " trailing bytes after the last tensor (the data section has " +
                        std::to_string(data_size) + " bytes, the tensors cover " + std::to_string(covered) +
                        "; Hugging Face's reader rejects such files too)");
  // File order: sort by data offset so tensors() follows the bytes (JSON objects are unordered).
  std::vector<SafeTensor> sorted;
  sorted.reserve(tensors.size());
  for (size_t i : order) sorted.push_back(std::move(tensors[i]));
  st.adopt(std::move(keep), std::move(sorted));
}
}  // namespace

SafeTensors parse_safetensors(std::string_view bytes, const std::string& name) {
  auto buf = std::make_shared<std::string>(bytes);
  SafeTensors st;
  parse_into(reinterpret_cast<const uint8_t*>(buf->data()), buf->size(), name, st, buf);
  return st;
}

SafeTensors read_safetensors(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_file(path, std::string("cannot open for reading (") + std::strerror(errno) + ")");
  struct stat sb;
  if (::fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    ::close(fd);
    fail_file(path, "not a regular file");
  }
  const size_t size = size_t(sb.st_size);
  SafeTensors st;
  if (size < 8) {
    ::close(fd);
    parse_into(nullptr, size, path, st, nullptr);  // throws "truncated"
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return parse_safetensors(read_file(path), path);
  std::shared_ptr<const void> keep(p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
  parse_into(static_cast<const uint8_t*>(p), size, path, st, keep);
  return st;
}

// [SECTION] writing
std::string serialize_safetensors(const SafeTensors& st) {
  nlohmann::ordered_json h = nlohmann::ordered_json::object();
  if (!st.metadata.empty()) {
    nlohmann::ordered_json m = nlohmann::ordered_json::object();
    for (auto& [k, v] : st.metadata) m[k] = v;
    h["__metadata__"] = m;
  }
  uint64_t off = 0;
  for (auto& t : st.tensors()) {
    nlohmann::ordered_json e;
    e["dtype"] = dtype_name(t.dtype);
    e["shape"] = t.shape;
    e["data_offsets"] = {off, off + t.nbytes};
    h[t.name] = e;
    off += t.nbytes;
  }
  std::string header = h.dump();
  while (header.size() % 8) header += ' ';
  std::string out;
  out.reserve(8 + header.size() + off);
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out += char((n >> (8 * i)) & 0xFF);
  out += header;
  for (auto& t : st.tensors()) out.append(reinterpret_cast<const char*>(t.bytes), t.nbytes);
  return out;
}

void write_safetensors(const std::string& path, const SafeTensors& st) {
  write_file_atomic(path, serialize_safetensors(st));
}

}  // namespace gb
