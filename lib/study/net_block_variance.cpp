// The block path of study/net_variance.hpp: a network with residual or norm blocks
// run through nn::Model, every block's output and dL/d(output) measured beside the
// block recursion (study/net_theory.hpp, docs/theory.md §25-§28).
#include <chrono>
#include <cmath>
#include <limits>
#include <span>

#include "core/error.hpp"
#include "nn/model.hpp"
#include "random/stream.hpp"
#include "stats/layer_stats.hpp"
#include "study/net_theory.hpp"
#include "study/net_variance.hpp"
#include "study/study_input.hpp"

extern "C" void openblas_set_num_threads(int);

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One block of one seed.
struct BlockSeed {
  double log_second = kNaN, mean = kNaN, log_share = kNaN, log_grad = kNaN;
};

template <class T>
double mean_of(const Matrix<T>& x) {
  double s = 0.0;
  for (T v : x) s += static_cast<double>(v);
  return s / static_cast<double>(x.size());
}

// One network: forward on x, backward from g ~ N(0, 1) (Stream(seed).split(1)),
// dL/dh of the last block when it is dense (as the plain study), else dL/dy.
template <class T>
std::vector<BlockSeed> run_one(const NetVarianceConfig& c, std::uint64_t seed, const Matrix<double>& x64,
                               std::vector<stats::Histogram>& hist) {
  nn::Model<T> model(c.net, seed);
  Matrix<T> x(x64.shape());
  std::transform(x64.begin(), x64.end(), x.begin(), [](double v) { return static_cast<T>(v); });
  model.forward(x);
  std::vector<BlockSeed> out(model.size());
  for (std::size_t k = 0; k < model.size(); ++k) {
    out[k].log_second = stats::log_mean_square(model.output(k));
    out[k].mean = mean_of(model.output(k));
    if (const auto* r = std::get_if<nn::ResidualBlock<T>>(&model.block(k))) {
      const double a = static_cast<double>(r->alpha);
      out[k].log_share = 2.0 * std::log(std::fabs(a)) + stats::log_mean_square(r->branch.back().a) - out[k].log_second;
    }
  }
  for (std::size_t h = 0; h < hist.size(); ++h) {
    const auto& y = model.output(c.histogram_layers[h] - 1);
    hist[h] += stats::histogram(y, hist[h].counts.size(), hist[h].lo, hist[h].hi);
  }
  Matrix<T> g({c.batch, model.output_width()});
  random::Stream(seed).split(1).normal<T>(std::span<T>(g.data(), g.size()), T(0), T(1));
  const bool logits = std::holds_alternative<DenseLayer>(c.net.blocks.back());
  if (logits) model.backward_logits(g); else model.backward(g);
  for (std::size_t k = 0; k + (logits ? 1 : 0) < model.size(); ++k)
    out[k].log_grad = stats::log_mean_square(model.output_gradient(k));
  return out;
}

// The spread over seeds of one field; NaNs when any seed's value is not finite.
template <class Get>
stats::LogSpread log_spread_of(const std::vector<std::vector<BlockSeed>>& seeds, std::size_t k, Get get) {
  std::vector<double> v;
  for (const auto& s : seeds) {
    const double x = get(s[k]);
    if (std::isnan(x) || x == std::numeric_limits<double>::infinity()) return {kNaN, kNaN, kNaN, kNaN, kNaN};
    v.push_back(get(s[k]));
  }
  return stats::log_spread(v);
}

NetBlockRow block_row(const std::vector<std::vector<BlockSeed>>& seeds, const theory::BlockTheory& t, std::size_t k) {
  NetBlockRow r;
  r.block = k + 1;
  r.kind = std::string(theory::to_string(t.kind));
  r.width = t.width;
  r.theory = t;
  r.second = log_spread_of(seeds, k, [](const BlockSeed& b) { return b.log_second; });
  r.grad = log_spread_of(seeds, k, [](const BlockSeed& b) { return b.log_grad; });
  r.share = log_spread_of(seeds, k, [](const BlockSeed& b) { return b.log_share; });
  std::vector<double> means;
  for (const auto& s : seeds) means.push_back(s[k].mean);
  r.mean = std::isfinite(r.second.log_mean) ? stats::spread(means) : stats::Spread{kNaN, kNaN, kNaN, kNaN};
  r.z_sem_second = stats::deviation_in_se(r.second.log_mean, r.second.log_sd, seeds.size(), t.ln_second);
  r.z_sem_grad = stats::deviation_in_se(r.grad.log_mean, r.grad.log_sd, seeds.size(), t.ln_grad);
  return r;
}

// Growth per block and break depth of the blocks' output second moments.
void summarise_blocks(NetVarianceResult& res) {
  std::vector<double> q, qt, g, gt;
  for (const auto& b : res.blocks) {
    q.push_back(b.second.log_mean);
    qt.push_back(b.theory.ln_second);
    g.push_back(b.grad.log_mean);
    gt.push_back(b.theory.ln_grad);
  }
  summarise(res, q, qt, g, gt);
}

// Whether a block's predicted output or gradient leaves float's safe range.
bool needs_double(const theory::NetTrajectory& t) {
  for (const auto& b : t.blocks) {
    for (double ln : {b.ln_second, b.ln_grad})
      if (std::isfinite(ln) && std::fabs(ln) / std::log(10.0) > kFloatSafeLog10) return true;
  }
  return false;
}

}  // namespace

NetVarianceResult run_block_variance(const NetVarianceConfig& c) {
  const auto start = std::chrono::steady_clock::now();
  openblas_set_num_threads(c.threads);
  std::vector<Matrix<double>> xs;
  std::vector<double> row_q0, log_q0;
  double mean0 = 0.0;
  for (std::size_t r = 0; r < c.seeds; ++r) {
    xs.push_back(study_input(c.input_pool, c.batch, c.net.input, c.seed + r));
    append_row_second_moments(xs.back(), row_q0);
    log_q0.push_back(stats::log_mean_square(xs.back()));
    mean0 += mean_of(xs.back()) / static_cast<double>(c.seeds);
  }
  NetTheoryInput in;
  in.q0 = 0.0;
  for (double q : row_q0) in.q0 += q / static_cast<double>(row_q0.size());
  in.mean0 = mean0;
  in.logits = std::holds_alternative<DenseLayer>(c.net.blocks.back());
  const theory::NetTrajectory traj = net_theory(c.net, in);
  NetVarianceResult res;
  res.name = c.net.name;
  res.q0 = stats::log_spread(log_q0);
  res.seeds = c.seeds;
  res.dtype = c.dtype != Dtype::automatic ? c.dtype : needs_double(traj) ? Dtype::float64 : Dtype::float32;
  std::vector<double> ln_second;
  for (const auto& b : traj.blocks) ln_second.push_back(b.ln_second);
  res.histograms = empty_histograms(c, ln_second);
  std::vector<std::vector<BlockSeed>> seeds;
  for (std::size_t r = 0; r < c.seeds; ++r) {
    seeds.push_back(res.dtype == Dtype::float64 ? run_one<double>(c, c.seed + r, xs[r], res.histograms)
                                                : run_one<float>(c, c.seed + r, xs[r], res.histograms));
    if (c.progress) c.progress(r + 1, c.seeds, cat(c.net.name, " seed ", c.seed + r, " (", to_string(res.dtype), ")"));
  }
  for (std::size_t k = 0; k < traj.blocks.size(); ++k) res.blocks.push_back(block_row(seeds, traj.blocks[k], k));
  summarise_blocks(res);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

}  // namespace initlab::study
