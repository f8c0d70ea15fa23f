# The two commands of the README: `make demo` and `make test`.
# Both install missing Debian packages first, then build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CBSIM = $(BUILD_DIR)/cbsim

.PHONY: all deps build venv demo test bench clean docs contracts

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

# Regenerates the scenario JSON Schema and field reference from the field table.
docs: build
	bash scripts/update-scenario-docs.sh

# Recompiles scenarios/contracts/*.sol into scenarios/contracts/build/*.json
# with solc-js at a pinned version (needs Node and npm; the build does not).
contracts:
	bash scripts/compile-contracts.sh
