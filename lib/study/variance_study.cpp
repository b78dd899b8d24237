#include "study/variance_study.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <variant>


#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "init/initializer.hpp"
#include "nn/buffer.hpp"
#include "nn/lsuv.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "study/exact_prediction.hpp"
#include "study/kept_draw.hpp"
#include "study/study_input.hpp"
#include "theory/input_average.hpp"

extern "C" void openblas_set_num_threads(int);

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What one network (one seed) measured.
struct SeedRun {
  std::vector<stats::ForwardStats> fwd;
  std::vector<stats::BackwardStats> bwd;
  std::vector<stats::Histogram> hist;
  std::size_t lsuv_unconverged = 0;  // layers LSUV left outside its tolerance
};

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

std::string bias_spec(double bias_std) {
  return bias_std == 0.0 ? std::string("zeros") : cat("normal:", bias_std);
}

// LSUV's target in the mean-field picture (docs/theory.md §22): q^l = 1 in every
// layer, i.e. n_{l-1} Var(W^l) E[(a^{l-1})^2] + sb2 = 1 with E[(a^0)^2] = q0 and
// E[(a^{l-1})^2] = V(1) above. Where the bias alone carries the unit variance
// (sb2 >= 1) LSUV cannot reach it; the theory then keeps the orthogonal pre-init.
std::vector<double> lsuv_weight_variances(Activation f, const VarianceConfig& c, double q0) {
  const double sb2 = c.bias_std * c.bias_std;
  std::vector<double> v;
  for (std::size_t l = 1; l < c.widths.size(); ++l) {
    const double n_in = static_cast<double>(c.widths[l - 1]);
    const double m = l == 1 ? q0 : theory::second_moment(f, 1.0);
    v.push_back(sb2 < 1.0 && m > 0.0 ? (1.0 - sb2) / (n_in * m) : 1.0 / n_in);
  }
  return v;
}

// The batch of seed r: (B, n_0) doubles, Gaussian or rows of the pool.
Matrix<double> make_input(const VarianceConfig& c, std::uint64_t seed) {
  return study_input(c.input_pool, c.batch, c.widths.front(), seed);
}

// What one worker keeps from one network to the next: the network (redrawn in
// place, so a run allocates nothing per layer after its first network), the last
// draw its pairs share, the input in T and the output gradient.
template <class T>
struct Workspace {
  std::optional<nn::Network<T>> net;
  KeptDraw<T> kept;
  Matrix<T> x, g;
};
struct Workspaces {
  Workspace<float> f32;
  Workspace<double> f64;
  std::string progress;  // the progress text, rebuilt in place
};

// Everything a pair needs before its networks run.
struct Pair {
  Activation f;
  std::string init;
  init::Initializer ini;
  theory::Trajectory traj;
  RunPlan plan;
  bool exact = false;
  std::vector<theory::FiniteWidthLayer> finite_width;
  std::string weight_law;
  init::Initializer bias;  // every b^l
  std::string progress;  // "tanh lecun_normal" and " (float)": the progress text around the seed
  std::string progress_tail;
  std::size_t draw_group = 0;  // the first pair that draws the same weights (init spec, bias, dtype)
  bool draw_shared = false;    // another pair draws them too: keep the draw
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
  if (p.draw_shared) ws.kept.keep(*ws.net, p.draw_group, seed);
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

stats::LogSpread nan_log_spread() { return {kNaN, kNaN, kNaN, kNaN, kNaN}; }
stats::Spread nan_spread() { return {kNaN, kNaN, kNaN, kNaN}; }

// stats::Spread of one field over seeds, or NaNs if any value is not finite.
template <class Get>
stats::Spread spread_over(const std::vector<SeedRun>& runs, std::size_t i, Get get) {
  std::vector<double> v;
  for (const auto& r : runs) {
    const double x = get(r, i);
    if (!std::isfinite(x)) return nan_spread();
    v.push_back(x);
  }
  return stats::spread(v);
}
template <class Get>
stats::LogSpread log_spread_over(const std::vector<SeedRun>& runs, std::size_t i, Get get) {
  std::vector<double> v;
  for (const auto& r : runs) {
    const double x = get(r, i);
    if (std::isnan(x) || x == std::numeric_limits<double>::infinity()) return nan_log_spread();
    v.push_back(x);
  }
  return stats::log_spread(v);
}

void summarise(PairResult& p, const theory::Trajectory& traj) {
  const std::size_t L = p.rows.size();
  std::vector<double> q(L), qt(L), g(L), gt(L);
  for (std::size_t i = 0; i < L; ++i) {
    const LayerRow& r = p.rows[i];
    q[i] = r.q.log_mean;
    qt[i] = r.theory.ln_q;
    g[i] = r.grad2.log_mean;
    gt[i] = r.theory.ln_qt;
    if (!r.forward_ok && p.summary.overflow_at == 0) p.summary.overflow_at = r.layer;
    if (!r.backward_ok) p.summary.grad_overflow_at = r.layer;
    if (r.underflow && p.summary.underflow_at == 0) p.summary.underflow_at = r.layer;
  }
  PairSummary& s = p.summary;
  s.slope_q = stats::log_slope(q);
  s.slope_q_theory = stats::log_slope(qt);
  s.slope_grad2 = stats::log_slope(g);
  s.slope_grad2_theory = stats::log_slope(gt);
  if (std::isfinite(p.q0.log_mean)) {
    s.break_depth = stats::break_depth(p.q0.log_mean, q);
    s.break_depth_theory = stats::break_depth(p.q0.log_mean, qt);
  }
  s.theory_overflow_at = traj.overflow_at;
}

// Row i of a pair: the seeds' statistics, summarised, beside the prediction.
LayerRow layer_row(const VarianceConfig& c, const theory::LayerTheory& t,
                   const std::vector<SeedRun>& runs, std::size_t i) {
  LayerRow r;
  r.layer = i + 1;
  r.theory = t;
  for (const auto& run : runs) {
    r.forward_ok = r.forward_ok && run.fwd[i].finite;
    r.backward_ok = r.backward_ok && run.bwd[i].finite;
  }
  if (r.forward_ok) {
    r.q = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_q; });
    r.a2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_a2; });
    r.var = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_var; });
    r.mean = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].mean; });
    r.saturated = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].saturated; });
    r.dead = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].dead; });
    r.underflow = r.q.log_lo == -std::numeric_limits<double>::infinity() && std::isfinite(t.ln_q);
  } else {
    r.q = r.a2 = r.var = nan_log_spread();
    r.mean = r.saturated = r.dead = nan_spread();
  }
  if (r.backward_ok) {
    r.grad2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.bwd[k].log_grad2; });
    r.dw_norm2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return 2.0 * s.bwd[k].log_dw_norm; });
  } else {
    r.grad2 = r.dw_norm2 = nan_log_spread();
  }
  const double fan = static_cast<double>(c.widths[i] * c.widths[i + 1]);
  r.ln_dw_norm_theory = 0.5 * (std::log(fan) + std::log(static_cast<double>(c.batch)) + t.ln_grad2);
  const std::size_t R = runs.size();
  r.z_sem_q = stats::deviation_in_se(r.q.log_mean, r.q.log_sd, R, t.ln_q);
  r.z_sem_a2 = stats::deviation_in_se(r.a2.log_mean, r.a2.log_sd, R, t.ln_second);
  r.z_sem_grad2 = stats::deviation_in_se(r.grad2.log_mean, r.grad2.log_sd, R, t.ln_qt);
  return r;
}

// Histograms summed over the seeds.
std::vector<stats::Histogram> summed_histograms(const std::vector<SeedRun>& runs) {
  std::vector<stats::Histogram> h = runs.front().hist;
  for (std::size_t r = 1; r < runs.size(); ++r) {
    for (std::size_t k = 0; k < h.size(); ++k) h[k] += runs[r].hist[k];
  }
  return h;
}

// The inputs of every seed (shared by every pair), their measured second
// moments and the second moment of every row.
struct Inputs {
  std::vector<Matrix<double>> x;
  stats::LogSpread q0;
  std::vector<double> row_q0;  // |x|^2 / n_0 of every row of every seed
};

Inputs make_inputs(const VarianceConfig& c) {
  Inputs in;
  std::vector<double> log_q0;
  for (std::size_t r = 0; r < c.seeds; ++r) {
    in.x.push_back(make_input(c, c.seed + r));
    log_q0.push_back(stats::log_mean_square(in.x.back()));
    append_row_second_moments(in.x.back(), in.row_q0);
  }
  in.q0 = stats::log_spread(log_q0);
  return in;
}

theory::Architecture architecture(const VarianceConfig& c, Activation f, const init::Initializer& ini) {
  theory::Architecture arch;
  arch.activations = {f};
  arch.widths = c.widths;
  for (std::size_t l = 1; l < c.widths.size(); ++l) {
    // The second moment E[W^2] = Var + mean^2 is what the recursion needs
    // (identity: alpha^2 / n_{l-1} per entry, not its population variance).
    const init::Moments m = ini.moments(FanShape{c.widths[l], c.widths[l - 1]});
    arch.weight_variance.push_back(m.variance + m.mean * m.mean);
  }
  arch.sb2 = c.bias_std * c.bias_std;
  arch.qt_last = 1.0;
  return arch;
}

// The weight law whose finite-width correction is known: "gaussian" (iid normal
// entries), "orthogonal" (square layers, b = 0) or "" (none computed).
std::string weight_law(const init::Initializer& ini, const theory::Architecture& arch) {
  const auto& r = ini.rule();
  if (std::holds_alternative<init::Normal>(r)) return "gaussian";
  if (const auto* v = std::get_if<init::VarianceScaling>(&r)) {
    return v->distribution == init::Distribution::normal ? "gaussian" : "";
  }
  if (!std::holds_alternative<init::Orthogonal>(r) || arch.sb2 != 0.0) return "";
  for (std::size_t l = 1; l < arch.widths.size(); ++l) {
    if (arch.widths[l] != arch.widths[l - 1]) return "";
  }
  return "orthogonal";
}

Pair make_pair(const VarianceConfig& c, Activation f, const std::string& spec, const Inputs& in) {
  Pair p{f, spec, init::parse(nn::drawn_spec(spec)), {}, {}, false, {}, "",
         init::parse(bias_spec(c.bias_std)), cat(f.name(), " ", spec), ""};
  theory::Architecture arch = architecture(c, f, p.ini);
  const bool lsuv = nn::is_lsuv(spec);
  p.exact = has_exact_prediction(p.ini, c.bias_std);
  if (lsuv) {
    // LSUV normalises the batch as a whole: one trajectory at its mean second moment
    double q0 = 0.0;
    for (double v : in.row_q0) q0 += v / static_cast<double>(in.row_q0.size());
    arch.q0 = q0;
    arch.weight_variance = lsuv_weight_variances(f, c, q0);
    p.traj = theory::trajectory(arch);
  } else {
    p.traj = p.exact ? exact_trajectory(p.ini, f, c.widths, in.x) : theory::input_average(arch, in.row_q0);
  }
  p.weight_law = p.exact || lsuv ? "" : weight_law(p.ini, arch);  // LSUV's W depend on the data
  if (!p.weight_law.empty()) {
    std::vector<double> sw2;
    for (const auto& y : p.traj.layers) sw2.push_back(y.sw2);
    const auto law = p.weight_law == "gaussian" ? theory::WeightLaw::gaussian : theory::WeightLaw::orthogonal;
    p.finite_width = theory::finite_width_correction(f, sw2, c.widths, arch.sb2, std::exp(in.q0.log_mean), law);
  }
  p.plan = plan_run(f, arch.sb2, in.q0.log_mean, p.traj, c.batch, c.dtype, c.rescale);
  p.progress_tail = cat(" (", to_string(p.plan.dtype), p.plan.rescaled ? ", rescaled" : "", ")");
  return p;
}

PairResult aggregate(const VarianceConfig& c, const Pair& pair, const stats::LogSpread& q0,
                     const std::vector<SeedRun>& runs) {
  PairResult p;
  p.activation = pair.f;
  p.init = pair.init;
  p.law = nn::is_lsuv(pair.init) ? cat("LSUV: orthogonal, then Var(h^l) = 1 +- ",
                                        nn::parse_lsuv(pair.init).tol, " on the batch")
                                  : pair.ini.law();
  for (const SeedRun& r : runs) p.lsuv_unconverged += r.lsuv_unconverged;
  p.plan = pair.plan;
  p.q0 = q0;
  p.sw2_first = pair.traj.layers.front().sw2;
  p.deterministic = std::holds_alternative<init::Identity>(pair.ini.rule()) ||
                    std::holds_alternative<init::Constant>(pair.ini.rule());
  p.theory_kind = pair.exact ? "exact" : "mean_field";
  p.finite_width = pair.finite_width;
  p.weight_law = pair.weight_law;
  const std::size_t L = pair.traj.layers.size();
  for (std::size_t i = 0; i < L; ++i) p.rows.push_back(layer_row(c, pair.traj.layers[i], runs, i));
  for (std::size_t i = 0; i < L; ++i) {
    p.rows[i].ln_backward_gain =
        i + 1 < L ? p.rows[i].grad2.log_mean - p.rows[i + 1].grad2.log_mean : kNaN;
  }
  if (!c.histograms.layers.empty()) p.histograms = summed_histograms(runs);
  summarise(p, pair.traj);
  return p;
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

// Pairs that draw the same weights (the same init spec, bias and dtype: the
// activations of one init) share a draw group, numbered by their first pair.
void assign_draw_groups(std::vector<Pair>& pairs) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    Pair& p = pairs[i];
    for (std::size_t j = 0; j <= i; ++j) {
      const Pair& q = pairs[j];
      if (q.ini.spec() == p.ini.spec() && q.bias.spec() == p.bias.spec() && q.plan.dtype == p.plan.dtype) {
        p.draw_group = j;
        break;
      }
    }
    if (p.draw_group != i) p.draw_shared = pairs[p.draw_group].draw_shared = true;
  }
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

// The networks of every (pair, seed) on `threads` workers of the thread pool;
// BLAS threads share the rest.
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
  // One workspace per worker, kept from one network to the next.
  std::vector<Workspaces> ws(workers);
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

}  // namespace

void validate(const VarianceConfig& c) {
  if (c.widths.size() < 2) fail("variance", "widths ", shape_str(c.widths), "; expected n_0 and at least one layer (depth >= 1)");
  for (std::size_t w : c.widths) {
    if (w == 0) fail("variance", "widths ", shape_str(c.widths), "; expected every width > 0");
  }
  if (c.activations.empty()) fail("variance", "no activation; expected at least one");
  if (c.inits.empty()) fail("variance", "no init; expected at least one");
  for (const auto& s : c.inits) {
    if (nn::is_lsuv(s)) {
      nn::parse_lsuv(s);
    } else {
      init::parse(s);
    }
  }
  if (c.batch == 0) fail("variance", "batch 0; expected >= 1");
  // The (batch, n_l) activations of every layer, as double, before any is allocated.
  for (std::size_t l = 0; l < c.widths.size(); ++l) {
    checked_entries("variance", cat("batch x n_", l), c.batch, c.widths[l], sizeof(double));
    if (l > 0) checked_entries("variance", cat("W^", l), c.widths[l], c.widths[l - 1], sizeof(double));
  }
  if (c.seeds == 0) fail("variance", "seeds 0; expected >= 1");
  if (c.threads < 1) fail("variance", "threads ", c.threads, "; expected >= 1");
  if (!(c.bias_std >= 0.0) || !std::isfinite(c.bias_std)) fail("variance", "bias std ", c.bias_std, "; expected a finite number >= 0");
  const std::size_t L = c.widths.size() - 1;
  for (std::size_t l : c.histograms.layers) {
    if (l < 1 || l > L) fail("variance", "stats::histogram layer ", l, "; expected 1..", L);
  }
  if (!c.histograms.layers.empty()) stats::Histogram(c.histograms.bins, c.histograms.lo, c.histograms.hi);
  if (c.input_pool.size() != 0 &&
      (c.input_pool.shape()[1] != c.widths.front() || c.input_pool.shape()[0] < c.batch)) {
    fail("variance", "input pool ", shape_str(c.input_pool.shape()), "; expected (N >= ", c.batch,
         ", ", c.widths.front(), ")");
  }
}

VarianceResult run_variance(const VarianceConfig& c) {
  validate(c);
  const auto start = std::chrono::steady_clock::now();
  const Inputs in = make_inputs(c);
  std::vector<Pair> pairs;
  for (const auto& f : c.activations) {
    for (const auto& spec : c.inits) pairs.push_back(make_pair(c, f, spec, in));
  }
  assign_draw_groups(pairs);
  const auto runs = run_networks(c, pairs, in);
  VarianceResult result;
  for (std::size_t pi = 0; pi < pairs.size(); ++pi) {
    result.pairs.push_back(aggregate(c, pairs[pi], in.q0, runs[pi]));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace initlab::study
