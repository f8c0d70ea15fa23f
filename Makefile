# The two commands of the README: `make demo` and `make test`.
# Both install missing Debian packages first, then build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CBSIM = $(BUILD_DIR)/cbsim

.PHONY: all deps build venv demo test bench clean docs contracts sanitizer-deps test-sanitize fuzz mutate

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# .venv/: Debian's Python with its packages and the cbsim package (see bindings/README.md).
venv: build
	bash scripts/setup-venv.sh

demo: venv
	$(CBSIM) run scenarios/quickstart.json --out results/quickstart
	.venv/bin/python -m cbsim plot results/quickstart

test: venv
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900
	.venv/bin/python -m pytest tests/python -q

bench: build
	bash bench/run.sh

clean:
	rm -rf $(BUILD_DIR)

# --- reliability (docs/reliability.md) ----------------------------------------
# Both build with clang 16 in their own folders, warnings not fatal (the
# project's -Werror gate is GCC's, in `make build`), asserts on, line tables
# for symbolized traces.
SANITIZE_BUILD_DIR ?= build-sanitize
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = scenario_text scenario_overrides evm_code rlp_trie state_test uint256
CCACHE_LAUNCHER = $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CLANG_CMAKE = CC=clang-16 CXX=clang++-16 cmake -S . -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	"-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1" -DCBSIM_WERROR=OFF $(CCACHE_LAUNCHER)
# SimGrid (Debian's, not built with ASan) switches stacks for its actors: with
# detect_stack_use_after_return ASan would see fake-stack frames vanish, so it
# is off; everything else stops at the first report, leaks included.
SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_SYMBOLIZER_PATH=$(shell command -v llvm-symbolizer-16)

# Wall-clock budgets of the topology generators (under 1-2 s at full speed)
# that ASan's 3-10x slowdown breaks by design: they test speed, not memory; and
# the memory estimate against the measured peak, which ASan's shadow memory
# and redzones inflate by design.
SANITIZE_SKIP = InUnderASecondEach|InUnderTwoSeconds|PeakStaysUnderTheEstimate

sanitizer-deps:
	@bash scripts/install-deps.sh --sanitizers

$(SANITIZE_BUILD_DIR)/CMakeCache.txt:
	$(CLANG_CMAKE) -B $(SANITIZE_BUILD_DIR) -DCBSIM_SANITIZE=ON

# The C++ test suite (ctest) built with AddressSanitizer and UBSan.
test-sanitize: sanitizer-deps $(SANITIZE_BUILD_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	cd $(SANITIZE_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --timeout 1800 \
	  -E '$(SANITIZE_SKIP)'

$(FUZZ_BUILD_DIR)/CMakeCache.txt:
	$(CLANG_CMAKE) -B $(FUZZ_BUILD_DIR) -DCBSIM_FUZZ=ON

# Each libFuzzer target for FUZZ_SECONDS after replaying tests/fuzz/regressions.
fuzz: sanitizer-deps $(FUZZ_BUILD_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

# 1,000 mutated scenario files through cbsim validate and cbsim run.
MUTATIONS ?= 1000
MUTATE_SEED ?= 1
mutate: build
	/usr/bin/python3 scripts/mutate-scenarios.py --cbsim $(CBSIM) --count $(MUTATIONS) --seed $(MUTATE_SEED) \
	  --keep $(BUILD_DIR)/mutate-failures

# Regenerates the scenario JSON Schema and field reference from the field table.
docs: build
	bash scripts/update-scenario-docs.sh

# Recompiles scenarios/contracts/*.sol into scenarios/contracts/build/*.json
# with solc-js at a pinned version (needs Node and npm; the build does not).
contracts:
	bash scripts/compile-contracts.sh
