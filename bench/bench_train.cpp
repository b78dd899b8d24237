// One SGD training step of the note's MNIST network (784-300-300-300-300-10,
// four tanh layers, linear output + softmax cross-entropy, SGD lr 0.1):
//   net.forward(x); softmax_cross_entropy(dh, h^L, y); opt.step(net, net.backward(dh))
// at batch 32, 100, 256 on 1 and 2 OpenBLAS threads, plus a depth sweep (width 300)
// and a width sweep (depth 5) at batch 100 on one thread.
//
// Counters
//  - samples/s: rows of the batch per second;
//  - flops (GFLOP/s in the report): 6 B sum_l n_{l-1} n_l per step, the nominal
//    count (forward 2 B n_{l-1} n_l, dW and dx 2 B n_{l-1} n_l each). The first
//    layer's dx is not computed (by us or by PyTorch), so the executed GEMM work is
//    2 B n_0 n_1 lower; activations, loss, bias and update are not counted;
//  - allocs_per_step: heap allocations (operator new and the malloc family, from any
//    thread) per step after two warm-up steps; the step is meant to allocate nothing.
//    The GEMM ceiling counts them too: OpenBLAS's threaded GEMM driver mallocs its
//    job table per call, so with 2 threads the raw GEMMs allocate as well.
// Beside every step, `gemm_ceiling` runs the raw GEMMs of the same shapes through
// xt::blas::gemm (the same 3L - 1 calls the step makes, counted with the same
// nominal flops), so step GFLOP/s / ceiling GFLOP/s is a pure time ratio.

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <xtensor-blas/xblas.hpp>

#include "alloc_counter.hpp"
#include "common.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "nn/optimizer.hpp"
#include "random/stream.hpp"

// ---- benchmarks --------------------------------------------------------------
namespace {

using namespace initlab;

double nominal_flops(const std::vector<std::size_t>& widths, std::size_t B) {
  double s = 0.0;
  for (std::size_t l = 1; l < widths.size(); ++l) s += static_cast<double>(widths[l - 1] * widths[l]);
  return 6.0 * static_cast<double>(B) * s;
}

using bench::AllocCount;

// Rates, and the allocations since `before` per iteration.
void set_counters(benchmark::State& st, const std::vector<std::size_t>& widths, std::size_t B,
                  AllocCount before) {
  const AllocCount after = AllocCount::now();
  const auto it = static_cast<double>(st.iterations());
  st.counters["samples"] = benchmark::Counter(it * static_cast<double>(B), benchmark::Counter::kIsRate);
  st.counters["flops"] = benchmark::Counter(it * nominal_flops(widths, B), benchmark::Counter::kIsRate);
  st.counters["allocs_per_step"] = static_cast<double>(after.heap - before.heap) / it;
  st.counters["new_per_step"] = static_cast<double>(after.news - before.news) / it;
}

template <class T>
Matrix<T> random_matrix(std::size_t rows, std::size_t cols, std::uint64_t id, T lo, T hi) {
  Matrix<T> m = Matrix<T>::from_shape({rows, cols});
  random::Stream(11, id).uniform(std::span<T>(m.data(), m.size()), lo, hi);
  return m;
}

template <class T>
void train_step(benchmark::State& st, std::vector<std::size_t> widths, std::size_t B, int threads) {
  bench::set_blas_threads(threads);
  const std::size_t L = widths.size() - 1;
  nn::NetworkConfig cfg;
  cfg.widths = widths;
  cfg.activations.assign(L, Activation::parse("tanh"));
  cfg.activations.back() = Activation::parse("linear");
  cfg.inits = {"xavier_normal"};
  cfg.seed = 1;
  nn::Network<T> net(cfg);
  nn::Optimizer<T> opt(nn::OptimizerConfig::parse("sgd", 0.1));
  // Pixels in [0, 1] and labels in [0, classes), as the MNIST digits.
  const Matrix<T> x = random_matrix<T>(B, widths.front(), 1, T(0), T(1));
  std::vector<std::size_t> labels(B);
  const random::Stream lr(11, 2);
  for (std::size_t i = 0; i < B; ++i) labels[i] = lr.bits(i) % widths.back();
  Matrix<T> dh;
  double loss = 0.0;
  auto step = [&] {
    net.forward(x);
    loss = nn::softmax_cross_entropy(dh, net.cache().back().h, std::span<const std::size_t>(labels));
    opt.step(net, net.backward(dh));
  };
  step();
  step();
  const AllocCount before = AllocCount::now();
  for (auto _ : st) {
    step();
    benchmark::DoNotOptimize(loss);
  }
  set_counters(st, widths, B, before);
  if (!std::isfinite(loss)) st.SkipWithError("loss is not finite");
}

// The GEMMs of one step, same shapes, operand layouts and call order as the step:
// forward y_l = a_{l-1} W_l^T; backward dW_l = dy_l^T a_{l-1}, dx_l = dy_l W_l (l >= 2).
template <class T>
void gemm_ceiling(benchmark::State& st, std::vector<std::size_t> widths, std::size_t B, int threads) {
  bench::set_blas_threads(threads);
  const std::size_t L = widths.size() - 1;
  std::vector<Matrix<T>> a, W, y, dW, dx;
  for (std::size_t l = 0; l <= L; ++l) a.push_back(random_matrix<T>(B, widths[l], 10 + l, T(-1), T(1)));
  for (std::size_t l = 1; l <= L; ++l) {
    W.push_back(random_matrix<T>(widths[l], widths[l - 1], 100 + l, T(-0.1), T(0.1)));
    y.push_back(Matrix<T>::from_shape({B, widths[l]}));
    dW.push_back(Matrix<T>::from_shape({widths[l], widths[l - 1]}));
    dx.push_back(Matrix<T>::from_shape({B, widths[l - 1]}));
  }
  const AllocCount before = AllocCount::now();
  for (auto _ : st) {
    for (std::size_t l = 0; l < L; ++l) xt::blas::gemm(a[l], W[l], y[l], false, true, T(1), T(0));
    for (std::size_t l = L; l-- > 0;) {
      // dy_l is stood in for by a_{l+1} (same (B, n_l) shape).
      xt::blas::gemm(a[l + 1], a[l], dW[l], true, false, T(1), T(0));
      if (l > 0) xt::blas::gemm(a[l + 1], W[l], dx[l], false, false, T(1), T(0));
    }
    benchmark::ClobberMemory();
  }
  set_counters(st, widths, B, before);
}

template <class T>
void register_net(const std::string& set, const std::vector<std::size_t>& widths, std::size_t B, int threads) {
  const std::string tail = "/type=" + std::string(bench::type_name<T>()) + "/net=" + bench::widths_name(widths) +
                           "/B=" + std::to_string(B) + "/threads=" + std::to_string(threads);
  benchmark::RegisterBenchmark((set + "/kernel=sgd_step" + tail).c_str(),
                               [widths, B, threads](benchmark::State& st) { train_step<T>(st, widths, B, threads); })
      ->UseRealTime();
  benchmark::RegisterBenchmark((set + "/kernel=gemm_ceiling" + tail).c_str(),
                               [widths, B, threads](benchmark::State& st) { gemm_ceiling<T>(st, widths, B, threads); })
      ->UseRealTime();
}

void register_all() {
  for (int threads : {1, 2}) {
    for (std::size_t B : {32, 100, 256}) register_net<float>("train", bench::kMnistWidths, B, threads);
  }
  register_net<double>("train", bench::kMnistWidths, 100, 1);
  for (std::size_t depth : {2, 5, 10, 20}) {
    std::vector<std::size_t> w{784};
    w.insert(w.end(), depth - 1, 300);
    w.push_back(10);
    register_net<float>("depth_sweep", w, 100, 1);
  }
  for (std::size_t width : {100, 300, 1000, 2000}) {
    std::vector<std::size_t> w{784};
    w.insert(w.end(), 4, width);
    w.push_back(10);
    register_net<float>("width_sweep", w, 100, 1);
  }
}

}  // namespace

INITLAB_BENCH_MAIN(register_all)
