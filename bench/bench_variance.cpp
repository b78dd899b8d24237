// The variance-versus-depth study (issue 11) against its GEMM limit, on the issue's
// configuration: width 512, depth 50, batch 256, float, activations linear, tanh,
// relu x inits lecun_normal, he_normal, orthogonal x 2 seeds (18 networks).
//  - gemm_only: nothing but the GEMMs one network of the study runs, on the same
//    shapes, through xt::blas::gemm: per layer forward h = x W^T, backward
//    dW = dh^T x and dx = dh W (dx of layer 1 is not needed and not computed, as in
//    nn::Network::backward): 3L - 1 GEMMs per network. Time per network.
//  - network_pass: one network of the study through the functions run_variance
//    uses (Network::forward, stats::forward_stats per layer, the N(0, 1) output
//    gradient, Network::backward, stats::backward_stats per layer), tanh +
//    lecun_normal, weights drawn once outside the timed loop. Time per network.
//  - study: study::run_variance itself on the whole configuration (weight draws,
//    theory, aggregation included). Time per run of 18 networks; the counter
//    `networks` gives the per-network time.
// Counter allocs_per_layer: heap allocations (bench/alloc_counter.hpp: the malloc
// family and operator new, any thread) per layer;
// network_pass counts from the second pass on; study counts from the end of the
// T-th network (T threads: each worker has set up its first network) to the end of
// the last one (progress callback), over (networks - T) x L layers, so it includes per-network allocations (result vectors, the progress text)
// spread over their 50 layers. Before it, a depth-2 run of the same 9 pairs lets
// every worker thread set up its per-thread scratch (the QR's tau, work and signs,
// the statistics' column counts: allocated once per thread, at its first draw or
// measurement of that kind); the counter thread_setup_allocs is that run's count
// between its first and last network.

#include <string>
#include <vector>

#include <xtensor-blas/xblas.hpp>

#include "alloc_counter.hpp"
#include "common.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "stats/layer_stats.hpp"
#include "study/variance_study.hpp"

namespace {

using namespace initlab;
using bench::AllocCount;

constexpr std::size_t kWidth = 512, kDepth = 50, kBatch = 256;
const std::vector<std::string> kActivations{"linear", "tanh", "relu"};
const std::vector<std::string> kInits{"lecun_normal", "he_normal", "orthogonal"};
constexpr std::size_t kSeeds = 2;

std::vector<std::size_t> widths() { return std::vector<std::size_t>(kDepth + 1, kWidth); }

Matrix<float> uniform_matrix(std::size_t rows, std::size_t cols, float a, std::uint64_t id) {
  Matrix<float> m = Matrix<float>::from_shape({rows, cols});
  random::Stream(11, id).uniform(std::span<float>(m.data(), m.size()), -a, a);
  return m;
}

// Flops of one network: (3L - 1) GEMMs of 2 B n^2 each.
double network_flops() {
  return 2.0 * static_cast<double>(kBatch * kWidth * kWidth) * static_cast<double>(3 * kDepth - 1);
}

void set_counters(benchmark::State& st, double networks_per_iter) {
  const double n = networks_per_iter * static_cast<double>(st.iterations());
  st.counters["networks"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  st.counters["flops"] = benchmark::Counter(n * network_flops(), benchmark::Counter::kIsRate);
}

// x (B, n), W^l (n, n) -> h^l (B, n) = h^{l-1} W^T; dW^l = dh^T h^{l-1}, dh^{l-1} = dh W.
void gemm_only(benchmark::State& st, int threads) {
  bench::set_blas_threads(threads);
  const float a = std::sqrt(3.0f / static_cast<float>(kWidth));  // keeps E[h^2] = E[x^2]
  const Matrix<float> x = uniform_matrix(kBatch, kWidth, 1.0f, 0);
  std::vector<Matrix<float>> W, h, dW, dh;
  for (std::size_t l = 0; l < kDepth; ++l) {
    W.push_back(uniform_matrix(kWidth, kWidth, a, l + 1));
    h.push_back(Matrix<float>::from_shape({kBatch, kWidth}));
    dh.push_back(Matrix<float>::from_shape({kBatch, kWidth}));
    dW.push_back(Matrix<float>::from_shape({kWidth, kWidth}));
  }
  dh.back() = uniform_matrix(kBatch, kWidth, 1.0f, kDepth + 1);
  const auto network = [&] {
    for (std::size_t l = 0; l < kDepth; ++l) {
      xt::blas::gemm(l == 0 ? x : h[l - 1], W[l], h[l], false, true, 1.0f, 0.0f);
    }
    for (std::size_t l = kDepth; l-- > 0;) {
      xt::blas::gemm(dh[l], l == 0 ? x : h[l - 1], dW[l], true, false, 1.0f, 0.0f);
      if (l > 0) xt::blas::gemm(dh[l], W[l], dh[l - 1], false, false, 1.0f, 0.0f);
    }
    benchmark::ClobberMemory();
  };
  // One untimed network first: it touches the freshly allocated h, dh and dW
  // (about 80 MB), whose first-touch page faults the study's networks do not pay
  // (their buffers are kept from one network to the next). At 265 ms a network,
  // a repetition times one or two networks, so the faults would be in the limit.
  network();
  for (auto _ : st) network();
  set_counters(st, 1.0);
}

// One network's forward, backward and statistics, as run_variance does them.
struct Pass {
  nn::Network<float>& net;
  const Matrix<float>& x;
  Matrix<float>& g;
  Activation f;
  double sink = 0.0;

  void operator()() {
    net.forward(x);
    for (const auto& layer : net.cache()) sink += stats::forward_stats(layer.h, layer.a, f).log_q;
    random::Stream(1).split(1).normal<float>(std::span<float>(g.data(), g.size()), 0.0f, 1.0f);
    const auto& grads = net.backward(g);
    for (std::size_t l = 0; l < kDepth; ++l) sink += stats::backward_stats(grads.dh[l], grads.dW[l]).log_grad2;
  }
};

void network_pass(benchmark::State& st) {
  bench::set_blas_threads(1);
  nn::NetworkConfig nc;
  nc.widths = widths();
  nc.activations = {Activation::parse("tanh")};
  nc.inits = {"lecun_normal"};
  nc.seed = 1;
  nn::Network<float> net(nc);
  Matrix<float> x = Matrix<float>::from_shape({kBatch, kWidth});
  random::Stream(1).split(0).normal<float>(std::span<float>(x.data(), x.size()), 0.0f, 1.0f);
  Matrix<float> g = Matrix<float>::from_shape({kBatch, kWidth});
  Pass pass{net, x, g, Activation::parse("tanh")};
  pass();  // the first network: buffers are set up here
  const std::size_t before = AllocCount::now().heap;
  for (auto _ : st) pass();
  const std::size_t allocs = AllocCount::now().heap - before;
  benchmark::DoNotOptimize(pass.sink);
  set_counters(st, 1.0);
  st.counters["allocs_per_layer"] =
      static_cast<double>(allocs) / (static_cast<double>(st.iterations()) * static_cast<double>(kDepth));
}

study::VarianceConfig study_config(int threads, std::size_t depth) {
  study::VarianceConfig c;
  for (const auto& a : kActivations) c.activations.push_back(Activation::parse(a));
  c.inits = kInits;
  c.widths.assign(depth + 1, kWidth);
  c.batch = kBatch;
  c.seeds = kSeeds;
  c.dtype = study::Dtype::float32;
  c.threads = threads;
  return c;
}

// Heap allocations of one run from the end of its T-th network (T = threads: every
// worker has set up its first network) to the end of its last one.
std::size_t allocs_after_first_networks(study::VarianceConfig& c) {
  std::size_t first = 0, last = 0;
  const auto workers = static_cast<std::size_t>(c.threads);
  c.progress = [&](std::size_t done, std::size_t total, const std::string&) {
    if (done == workers) first = AllocCount::now().heap;
    if (done == total) last = AllocCount::now().heap;
  };
  const study::VarianceResult r = study::run_variance(c);
  benchmark::DoNotOptimize(r.pairs.data());
  return last - first;
}

void study_run(benchmark::State& st, int threads) {
  // A depth-2 run of the same pairs first: each worker thread of the pool sets up
  // its own scratch once (the orthogonal QR's tau, work and signs, the statistics'
  // column counts) when it first draws or measures such a layer; counted apart.
  study::VarianceConfig warm = study_config(threads, 2);
  const std::size_t setup = allocs_after_first_networks(warm);
  study::VarianceConfig c = study_config(threads, kDepth);
  const std::size_t networks = c.activations.size() * c.inits.size() * c.seeds;
  double allocs = 0.0;
  for (auto _ : st) allocs += static_cast<double>(allocs_after_first_networks(c));
  set_counters(st, static_cast<double>(networks));
  st.counters["allocs_per_layer"] =
      allocs / (static_cast<double>(st.iterations()) *
                static_cast<double>((networks - static_cast<std::size_t>(threads)) * kDepth));
  st.counters["thread_setup_allocs"] = static_cast<double>(setup);
}

void register_all() {
  const std::string shape = "/type=float/width=" + std::to_string(kWidth) + "/depth=" + std::to_string(kDepth) +
                            "/B=" + std::to_string(kBatch);
  for (int threads : {1, 2}) {
    const std::string t = "/threads=" + std::to_string(threads);
    benchmark::RegisterBenchmark(("variance/kernel=gemm_only" + shape + t).c_str(),
                                 [threads](benchmark::State& st) { gemm_only(st, threads); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("variance/kernel=study" + shape + t).c_str(),
                                 [threads](benchmark::State& st) { study_run(st, threads); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark(("variance/kernel=network_pass" + shape + "/threads=1").c_str(), network_pass)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

INITLAB_BENCH_MAIN(register_all)
