// Initializer fill speed: every initializer family on 256^2, 1024^2, 4096^2 and
// the note's MNIST network (784-300-300-300-300-10, all five weight matrices per
// iteration), float and double, 1 and 2 threads (Stream::with_threads; OpenBLAS
// set to the same count). Rates: items/s (weights written) and bytes/s.
// Beside them the ceiling on the same buffer: memset and std::fill, 1 and 2 threads,
// and a compute-bound probe whose 2-thread speedup shows how much of the second
// core the shared machine gave (the yardstick for the fills' scaling).
//
// Orthogonal is O(n^3) (one Householder QR) and is reported separately, against
// LAPACK's geqrf + orgqr on a copy of the same Gaussian matrix (the QR alone;
// orthogonal = Gaussian draw + that QR + sign/gain scaling), at 256^2, 1024^2,
// 2048^2 and the MNIST network. 4096^2 is left out of the orthogonal set: one
// QR there takes seconds and would dominate `make bench`.

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <thread>
#include <vector>

// xblas.hpp first: it brings the FLENS macros that xlapack.hpp relies on.
#include <xtensor-blas/xblas.hpp>
#include <xtensor-blas/xlapack.hpp>

#include "common.hpp"
#include "init/initializer.hpp"
#include "random/stream.hpp"

namespace {

using namespace initlab;
using bench::layer_shapes;
using bench::total_size;

struct Workload {
  std::string name;              // "4096x4096" or "mnist"
  std::vector<FanShape> shapes;  // weight matrices filled per iteration
};

std::vector<Workload> workloads(bool orthogonal) {
  std::vector<Workload> w;
  const std::vector<std::size_t> sides =
      orthogonal ? std::vector<std::size_t>{256, 1024, 2048} : std::vector<std::size_t>{256, 1024, 4096};
  for (std::size_t n : sides) w.push_back({std::to_string(n) + "x" + std::to_string(n), {{n, n}}});
  w.push_back({"mnist", layer_shapes(bench::kMnistWidths)});
  return w;
}

// One spec per family (Rule alternative); variance_scaling once per distribution.
const std::vector<std::string> kSpecs{
    "zeros",            "uniform:0.05",   "normal:1",  "truncated_normal:0.02",
    "xavier_normal",    "xavier_uniform", "he_normal", "variance_scaling",
    "identity",         "sparse:0.1,0.01"};

template <class T>
void set_rates(benchmark::State& st, std::size_t n) {
  const auto items = static_cast<std::int64_t>(st.iterations()) * static_cast<std::int64_t>(n);
  st.SetItemsProcessed(items);
  st.SetBytesProcessed(items * static_cast<std::int64_t>(sizeof(T)));
}

// Fills every matrix of `wl` with `ini`, layer l from Stream(42).split(l).
template <class T>
void fill(benchmark::State& st, const init::Initializer& ini, const Workload& wl, int threads) {
  bench::set_blas_threads(threads);
  std::vector<T> buf(total_size(wl.shapes));
  const random::Stream root = random::Stream(42).with_threads(threads);
  for (auto _ : st) {
    std::size_t off = 0;
    for (std::size_t l = 0; l < wl.shapes.size(); ++l) {
      const FanShape s = wl.shapes[l];
      ini(std::span<T>(buf.data() + off, s.size()), s, root.split(l));
      off += s.size();
    }
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  set_rates<T>(st, buf.size());
}

// The bandwidth ceiling on the same buffer; with 2 threads each writes one half
// (a thread started per call, as the fills do).
template <class T>
void ceiling(benchmark::State& st, bool use_memset, const Workload& wl, int threads) {
  std::vector<T> buf(total_size(wl.shapes), T(1));
  auto write = [&buf, use_memset](std::size_t begin, std::size_t end) {
    if (use_memset) {
      std::memset(buf.data() + begin, 0, (end - begin) * sizeof(T));
    } else {
      std::fill(buf.begin() + static_cast<std::ptrdiff_t>(begin), buf.begin() + static_cast<std::ptrdiff_t>(end),
                T(0.5));
    }
  };
  for (auto _ : st) {
    if (threads == 1) {
      write(0, buf.size());
    } else {
      const std::size_t half = buf.size() / 2;
      std::thread other(write, half, buf.size());
      write(0, half);
      other.join();
    }
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  set_rates<T>(st, buf.size());
}

// A compute-bound probe on the same buffer: 64 dependent multiply-adds per element,
// one write. Its 2-thread / 1-thread ratio is the parallelism the (shared) machine
// gave at that moment, the yardstick for the fills' 2-thread scaling.
template <class T>
void probe_range(T* out, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) {
    T x = static_cast<T>(i & 1023u) * T(1e-3);
    for (int k = 0; k < 64; ++k) x = x * T(0.999) + T(1e-3);
    out[i] = x;
  }
}

template <class T>
void compute_probe(benchmark::State& st, const Workload& wl, int threads) {
  std::vector<T> buf(total_size(wl.shapes));
  for (auto _ : st) {
    if (threads == 1) {
      probe_range(buf.data(), 0, buf.size());
    } else {
      const std::size_t half = buf.size() / 2;
      std::thread other(probe_range<T>, buf.data(), half, buf.size());
      probe_range(buf.data(), 0, half);
      other.join();
    }
    benchmark::DoNotOptimize(buf.data());
    benchmark::ClobberMemory();
  }
  set_rates<T>(st, buf.size());
}

using idx = xt::blas_index_t;

// LAPACK's Householder QR of the tall (m x n, column-major) orientation of each
// matrix, as the orthogonal initializer computes it: geqrf then orgqr. The Gaussian
// input is drawn once and copied in before each QR (memcpy, negligible).
template <class T>
void lapack_qr(benchmark::State& st, const Workload& wl, int threads) {
  bench::set_blas_threads(threads);
  struct Job {
    idx m, n;
    std::vector<T> g, a, tau, work;
  };
  std::vector<Job> jobs;
  for (std::size_t l = 0; l < wl.shapes.size(); ++l) {
    const FanShape s = wl.shapes[l];
    Job j{static_cast<idx>(std::max(s.out, s.in)), static_cast<idx>(std::min(s.out, s.in)), {}, {}, {}, {}};
    j.g.resize(s.size());
    random::Stream(42).split(l).normal(std::span<T>(j.g), T(0), T(1));
    j.a = j.g;
    j.tau.resize(static_cast<std::size_t>(j.n));
    T q1 = 0, q2 = 0;
    cxxlapack::geqrf<idx>(j.m, j.n, j.a.data(), j.m, j.tau.data(), &q1, idx(-1));
    cxxlapack::orgqr<idx>(j.m, j.n, j.n, j.a.data(), j.m, j.tau.data(), &q2, idx(-1));
    j.work.resize(static_cast<std::size_t>(std::max(q1, q2)));
    jobs.push_back(std::move(j));
  }
  std::size_t n = 0;
  for (auto _ : st) {
    for (auto& j : jobs) {
      std::memcpy(j.a.data(), j.g.data(), j.g.size() * sizeof(T));
      const auto lwork = static_cast<idx>(j.work.size());
      const int i1 = cxxlapack::geqrf<idx>(j.m, j.n, j.a.data(), j.m, j.tau.data(), j.work.data(), lwork);
      const int i2 = cxxlapack::orgqr<idx>(j.m, j.n, j.n, j.a.data(), j.m, j.tau.data(), j.work.data(), lwork);
      if (i1 != 0 || i2 != 0) st.SkipWithError("LAPACK geqrf/orgqr failed");
      benchmark::DoNotOptimize(j.a.data());
    }
    benchmark::ClobberMemory();
  }
  for (const auto& j : jobs) n += j.g.size();
  set_rates<T>(st, n);
}

template <class T>
void register_type() {
  const std::string t = bench::type_name<T>();
  for (const Workload& wl : workloads(false)) {
    const std::string tail = "/type=" + t + "/shape=" + wl.name;
    for (const std::string& spec : kSpecs) {
      const init::Initializer ini = init::parse(spec);
      for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark(("init/spec=" + spec + tail + "/threads=" + std::to_string(threads)).c_str(),
                                     [ini, wl, threads](benchmark::State& st) { fill<T>(st, ini, wl, threads); })
            ->UseRealTime();
      }
    }
    for (bool use_memset : {true, false}) {
      for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark(((use_memset ? "ceiling/spec=memset" : "ceiling/spec=std_fill") + tail +
                                      "/threads=" + std::to_string(threads))
                                         .c_str(),
                                     [use_memset, wl, threads](benchmark::State& st) {
                                       ceiling<T>(st, use_memset, wl, threads);
                                     })
            ->UseRealTime();
      }
    }
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark(("ceiling/spec=compute_probe" + tail + "/threads=" + std::to_string(threads)).c_str(),
                                   [wl, threads](benchmark::State& st) { compute_probe<T>(st, wl, threads); })
          ->UseRealTime();
    }
  }
  const init::Initializer orth = init::parse("orthogonal");
  for (const Workload& wl : workloads(true)) {
    const std::string tail = "/type=" + t + "/shape=" + wl.name;
    for (int threads : {1, 2}) {
      const std::string th = "/threads=" + std::to_string(threads);
      benchmark::RegisterBenchmark(("orthogonal/spec=orthogonal" + tail + th).c_str(),
                                   [orth, wl, threads](benchmark::State& st) { fill<T>(st, orth, wl, threads); })
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("orthogonal/spec=lapack_qr" + tail + th).c_str(),
                                   [wl, threads](benchmark::State& st) { lapack_qr<T>(st, wl, threads); })
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
    }
  }
}

void register_all() {
  register_type<float>();
  register_type<double>();
}

}  // namespace

INITLAB_BENCH_MAIN(register_all)
