#include "study/net_variance.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <span>

#include "core/error.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "stats/layer_stats.hpp"
#include "study/net_theory.hpp"
#include "study/plain_theory.hpp"
#include "study/study_input.hpp"
#include "theory/input_average.hpp"

extern "C" void openblas_set_num_threads(int);

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kFunc = "net_variance";

// What the R seeds measured, per layer: one entry per seed.
struct Measured {
  std::vector<std::vector<stats::ForwardStats>> fwd;   // [layer][seed]
  std::vector<std::vector<stats::BackwardStats>> bwd;  // [layer][seed]
  std::vector<stats::Histogram> hist;                  // config.histogram_layers, summed over seeds
};

nn::NetworkConfig network_config(const NetDescription& net, std::uint64_t seed) {
  nn::NetworkConfig nc;
  nc.widths = {net.input};
  for (std::size_t k = 0; k < net.blocks.size(); ++k) nc.widths.push_back(net.output_width(k));
  nc.activations = plain_activations(net);
  nc.inits = plain_inits(net);
  nc.bias_init = std::get<DenseLayer>(net.blocks.front()).bias;
  nc.seed = seed;
  return nc;
}

// One network: forward on x, backward from g ~ N(0, 1) (Stream(seed).split(1)).
template <class T>
void run_one(const NetVarianceConfig& c, std::uint64_t seed, const Matrix<double>& x64, Measured& m) {
  nn::Network<T> net(network_config(c.net, seed));
  Matrix<T> x(x64.shape());
  std::transform(x64.begin(), x64.end(), x.begin(), [](double v) { return static_cast<T>(v); });
  net.forward(x);
  const std::size_t L = net.depth();
  for (std::size_t l = 1; l <= L; ++l) {
    const auto& layer = net.cache()[l - 1];
    m.fwd[l - 1].push_back(stats::forward_stats(layer.h, layer.a, net.activations()[l - 1]));
  }
  for (std::size_t h = 0; h < m.hist.size(); ++h) {
    const auto& a = net.cache()[c.histogram_layers[h] - 1].a;
    m.hist[h] += stats::histogram(a, m.hist[h].counts.size(), m.hist[h].lo, m.hist[h].hi);
  }
  Matrix<T> g({c.batch, net.widths().back()});
  random::Stream(seed).split(1).normal<T>(std::span<T>(g.data(), g.size()), T(0), T(1));
  const auto& grads = net.backward(g);
  for (std::size_t l = 1; l <= L; ++l)
    m.bwd[l - 1].push_back(stats::backward_stats(grads.dh[l - 1], grads.dW[l - 1]));
}

template <class S, class Get>
std::vector<double> field(const std::vector<S>& seeds, Get get) {
  std::vector<double> v;
  for (const S& s : seeds) v.push_back(get(s));
  return v;
}

NetLayerRow layer_row(const NetDescription& net, const Measured& m, const theory::LayerTheory& t, std::size_t i) {
  const auto& d = std::get<DenseLayer>(net.blocks[i]);
  NetLayerRow r{i + 1, "dense", d.width, d.activation.name(), d.init, {}, {}, {}, {}, {}, {}, t, true, true, {}, {}};
  const auto& fwd = m.fwd[i];
  const auto& bwd = m.bwd[i];
  for (const auto& s : fwd) r.forward_ok = r.forward_ok && s.finite;
  for (const auto& s : bwd) r.backward_ok = r.backward_ok && s.finite;
  const stats::LogSpread nan_log{kNaN, kNaN, kNaN, kNaN, kNaN};
  const stats::Spread nan{kNaN, kNaN, kNaN, kNaN};
  r.q = r.a2 = r.grad2 = nan_log;
  r.mean = r.saturated = r.dead = nan;
  if (r.forward_ok) {
    r.q = stats::log_spread(field(fwd, [](const auto& s) { return s.log_q; }));
    r.a2 = stats::log_spread(field(fwd, [](const auto& s) { return s.log_a2; }));
    r.mean = stats::spread(field(fwd, [](const auto& s) { return s.mean; }));
    if (std::isfinite(fwd.front().saturated)) {
      r.saturated = stats::spread(field(fwd, [](const auto& s) { return s.saturated; }));
      r.dead = stats::spread(field(fwd, [](const auto& s) { return s.dead; }));
    }
  }
  if (r.backward_ok) r.grad2 = stats::log_spread(field(bwd, [](const auto& s) { return s.log_grad2; }));
  r.z_sem_q = stats::deviation_in_se(r.q.log_mean, r.q.log_sd, fwd.size(), t.ln_q);
  r.z_sem_grad2 = stats::deviation_in_se(r.grad2.log_mean, r.grad2.log_sd, bwd.size(), t.ln_qt);
  return r;
}

void summarise_layers(NetVarianceResult& res) {
  std::vector<double> q, qt, g, gt;
  for (const auto& r : res.rows) {
    q.push_back(r.q.log_mean);
    qt.push_back(r.theory.ln_q);
    g.push_back(r.grad2.log_mean);
    gt.push_back(r.theory.ln_qt);
  }
  summarise(res, q, qt, g, gt);
}

}  // namespace

void summarise(NetVarianceResult& res, const std::vector<double>& q, const std::vector<double>& q_theory,
               const std::vector<double>& g, const std::vector<double>& g_theory) {
  res.slope_q = stats::log_slope(q);
  res.slope_q_theory = stats::log_slope(q_theory);
  res.slope_grad2 = stats::log_slope(g);
  res.slope_grad2_theory = stats::log_slope(g_theory);
  if (!std::isfinite(res.q0.log_mean)) return;
  res.break_depth = stats::break_depth(res.q0.log_mean, q);
  res.break_depth_theory = stats::break_depth(res.q0.log_mean, q_theory);
}

std::vector<stats::Histogram> empty_histograms(const NetVarianceConfig& c, const std::vector<double>& ln_second) {
  std::vector<stats::Histogram> h;
  for (std::size_t l : c.histogram_layers) {
    if (c.histogram_range) {
      h.emplace_back(c.histogram_bins, c.histogram_range->first, c.histogram_range->second);
      continue;
    }
    const double rms = std::exp(0.5 * ln_second.at(l - 1));
    const double half = std::isfinite(rms) && rms > 0.0 ? kNetHistogramSigmas * rms : 1.0;
    h.emplace_back(c.histogram_bins, -half, half);
  }
  return h;
}

void validate(const NetVarianceConfig& c) {
  c.net.validate();
  if (c.batch == 0) fail(kFunc, "batch 0; expected >= 1");
  if (c.seeds == 0) fail(kFunc, "seeds 0; expected >= 1");
  if (c.threads < 1) fail(kFunc, "threads ", c.threads, "; expected >= 1");
  checked_entries(kFunc, "batch x n_0", c.batch, c.net.input, sizeof(double));
  for (std::size_t k = 0; k < c.net.blocks.size(); ++k)
    checked_entries(kFunc, cat("batch x block ", k + 1), c.batch, c.net.output_width(k), sizeof(double));
  if (c.input_pool.size() != 0 && (c.input_pool.shape()[1] != c.net.input || c.input_pool.shape()[0] < c.batch))
    fail(kFunc, "input pool ", shape_str(c.input_pool.shape()), "; expected (N >= ", c.batch, ", ", c.net.input, ")");
  for (std::size_t l : c.histogram_layers) {
    if (l < 1 || l > c.net.blocks.size())
      fail(kFunc, "histogram layer ", l, "; expected 1..", c.net.blocks.size());
  }
  if (!c.histogram_layers.empty()) {
    const auto [lo, hi] = c.histogram_range.value_or(std::pair{-1.0, 1.0});
    stats::Histogram(c.histogram_bins, lo, hi);  // throws on 0 bins or a bad range
  }
  if (!one_bias_plain(c.net)) {
    net_architecture(c.net);  // known, fixed-law specs
    return;
  }
  plain_architecture(c.net, 1.0);  // one bias second moment, known specs
}

NetVarianceResult run_net_variance(const NetVarianceConfig& c) {
  validate(c);
  if (!one_bias_plain(c.net)) return run_block_variance(c);
  const auto start = std::chrono::steady_clock::now();
  openblas_set_num_threads(c.threads);
  std::vector<Matrix<double>> xs;
  std::vector<double> row_q0, log_q0;
  for (std::size_t r = 0; r < c.seeds; ++r) {
    xs.push_back(study_input(c.input_pool, c.batch, c.net.input, c.seed + r));
    append_row_second_moments(xs.back(), row_q0);
    log_q0.push_back(stats::log_mean_square(xs.back()));
  }
  const theory::Trajectory traj = theory::input_average(plain_architecture(c.net, 1.0), row_q0);
  NetVarianceResult res;
  res.name = c.net.name;
  res.q0 = stats::log_spread(log_q0);
  res.seeds = c.seeds;
  res.dtype = c.dtype != Dtype::automatic                          ? c.dtype
              : predicted_log10_range(traj, c.batch) > kFloatSafeLog10 ? Dtype::float64
                                                                   : Dtype::float32;
  std::vector<double> ln_a2;
  for (const auto& t : traj.layers) ln_a2.push_back(t.ln_second);
  Measured m{std::vector<std::vector<stats::ForwardStats>>(traj.layers.size()),
             std::vector<std::vector<stats::BackwardStats>>(traj.layers.size()), empty_histograms(c, ln_a2)};
  for (std::size_t r = 0; r < c.seeds; ++r) {
    if (res.dtype == Dtype::float64) {
      run_one<double>(c, c.seed + r, xs[r], m);
    } else {
      run_one<float>(c, c.seed + r, xs[r], m);
    }
    if (c.progress) c.progress(r + 1, c.seeds, cat(c.net.name, " seed ", c.seed + r, " (", to_string(res.dtype), ")"));
  }
  for (std::size_t i = 0; i < traj.layers.size(); ++i) res.rows.push_back(layer_row(c.net, m, traj.layers[i], i));
  summarise_layers(res);
  res.histograms = std::move(m.hist);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

}  // namespace initlab::study
