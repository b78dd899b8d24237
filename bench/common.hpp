#pragma once
// Shared by the bench_*.cpp binaries (each includes it once; it is not a library).
//
// Every binary records in its JSON context: the exact command line, the OpenBLAS
// core in use (openblas_get_corename; OPENBLAS_CORETYPE if the caller forced it),
// OpenBLAS's build config, and the machine note. Each benchmark sets the OpenBLAS
// thread count it states (openblas_set_num_threads) and measures wall time
// (UseRealTime) so that BLAS / Stream threads are counted.
//
// Benchmark names are '/'-separated key=value fields read by scripts/bench_report.py:
//   init/spec=normal:1/type=float/shape=4096x4096/threads=1
// (Google Benchmark appends "/real_time" and "/min_time:..." itself).
//
// The OpenBLAS core is chosen by scripts/openblas-env.sh (`initlab info --openblas-core`).

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/tensor.hpp"

// OpenBLAS's own extensions (also declared by xtensor-blas's driver header when
// WITH_OPENBLAS is defined; identical extern "C" redeclarations are allowed).
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}

namespace initlab::bench {

// The note's MNIST network (section III): 784-300-300-300-300-10.
inline const std::vector<std::size_t> kMnistWidths{784, 300, 300, 300, 300, 10};

// The (out, in) weight shapes of a width list n_0 .. n_L.
inline std::vector<FanShape> layer_shapes(const std::vector<std::size_t>& widths) {
  std::vector<FanShape> s;
  for (std::size_t l = 1; l < widths.size(); ++l) s.push_back({widths[l], widths[l - 1]});
  return s;
}

inline std::size_t total_size(const std::vector<FanShape>& shapes) {
  std::size_t n = 0;
  for (const auto& s : shapes) n += s.size();
  return n;
}

// "784-300-300-300-300-10"
inline std::string widths_name(const std::vector<std::size_t>& widths) {
  std::string s;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) s += '-';
    s += std::to_string(widths[i]);
  }
  return s;
}

template <class T>
constexpr const char* type_name() {
  return sizeof(T) == 4 ? "float" : "double";
}

inline void set_blas_threads(int n) { openblas_set_num_threads(n); }

inline std::string openblas_core() {
  const char* c = openblas_get_corename();
  return c ? std::string(c) : std::string("unknown");
}

// The three load averages of /proc/loadavg ("" where it cannot be read).
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(in >> one >> five >> fifteen)) return "";
  return one + " " + five + " " + fifteen;
}

// Runs the benchmarks registered by `register_all` with the context described above.
inline int run_main(int argc, char** argv, void (*register_all)()) {
  std::string command;
  for (int i = 0; i < argc; ++i) {
    if (i) command += ' ';
    command += argv[i];
  }
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  benchmark::AddCustomContext("initlab_command", command);
  benchmark::AddCustomContext("openblas_core", openblas_core());
  benchmark::AddCustomContext("openblas_coretype_env", forced ? forced : "");
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  // What was measured on this machine when the run started, never a description.
  benchmark::AddCustomContext("hardware_threads", std::to_string(std::thread::hardware_concurrency()));
  benchmark::AddCustomContext("load_average_at_start", load_average());
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace initlab::bench

#define INITLAB_BENCH_MAIN(register_all) \
  int main(int argc, char** argv) { return initlab::bench::run_main(argc, argv, register_all); }
