// Runs a fuzz harness over saved inputs without libFuzzer, so that any
// compiler can build it: `make test` replays tests/fuzz/regressions/<target>
// with it (a crash or a finding aborts, which fails the ctest test).
// Arguments: files, or folders whose regular files are all replayed in name
// order. Replaying nothing is an error: a test must check something.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "tests/fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const std::vector<fs::path>& arguments) {
  std::vector<fs::path> inputs;
  for (const fs::path& p : arguments) {
    if (!fs::is_directory(p)) {
      inputs.push_back(p);
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(p))
      if (entry.is_regular_file() && entry.path().filename() != "README.md") found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    inputs.insert(inputs.end(), found.begin(), found.end());
  }
  return inputs;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<fs::path> inputs = inputs_in(std::vector<fs::path>(argv + 1, argv + argc));
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no inputs given (files or folders of files)\n");
    return 2;
  }
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "replay: %zu inputs, no finding\n", inputs.size());
  return 0;
}
