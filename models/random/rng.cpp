#include "models/random/rng.h"

#include <cmath>
#include <numbers>

namespace cbsim::models::random {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return mix64(h);
}

Rng::Rng(std::uint64_t master_seed, std::string_view stream_name)
    : seed_(mix64(master_seed) ^ hash_name(stream_name)), engine_(seed_) {}

double Rng::uniform01() {
  // 53 random bits -> a double in [0, 1), independent of the standard library's
  // distribution implementation (keeps results identical across toolchains).
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Rng::exponential(double mean) { return -mean * std::log1p(-uniform01()); }

double Rng::standard_normal() {
  // Not std::normal_distribution: its algorithm differs between standard
  // libraries, and results must not depend on the toolchain.
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Rng::uniform_index(std::uint64_t n) {
  // Lemire's nearly-divisionless method would be faster; rejection keeps it unbiased and simple.
  const std::uint64_t limit = max() - (max() % n);
  std::uint64_t x;
  do {
    x = engine_();
  } while (x >= limit);
  return x % n;
}

Rng Rng::split(std::string_view child_name) const { return Rng(mix64(seed_ ^ hash_name(child_name))); }

}  // namespace cbsim::models::random
