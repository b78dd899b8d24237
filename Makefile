# initlab front door: a thin layer over CMake. `make help` lists the targets.
BUILD    ?= build
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=
# Debian's python3 (the one python3-matplotlib installs into), not a pyenv shim.
PYTHON   ?= /usr/bin/python3
INITLAB  := $(BUILD)/bin/initlab
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_CI_SECONDS ?= 20

.PHONY: all help deps data build test report report-deep bench bench-peers clean sanitize sanitize-build fuzz-build fuzz fuzz-ci

all: build

help:
	@echo "make test         install missing packages, build, run every test (ctest)"
	@echo "make report       install, build, regenerate the default reports in reports/"
	@echo "make report-deep  the depth demonstration, deep.md in reports/ (hours: see scripts/report-deep.sh)"
	@echo "make bench        run the Google Benchmark binaries, write reports/bench.md"
	@echo "make bench-peers  also run PyTorch and numpy side by side"
	@echo "make deps         install missing Debian packages and fetch the MNIST digits"
	@echo "make build        configure and build (Release) into $(BUILD)/"
	@echo "make sanitize     ASan+UBSan build (clang -O1) in $(SANITIZE_BUILD)/ and run the tests there"
	@echo "make fuzz         clang libFuzzer build in $(FUZZ_BUILD)/, every target FUZZ_SECONDS (300) s"
	@echo "make fuzz-ci      the sanitizer build's fuzz targets, FUZZ_CI_SECONDS (20) s each (.ci/run)"

deps:
	@scripts/deps.sh
	@scripts/fetch-mnist.sh

data: deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

report: build
	@scripts/report.sh $(BUILD)

report-deep: build
	@scripts/report-deep.sh $(BUILD)

bench: build
	@scripts/bench.sh $(BUILD)

bench-peers: build
	@scripts/deps.sh --peers
	@scripts/bench.sh $(BUILD) --peers

# The sanitizer build: one clang tree at -O1 without debug info, ASan+UBSan on
# everything and libFuzzer's coverage on the library (INITLAB_SANITIZE + INITLAB_FUZZ),
# so the same objects serve the test suite (a quarter of the property cases; RC_PARAMS
# still wins) and the fuzz targets; no benchmarks. Warnings are not errors there
# (INITLAB_WERROR=OFF): the gcc Release build keeps -Werror. .ci/run builds it by default.
SANITIZE_BUILD ?= build-asan
SANITIZE_RC_PARAMS ?= seed=20261129 max_success=25

sanitize-build: deps
	@scripts/deps.sh --fuzz
	cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DINITLAB_SANITIZE=ON -DINITLAB_FUZZ=ON -DINITLAB_BUILD_BENCH=OFF \
	  -DINITLAB_WERROR=OFF \
	  "-DINITLAB_RC_PARAMS=$(SANITIZE_RC_PARAMS)" $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)

sanitize: sanitize-build
	cd $(SANITIZE_BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz-build: deps
	@scripts/deps.sh --fuzz
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DINITLAB_FUZZ=ON -DINITLAB_BUILD_TESTS=OFF -DINITLAB_BUILD_BENCH=OFF -DINITLAB_WERROR=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_targets

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The short run of CI, on the sanitizer tree's fuzz targets (no second build).
fuzz-ci: sanitize-build
	scripts/fuzz.sh $(SANITIZE_BUILD) $(FUZZ_CI_SECONDS)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD)
