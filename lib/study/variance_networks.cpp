// The variance study's networks (study/variance_parts.hpp): each worker of the
// thread pool keeps one network and redraws it in place, runs forward, statistics
// and backward, and copies a kept draw where pairs share one (study/kept_draw.hpp).

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <span>

#include "core/thread_pool.hpp"
#include "nn/buffer.hpp"
#include "nn/lsuv.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "study/kept_draw.hpp"
#include "study/variance_parts.hpp"

extern "C" void openblas_set_num_threads(int);

namespace initlab::study::detail {

namespace {

// The first layer whose h or a held inf or NaN makes every later layer non-finite,
// and, unless f is linear, every backward layer too (dh^l passes through phi'(h^k)
// for all k >= l; a linear network's dh never reads h, and its dW^l = dh^l a^{l-1}
// holds the overflow itself). A non-finite dh^l makes every layer below it
// non-finite (dh^{l-1} is computed from it). Otherwise ReLU's max(NaN, 0) = 0
// turned an overflow into exact zeros, measured further up as "underflow, q = 0"
// (issue 17 item 7).
void taint_after_overflow(SeedRun& run, Activation f) {
  constexpr stats::ForwardStats kBadForward{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, false};
  constexpr stats::BackwardStats kBadBackward{kNaN, kNaN, false};
  const auto first_bad = std::find_if(run.fwd.begin(), run.fwd.end(),
                                      [](const stats::ForwardStats& s) { return !s.finite; });
  std::fill(first_bad, run.fwd.end(), kBadForward);
  if (first_bad != run.fwd.end() && f.kind != Activation::Kind::linear) {
    std::fill(run.bwd.begin(), run.bwd.end(), kBadBackward);
    return;
  }
  const auto top_bad = std::find_if(run.bwd.rbegin(), run.bwd.rend(),
                                    [](const stats::BackwardStats& s) { return std::isnan(s.log_grad2); });
  std::fill(top_bad, run.bwd.rend(), kBadBackward);
}

// What one worker keeps from one network to the next: the network (redrawn in
// place, so a run allocates nothing per layer after its first network), the last
// draw its pairs share, the input in T and the output gradient.
template <class T>
struct Workspace {
  std::optional<nn::Network<T>> net;
  KeptDraw<T> kept;
  bool keep_draws = true;  // false when every task is one network: a kept draw would go unused
  Matrix<T> x, g;
};
struct Workspaces {
  Workspace<float> f32;
  Workspace<double> f64;
  std::string progress;  // the progress text, rebuilt in place
};

// ws.net <- the network of pair p and seed: the draw ws keeps if it is this one,
// otherwise drawn (and kept when another pair shares it).
template <class T>
void draw_network(const VarianceConfig& c, const Pair& p, std::uint64_t seed, Workspace<T>& ws) {
  if (ws.net && ws.kept.holds(p.draw_group, seed)) {
    ws.net->assign(p.f, ws.kept.W, ws.kept.b);
    return;
  }
  if (ws.net) {
    ws.net->reinitialize(p.f, p.ini, p.bias, seed);
  } else {
    nn::NetworkConfig nc;
    nc.widths = c.widths;
    nc.activations = {p.f};
    nc.inits = {p.ini.spec()};
    nc.bias_init = p.bias.spec();
    nc.seed = seed;
    nc.threads = 1;
    ws.net.emplace(nc);
  }
  if (p.draw_shared && ws.keep_draws) ws.kept.keep(*ws.net, p.draw_group, seed);
}

// One network: forward on x, backward from g ~ N(0, 1), statistics from the cache,
// into run (its vectors reserved by the caller: nothing is allocated here once the
// workspace holds a network of these widths, unless histograms are asked for).
template <class T>
void run_network(const VarianceConfig& c, const Pair& p, std::uint64_t seed,
                 const Matrix<double>& x_double, Workspace<T>& ws, SeedRun& run) {
  const Activation f = p.f;
  const RunPlan& plan = p.plan;
  draw_network(c, p, seed, ws);
  nn::Network<T>& net = *ws.net;
  const std::size_t L = net.depth();
  nn::ensure_shape(ws.x, x_double.shape()[0], x_double.shape()[1]);
  std::transform(x_double.begin(), x_double.end(), ws.x.begin(),
                 [](double v) { return static_cast<T>(v); });
  run.fwd.clear();
  run.bwd.clear();
  run.hist.clear();
  run.lsuv_unconverged = 0;
  if (nn::is_lsuv(p.init)) {
    // data-dependent: rescaled on this seed's own batch before it is measured
    for (const nn::LsuvLayer& r : nn::lsuv(net, ws.x, nn::parse_lsuv(p.init)))
      run.lsuv_unconverged += r.converged ? 0 : 1;
  }
  if (plan.rescaled) {
    for (std::size_t l = 1; l <= L; ++l) {
      // exact: multiplying by a power of two rounds nothing
      net.W(l) *= static_cast<T>(std::ldexp(1.0, -plan.octaves[l - 1]));
    }
  }
  net.forward(ws.x);
  for (std::size_t l = 1; l <= L; ++l) {
    const auto& layer = net.cache()[l - 1];
    run.fwd.push_back(stats::forward_stats(layer.h, layer.a, f, plan.log_scale_h[l - 1]));
  }
  for (std::size_t l : c.histograms.layers) {
    const Matrix<T>& a = net.cache()[l - 1].a;
    const double s = plan.log_scale_h[l - 1];
    run.hist.push_back(s == 0.0 ? stats::histogram(a, c.histograms.bins, c.histograms.lo, c.histograms.hi)
                                : stats::histogram(Matrix<T>(a * static_cast<T>(std::exp(s))),
                                            c.histograms.bins, c.histograms.lo, c.histograms.hi));
  }
  // dL/dh^L (B, n_L) ~ N(0, 1) per entry, fixed by the seed.
  Matrix<T>& g = ws.g;
  nn::ensure_shape(g, c.batch, c.widths.back());
  random::Stream(seed).split(1).normal<T>(std::span<T>(g.data(), g.size()), T(0), T(1));
  const auto& grads = net.backward(g);
  for (std::size_t l = 1; l <= L; ++l) {
    run.bwd.push_back(stats::backward_stats(grads.dh[l - 1], grads.dW[l - 1], plan.log_scale_dh[l - 1],
                                     plan.log_scale_dw[l - 1]));
  }
  taint_after_overflow(run, p.f);
}

// text <- "tanh lecun_normal seed 3 (float)", in place (no allocation once text
// has held a label this long).
void progress_text(std::string& text, const Pair& p, std::uint64_t seed) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, seed).ptr;
  text.assign(p.progress);
  text.append(" seed ");
  text.append(digits, end);
  text.append(p.progress_tail);
}

// One network of the run: pair index and seed index.
struct NetworkTask {
  std::size_t pair, seed;
};

// The networks of the run, as tasks for the workers: the networks of one draw
// group and seed together in one task (one draw, copies for the rest), unless that
// leaves fewer tasks than workers; then one network per task.
std::vector<std::vector<NetworkTask>> network_tasks(const std::vector<Pair>& pairs, std::size_t seeds,
                                                    std::size_t workers) {
  std::vector<std::vector<NetworkTask>> grouped, single;
  for (std::size_t g = 0; g < pairs.size(); ++g) {
    if (pairs[g].draw_group != g) continue;
    for (std::size_t r = 0; r < seeds; ++r) {
      grouped.emplace_back();
      for (std::size_t pi = g; pi < pairs.size(); ++pi) {
        if (pairs[pi].draw_group == g) grouped.back().push_back({pi, r});
      }
    }
  }
  if (grouped.size() >= workers) return grouped;
  for (std::size_t pi = 0; pi < pairs.size(); ++pi) {
    for (std::size_t r = 0; r < seeds; ++r) single.push_back({{pi, r}});
  }
  return single;
}

}  // namespace

std::vector<std::vector<SeedRun>> run_networks(const VarianceConfig& c, const std::vector<Pair>& pairs,
                                               const Inputs& in) {
  const std::size_t R = c.seeds;
  const std::size_t networks = pairs.size() * R;
  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(c.threads), networks);
  const std::vector<std::vector<NetworkTask>> tasks = network_tasks(pairs, R, workers);
  openblas_set_num_threads(std::max(1, c.threads / static_cast<int>(workers)));
  std::vector<std::vector<SeedRun>> runs(pairs.size(), std::vector<SeedRun>(R));
  const std::size_t L = c.widths.size() - 1;
  for (auto& pair_runs : runs) {
    for (SeedRun& run : pair_runs) {
      run.fwd.reserve(L);
      run.bwd.reserve(L);
      run.hist.reserve(c.histograms.layers.size());
    }
  }
  // One workspace per worker, kept from one network to the next; draws are kept
  // only where a task runs the networks of one draw group together.
  std::vector<Workspaces> ws(workers);
  for (Workspaces& w : ws) w.f32.keep_draws = w.f64.keep_draws = tasks.size() < networks;
  std::atomic<std::size_t> done{0};
  std::mutex mu;
  parallel_for(tasks.size(), workers, [&](std::size_t t, std::size_t w) {
    for (const auto [pi, r] : tasks[t]) {
      const Pair& p = pairs[pi];
      if (p.plan.dtype == Dtype::float32) {
        run_network<float>(c, p, c.seed + r, in.x[r], ws[w].f32, runs[pi][r]);
      } else {
        run_network<double>(c, p, c.seed + r, in.x[r], ws[w].f64, runs[pi][r]);
      }
      const std::size_t d = ++done;
      if (c.progress) {
        progress_text(ws[w].progress, p, c.seed + r);
        std::lock_guard lock(mu);
        c.progress(d, networks, ws[w].progress);
      }
    }
  });
  return runs;
}

}  // namespace initlab::study::detail
