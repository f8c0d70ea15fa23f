// Micro-benchmark of the EVM word's arithmetic (ns per operation), to compare
// changes to models/evm/uint256 against each other; not run by the tests.
// Operands are fixed pseudo-random words, cycled so that the branch predictor
// cannot learn one operand pair.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "models/evm/uint256.h"

using cbsim::models::evm::uint256;
namespace evm = cbsim::models::evm;

namespace {

constexpr std::size_t kOperands = 256;

// Words of `bits` significant bits (full width by default).
std::vector<uint256> words(std::uint64_t seed, unsigned bits = 256) {
  std::mt19937_64 rng(seed);
  std::vector<uint256> out(kOperands);
  for (auto& w : out) w = uint256::from_limbs(rng(), rng(), rng(), rng() | (1ULL << 63)) >> (256 - bits);
  return out;
}

template <typename Op>
void run_binary(benchmark::State& state, const std::vector<uint256>& xs, const std::vector<uint256>& ys, Op op) {
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(op(xs[i], ys[i]));
    i = (i + 1) % kOperands;
  }
}

void add(benchmark::State& s) { run_binary(s, words(1), words(2), [](auto& x, auto& y) { return x + y; }); }
void sub(benchmark::State& s) { run_binary(s, words(1), words(2), [](auto& x, auto& y) { return x - y; }); }
void less(benchmark::State& s) { run_binary(s, words(1), words(2), [](auto& x, auto& y) { return x < y; }); }
void mul(benchmark::State& s) { run_binary(s, words(1), words(2), [](auto& x, auto& y) { return x * y; }); }
void shl(benchmark::State& s) {
  run_binary(s, words(1), words(2, 8), [](auto& x, auto& y) { return evm::shl(y, x); });
}
// Divisor sizes: one limb (the fast path), two limbs, full width; 64/64 both in one limb.
void div_64_by_64(benchmark::State& s) { run_binary(s, words(1, 64), words(2, 40), evm::evm_div); }
void div_256_by_64(benchmark::State& s) { run_binary(s, words(1), words(2, 64), evm::evm_div); }
void div_256_by_128(benchmark::State& s) { run_binary(s, words(1), words(2, 128), evm::evm_div); }
void div_256_by_192(benchmark::State& s) { run_binary(s, words(1), words(2, 192), evm::evm_div); }
void sdiv(benchmark::State& s) { run_binary(s, words(1), words(2, 100), evm::evm_sdiv); }
void mulmod(benchmark::State& s) {
  const auto ms = words(3);
  std::size_t j = 0;
  run_binary(s, words(1), words(2), [&](auto& x, auto& y) { return evm::mulmod(x, y, ms[j++ % kOperands]); });
}
void addmod(benchmark::State& s) {
  const auto ms = words(3);
  std::size_t j = 0;
  run_binary(s, words(1), words(2), [&](auto& x, auto& y) { return evm::addmod(x, y, ms[j++ % kOperands]); });
}
// Exponents of 1, 8 and 32 bytes (EXP's gas grows with the byte length).
void exp(benchmark::State& s) {
  run_binary(s, words(1), words(2, static_cast<unsigned>(s.range(0))), [](auto& x, auto& y) { return evm::exp(x, y); });
}

}  // namespace

BENCHMARK(add);
BENCHMARK(sub);
BENCHMARK(less);
BENCHMARK(mul);
BENCHMARK(shl);
BENCHMARK(div_64_by_64);
BENCHMARK(div_256_by_64);
BENCHMARK(div_256_by_128);
BENCHMARK(div_256_by_192);
BENCHMARK(sdiv);
BENCHMARK(addmod);
BENCHMARK(mulmod);
BENCHMARK(exp)->Arg(8)->Arg(64)->Arg(256);

BENCHMARK_MAIN();
