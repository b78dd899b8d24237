// Layer kernels against their ceilings.
//  - dense_forward / dense_backward (lib/nn/dense.hpp) on the MNIST network's layer
//    shapes at batch 100 and on a square (256, 1024 -> 1024) layer, float and double,
//    1 and 2 OpenBLAS threads; beside each the raw GEMMs of the same shapes through
//    xt::blas::gemm (the GEMM ceiling): forward y = x W^T, backward dW = dy^T x and
//    dx = dy W. Flops: forward 2 B in out, backward 4 B in out (bias work not counted).
//  - activations (lib/nn/activation.hpp) forward and backward, reported in ns/element.

#include <string>
#include <vector>

#include <xtensor-blas/xblas.hpp>

#include "common.hpp"
#include "nn/activation.hpp"
#include "nn/dense.hpp"
#include "random/stream.hpp"

namespace {

using namespace initlab;

struct Shape {
  std::size_t B, in, out;
  std::string name() const {
    return "B=" + std::to_string(B) + "/in=" + std::to_string(in) + "/out=" + std::to_string(out);
  }
};

const std::vector<Shape> kShapes{{100, 784, 300}, {100, 300, 300}, {100, 300, 10}, {256, 1024, 1024}};

template <class T>
Matrix<T> random_matrix(std::size_t rows, std::size_t cols, std::uint64_t id) {
  Matrix<T> m = Matrix<T>::from_shape({rows, cols});
  random::Stream(7, id).uniform(std::span<T>(m.data(), m.size()), T(-1), T(1));
  return m;
}

void set_flops(benchmark::State& st, double flops_per_iter) {
  st.counters["flops"] =
      benchmark::Counter(flops_per_iter * static_cast<double>(st.iterations()), benchmark::Counter::kIsRate);
}

// mode: 0 dense_forward, 1 dense_backward, 2 gemm for forward, 3 gemms for backward
template <class T>
void dense(benchmark::State& st, Shape s, int mode, int threads) {
  bench::set_blas_threads(threads);
  const Matrix<T> x = random_matrix<T>(s.B, s.in, 1);
  const Matrix<T> W = random_matrix<T>(s.out, s.in, 2);
  const Matrix<T> dy = random_matrix<T>(s.B, s.out, 3);
  Vector<T> b = Vector<T>::from_shape({s.out});
  b.fill(T(0.1));
  Matrix<T> y = Matrix<T>::from_shape({s.B, s.out});
  Matrix<T> dx = Matrix<T>::from_shape({s.B, s.in});
  Matrix<T> dW = Matrix<T>::from_shape({s.out, s.in});
  Vector<T> db = Vector<T>::from_shape({s.out});
  for (auto _ : st) {
    switch (mode) {
      case 0: nn::dense_forward(y, x, W, b); break;
      case 1: nn::dense_backward(&dx, dW, db, dy, x, W); break;
      case 2: xt::blas::gemm(x, W, y, false, true, T(1), T(0)); break;
      default:
        xt::blas::gemm(dy, x, dW, true, false, T(1), T(0));
        xt::blas::gemm(dy, W, dx, false, false, T(1), T(0));
    }
    benchmark::ClobberMemory();
  }
  const double fwd = 2.0 * static_cast<double>(s.B * s.in * s.out);
  set_flops(st, mode % 2 == 0 ? fwd : 2.0 * fwd);
}

template <class T>
void activation(benchmark::State& st, Activation f, std::size_t B, std::size_t n, bool backward) {
  const Matrix<T> h = random_matrix<T>(B, n, 4);
  const Matrix<T> da = random_matrix<T>(B, n, 5);
  Matrix<T> a = Matrix<T>::from_shape({B, n});
  Matrix<T> dh = Matrix<T>::from_shape({B, n});
  nn::activate(a, h, f);
  for (auto _ : st) {
    if (backward) {
      nn::activate_backward(dh, da, h, a, f);
    } else {
      nn::activate(a, h, f);
    }
    benchmark::ClobberMemory();
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * B * n));
}

template <class T>
void register_type() {
  const std::string t = bench::type_name<T>();
  const char* modes[] = {"dense_forward", "dense_backward", "gemm_forward", "gemm_backward"};
  for (const Shape& s : kShapes) {
    for (int threads : {1, 2}) {
      for (int mode = 0; mode < 4; ++mode) {
        const std::string name = std::string("dense/kernel=") + modes[mode] + "/type=" + t + "/" + s.name() +
                                 "/threads=" + std::to_string(threads);
        benchmark::RegisterBenchmark(name.c_str(), [s, mode, threads](benchmark::State& st) {
          dense<T>(st, s, mode, threads);
        })->UseRealTime();
      }
    }
  }
  for (const char* spec : {"linear", "tanh", "relu", "leaky_relu", "sigmoid"}) {
    const Activation f = Activation::parse(spec);
    for (const auto& [B, n] : std::vector<std::pair<std::size_t, std::size_t>>{{100, 300}, {256, 1024}}) {
      for (bool backward : {false, true}) {
        const std::string name = std::string("activation/kernel=") + spec + (backward ? "_backward" : "_forward") +
                                 "/type=" + t + "/B=" + std::to_string(B) + "/n=" + std::to_string(n) +
                                 "/threads=1";
        benchmark::RegisterBenchmark(name.c_str(), [f, B, n, backward](benchmark::State& st) {
          activation<T>(st, f, B, n, backward);
        })->UseRealTime();
      }
    }
  }
}

void register_all() {
  register_type<float>();
  register_type<double>();
}

}  // namespace

INITLAB_BENCH_MAIN(register_all)
