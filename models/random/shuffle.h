#pragma once
// Fisher-Yates shuffle driven by Rng::uniform_index. std::shuffle is not used
// because its algorithm is left to the standard library, and a scenario must
// give the same result whichever toolchain built the simulator.

#include <cstddef>
#include <utility>
#include <vector>

#include "models/random/rng.h"

namespace cbsim::models::random {

template <class T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[rng.uniform_index(i)]);
  }
}

}  // namespace cbsim::models::random
