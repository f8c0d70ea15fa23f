#pragma once
// Deterministic randomness: one master seed per scenario, split into named,
// independent streams so that adding a consumer of randomness in one part of
// the model never shifts the numbers another part draws.

#include <cstdint>
#include <random>
#include <string_view>

namespace cbsim::models::random {

// SplitMix64 finaliser: a well-mixed 64-bit hash of a 64-bit value.
std::uint64_t mix64(std::uint64_t x);

// FNV-1a of a name, mixed, so stream names map to unrelated seeds.
std::uint64_t hash_name(std::string_view name);

// A named stream of the scenario's generator. Satisfies UniformRandomBitGenerator,
// so it works with <random> distributions and Boost.Graph generators.
class Rng {
public:
  using result_type = std::uint64_t;

  Rng(std::uint64_t master_seed, std::string_view stream_name);
  explicit Rng(std::uint64_t raw_seed) : engine_(raw_seed) {}

  static constexpr result_type min() { return std::mt19937_64::min(); }
  static constexpr result_type max() { return std::mt19937_64::max(); }
  result_type operator()() { return engine_(); }

  double uniform01();                        // [0, 1)
  double exponential(double mean);           // mean > 0
  double standard_normal();                  // Box-Muller on this stream's own uniforms
  std::uint64_t uniform_index(std::uint64_t n);  // [0, n), n > 0
  // A child stream, e.g. one per node: independent of the parent's later draws.
  Rng split(std::string_view child_name) const;

private:
  std::uint64_t seed_ = 0;
  std::mt19937_64 engine_;
};

}  // namespace cbsim::models::random
