// Fuzz target: state-test JSON -> the state-test runner (sim/evm/state_test.h,
// what `cbsim evm statetest` runs).
// A finding: a crash, hang, leak or undefined behaviour, or an exception other
// than the runner's documented one for bad input (see is_bad_input_error).

#include <unistd.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "sim/evm/state_test.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

namespace fs = std::filesystem;

// The runner reads files only, so the input goes through a file in memory
// (/dev/shm), named per process so that parallel fuzzers do not collide. The
// one place to change when the runner gets an entry point for text.
void run_state_test_text(const std::string& text) {
  static const fs::path file = [] {
    const fs::path shm("/dev/shm");
    const fs::path dir = fs::is_directory(shm) ? shm : fs::temp_directory_path();
    return dir / ("cbsim-fuzz-state-test-" + std::to_string(::getpid()) + ".json");
  }();
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  struct RemoveOnExit {
    const fs::path& path;
    ~RemoveOnExit() {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
  } remove_on_exit{file};
  // The runner's own budget lets one case run for about ten seconds, which is
  // libFuzzer's hang limit; a hundredth of it still reaches every abort path.
  constexpr cbsim::models::evm::ExecutionBudget kFuzzBudget{100'000'000, std::uint64_t{128} << 20};
  (void)cbsim::sim::evm::run_state_test_file(file, kFuzzBudget);
}

// What the runner promises for a file that is not a state test: a
// std::runtime_error, which `cbsim evm statetest` reports as bad input.
// nlohmann's exceptions and the hex parser's std::invalid_argument are not
// runtime_errors: the command line prints them as internal errors (issue 15,
// item 3), so they are findings.
bool is_bad_input_error(const std::exception& e) { return dynamic_cast<const std::runtime_error*>(&e) != nullptr; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    run_state_test_text(cbsim::fuzz::as_text({data, size}));
  } catch (const std::exception& e) {
    if (!is_bad_input_error(e)) cbsim::fuzz::finding("the state-test runner threw an internal error", e.what());
  }
  return 0;
}
