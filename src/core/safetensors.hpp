// safetensors read and write: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw little-endian tensor bytes.
//
// Usage (writing a checkpoint):
//   gb::SafeTensors st;
//   st.metadata["glassbox.config"] = config_json;
//   st.add("wte.weight", {V, C}, wte_ptr);                     // stored as F32
//   st.add("wpe.weight", {T, C}, wpe_ptr, gb::DType::F16);     // converted to fp16 on the way in
//   gb::write_safetensors("model.safetensors", st);            // atomic (gb::write_file_atomic)
// Usage (reading):
//   gb::SafeTensors st = gb::read_safetensors(path);           // validates everything, throws gb::Error
//   const gb::SafeTensor& t = st.get("wte.weight");            // throws naming the file if missing
//   std::vector<float> w = t.to_float();                       // F32/F16/BF16/F64 -> float
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gb {

// Every dtype the safetensors format defines. Only the float types convert to float.
enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2 };

const char* dtype_name(DType d);  // "F32"
size_t dtype_size(DType d);       // bytes per element
// Parses a dtype name; returns false for anything the format does not define.
bool dtype_from_name(std::string_view name, DType& out);

// One tensor: its name, dtype, shape and raw little-endian bytes (a view into the file's buffer).
struct SafeTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // empty = scalar (one element)
  const uint8_t* bytes = nullptr;
  size_t nbytes = 0;
  std::string file;  // for error messages: the file it came from ("<memory>" when built in memory)

  int64_t numel() const;
  // Converts to float32 (F32, F16, BF16, F64); throws gb::Error for integer/bool/fp8 dtypes, and
  // for NaN or ±Inf values (naming the tensor and the first bad element): every weight a model
  // loads passes through here, so a damaged checkpoint is refused instead of generating garbage.
  std::vector<float> to_float() const;
  // Converts into `out`, which must hold numel() floats (same checks).
  void to_float(float* out) const;
};

// A whole safetensors file: metadata (`__metadata__`, string to string) and tensors in file order.
// Tensor bytes live in a shared buffer, so copies of a SafeTensors are cheap.
class SafeTensors {
 public:
  std::map<std::string, std::string> metadata;
  std::string file = "<memory>";  // path it was read from, used in error messages

  const std::vector<SafeTensor>& tensors() const { return tensors_; }
  const SafeTensor* find(const std::string& name) const;
  // Throws gb::Error "FILE: missing tensor `name`" when absent.
  const SafeTensor& get(const std::string& name) const;
  // Reads a float tensor and checks its shape: throws gb::Error naming the file, the tensor, the
  // expected and the actual shape on a mismatch.
  std::vector<float> get_float(const std::string& name, const std::vector<int64_t>& shape) const;

  // Adds a tensor from float32 data, stored as `dtype` (F32, F16 or BF16; rounding to nearest even).
  // Replaces a tensor of the same name. Throws gb::Error for other dtypes.
  void add(const std::string& name, const std::vector<int64_t>& shape, const float* data, DType dtype = DType::F32);
  // Adds raw bytes of any dtype (nbytes must equal numel · dtype_size; checked).
  void add_raw(const std::string& name, DType dtype, const std::vector<int64_t>& shape, const void* bytes, size_t nbytes);

  // [internal] used by the parser
  void adopt(std::shared_ptr<const void> keep, std::vector<SafeTensor> tensors);

 private:
  std::vector<SafeTensor> tensors_;
  std::vector<std::shared_ptr<const void>> keep_;  // buffers the tensor bytes point into
};

// Largest header the reader accepts (a real header is a few hundred KB at most); a larger length
// field means a corrupt or hostile file, reported before allocating anything.
constexpr uint64_t kSafetensorsMaxHeader = 100u * 1024 * 1024;

// Reads and validates a safetensors file (memory-mapped when possible). Throws gb::Error naming the
// file for: a file that is not safetensors at all ("PATH is not a model file: it does not start with
// a safetensors header (…)"), truncated file, header that is not a JSON object, two entries with one
// name, bad/unknown dtype, bad shape, byte size not matching the shape, data offsets that overlap,
// leave a gap or leave trailing bytes after the last tensor, non-string metadata.
SafeTensors read_safetensors(const std::string& path);
// The same validation for bytes already in memory (copied into the result). `name` is used in errors.
SafeTensors parse_safetensors(std::string_view bytes, const std::string& name = "<memory>");

// The file's bytes: header padded with spaces to a multiple of 8, tensors back to back in order.
std::string serialize_safetensors(const SafeTensors& st);
// serialize_safetensors + gb::write_file_atomic.
void write_safetensors(const std::string& path, const SafeTensors& st);

}  // namespace gb
