// Seeded, portable random numbers: the same seed gives the same stream on every machine.
// (Never std::uniform_real_distribution: its output differs between standard libraries.)
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

namespace gb {

// xoshiro256** seeded through splitmix64. Plain data: copy it to snapshot the stream (Back/undo).
struct Rng {
  std::array<uint64_t, 4> s{};

  explicit Rng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s) {
      x += 0x9E3779B97F4A7C15ull;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      w = z ^ (z >> 31);
    }
  }

  uint64_t next_u64() {
    auto rotl = [](uint64_t v, int k) { return (v << k) | (v >> (64 - k)); };
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits (exact, no rounding up to 1).
  double uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform float in [0, 1) with 24 random bits.
  float uniform_f() { return float(next_u64() >> 40) * 0x1.0p-24f; }
  // Uniform integer in [0, n) without modulo bias (Lemire's method); n > 0.
  uint64_t below(uint64_t n) {
    __uint128_t m = __uint128_t(next_u64()) * n;
    uint64_t l = uint64_t(m);
    if (l < n) {
      uint64_t t = (0 - n) % n;
      while (l < t) {
        m = __uint128_t(next_u64()) * n;
        l = uint64_t(m);
      }
    }
    return uint64_t(m >> 64);
  }
  // Standard normal by Box–Muller (one value per call; the pair's partner is discarded so the
  // stream position depends only on the number of calls).
  double normal() {
    double u1 = 1.0 - uniform();  // (0, 1]
    double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  float normal_f() { return float(normal()); }
};

}  // namespace gb
