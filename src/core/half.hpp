// IEEE half (fp16) and bfloat16 <-> float conversions, bit-exact and portable (round to nearest even).
#pragma once
#include <cstdint>
#include <cstring>

namespace gb {

inline float bits_to_float(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
inline uint32_t float_to_bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }

inline float half_to_float(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1F;
  uint32_t man = h & 0x3FF;
  if (exp == 0) {
    if (man == 0) return bits_to_float(sign);
    // subnormal: normalise
    int e = -1;
    do { man <<= 1; ++e; } while ((man & 0x400) == 0);
    man &= 0x3FF;
    return bits_to_float(sign | uint32_t(127 - 15 - e) << 23 | man << 13);
  }
  if (exp == 31) return bits_to_float(sign | 0x7F800000u | man << 13);
  return bits_to_float(sign | (exp + 127 - 15) << 23 | man << 13);
}

inline uint16_t float_to_half(float f) {
  uint32_t u = float_to_bits(f);
  uint32_t sign = (u >> 16) & 0x8000;
  uint32_t a = u & 0x7FFFFFFF;
  if (a >= 0x7F800000) return uint16_t(sign | 0x7C00 | (a > 0x7F800000 ? 0x200 : 0));  // inf/nan
  if (a >= 0x477FF000) return uint16_t(sign | 0x7C00);  // overflow -> inf
  if (a < 0x38800000) {  // subnormal or zero in half
    if (a < 0x33000000) return uint16_t(sign);
    uint32_t e = a >> 23;
    uint32_t m = (a & 0x7FFFFF) | 0x800000;
    int shift = int(126 - e);  // bits to drop so the result counts units of 2^-24: m·2^(e−150) / 2^-24 = m >> (126 − e)
    uint32_t r = m >> shift;
    uint32_t rem = m & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (r & 1))) ++r;
    return uint16_t(sign | r);
  }
  uint32_t r = a - 0x38000000;  // rebias exponent 127 -> 15 (<<23 then >>13)
  uint32_t lsb = (r >> 13) & 1;
  r += 0xFFF + lsb;
  return uint16_t(sign | (r >> 13));
}

inline float bf16_to_float(uint16_t b) { return bits_to_float(uint32_t(b) << 16); }
inline uint16_t float_to_bf16(float f) {
  uint32_t u = float_to_bits(f);
  if ((u & 0x7FFFFFFF) > 0x7F800000) return uint16_t((u >> 16) | 0x40);
  u += 0x7FFF + ((u >> 16) & 1);
  return uint16_t(u >> 16);
}

}  // namespace gb
