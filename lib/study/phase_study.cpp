#include "study/phase_study.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <span>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "core/error.hpp"
#include "core/tensor.hpp"
#include "init/initializer.hpp"
#include "nn/activation.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "study/chi_c_probe.hpp"
#include "theory/meanfield.hpp"
#include "theory/pair_trajectory.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What one network measured.
struct SeedRun {
  std::vector<double> q, c;  // per layer, means over the P pairs
  std::vector<Chi1Layer> chi1;  // per layer 1..L-1
  bool finite = true;
};

// P pairs (2P, n): rows 2k and 2k+1 have |x|^2 = q0 n and correlation exactly c0
// (Gram-Schmidt on Gaussian rows).
Matrix<double> make_inputs(std::size_t pairs, std::size_t n, double q0, double c0,
                           std::uint64_t seed) {
  Matrix<double> g({2 * pairs, n});
  random::Stream(seed).split(0).normal<double>(std::span<double>(g.data(), g.size()), 0.0, 1.0);
  const double len = std::sqrt(q0 * static_cast<double>(n));
  Matrix<double> x({2 * pairs, n});
  for (std::size_t k = 0; k < pairs; ++k) {
    auto g1 = xt::view(g, 2 * k, xt::all());
    auto g2 = xt::view(g, 2 * k + 1, xt::all());
    Vector<double> e1 = g1 / std::sqrt(xt::sum(g1 * g1)());
    Vector<double> r = g2 - xt::sum(g2 * e1)() * e1;
    Vector<double> e2 = r / std::sqrt(xt::sum(r * r)());
    xt::view(x, 2 * k, xt::all()) = len * e1;
    xt::view(x, 2 * k + 1, xt::all()) = len * (c0 * e1 + std::sqrt((1.0 - c0) * (1.0 + c0)) * e2);
  }
  return x;
}

// corr of rows i and j of h.
double row_corr(const Matrix<double>& h, std::size_t i, std::size_t j, double& sq_i,
                double& sq_j) {
  auto hi = xt::view(h, i, xt::all());
  auto hj = xt::view(h, j, xt::all());
  sq_i = xt::sum(hi * hi)();
  sq_j = xt::sum(hj * hj)();
  return xt::sum(hi * hj)() / std::sqrt(sq_i * sq_j);
}

// Per layer l = 1..L-1 of the first input: a fresh sign probe v (v_j = +-1 from
// Stream(seed).split(1), word (l - 1) n + j), its growth |W^{l+1} (phi'(h^l) v)|^2 / |v|^2,
// the measured mean of phi'(h^l)^2 and E[phi'(sqrt(q_hat) z)^2] at the layer's
// conditional variance q_hat = sw2 |a^{l-1}|^2 / n + sb2 (a^0 = x).
std::vector<Chi1Layer> probe_growth(const nn::Network<double>& net, const Matrix<double>& x,
                                    Activation f, double sw2, double sb2, std::uint64_t seed) {
  const std::size_t n = net.widths().front(), L = net.depth();
  const random::Stream signs = random::Stream(seed).split(1);
  const double nd = static_cast<double>(n);
  std::vector<Chi1Layer> out;
  Matrix<double> d({1, n}), u({1, n});
  const Matrix<double> ones = xt::ones<double>({std::size_t{1}, n});
  Matrix<double> below = xt::view(x, xt::range(0, 1), xt::all());
  for (std::size_t l = 1; l < L; ++l) {
    const auto& layer = net.cache()[l - 1];
    const Matrix<double> h = xt::view(layer.h, xt::range(0, 1), xt::all());
    const Matrix<double> a = xt::view(layer.a, xt::range(0, 1), xt::all());
    nn::activate_backward(d, ones, h, a, f);  // d = phi'(h^l)
    for (std::size_t j = 0; j < n; ++j)
      u(0, j) = (signs.bits((l - 1) * n + j) & 1u) ? d(0, j) : -d(0, j);
    const Matrix<double> next = xt::linalg::dot(u, xt::transpose(net.W(l + 1)));
    const double q_hat = sw2 * xt::sum(below * below)() / nd + sb2;
    out.push_back({std::log(xt::sum(next * next)() / nd), xt::sum(d * d)() / nd,
                   theory::dphi2(f, q_hat)});
    below = a;
  }
  return out;
}

// One network; its chi_c probe (chi_c_probe.hpp) goes into *probe when given.
SeedRun run_seed(const PhaseConfig& cfg, double sw2, double sb2, double q0, std::uint64_t seed,
                 const theory::CorrelationFixedPoint& fixed, ChiCProbe* probe) {
  const std::size_t n = cfg.width, P = cfg.pairs;
  nn::NetworkConfig nc;
  nc.widths.assign(cfg.depth + 1, n);
  nc.activations = {cfg.activation};
  nc.inits = {init::spec_of(
      init::VarianceScaling{sw2, init::FanMode::fan_in, init::Distribution::normal})};
  nc.bias_init = sb2 > 0.0 ? init::spec_of(init::Normal{std::sqrt(sb2)}) : "zeros";
  nc.seed = seed;
  nn::Network<double> net(nc);
  const Matrix<double> x = make_inputs(P, n, q0, cfg.c0, seed);
  net.forward(x);
  SeedRun s;
  for (const auto& layer : net.cache()) {
    double q = 0.0, c = 0.0, a = 0.0, b = 0.0;
    for (std::size_t k = 0; k < P; ++k) {
      const double ck = row_corr(layer.h, 2 * k, 2 * k + 1, a, b);
      q += a + b;
      c += ck;
      s.finite = s.finite && std::isfinite(ck);
    }
    s.q.push_back(q / (2.0 * static_cast<double>(P * n)));
    s.c.push_back(c / static_cast<double>(P));
  }
  s.chi1 = probe_growth(net, x, cfg.activation, sw2, sb2, seed);
  for (const Chi1Layer& y : s.chi1) s.finite = s.finite && std::isfinite(y.ln_growth);
  if (probe)
    add_network(*probe, net, cfg.activation, sw2, sb2, fixed.q, fixed.c, cfg.probe_pairs, seed);
  return s;
}

double nan_if_empty(const std::optional<double>& v) { return v ? *v : kNaN; }

PhaseCell run_cell(const PhaseConfig& cfg, double sw2, double sb2) {
  PhaseCell cell;
  cell.sw2 = sw2;
  cell.sb2 = sb2;
  cell.fixed = theory::correlation_fixed_point(cfg.activation, sw2, sb2);
  const bool has_q = cell.fixed.phase != theory::CorrelationPhase::no_fixed_point &&
                     cell.fixed.q > 0.0;
  // Default input: E[x^2] = V(q*) = (q* - sb2) / sw2, so that q^1 = q*.
  cell.q0 = cfg.q0 ? *cfg.q0 : (has_q ? (cell.fixed.q - sb2) / sw2 : 1.0);
  if (!(cell.q0 > 0.0)) cell.q0 = 1.0;
  const std::size_t L = cfg.depth;
  const auto th = theory::pair_trajectory(cfg.activation, sw2, sb2, cell.q0, cfg.c0, L);
  cell.q_theory = th.back().q;
  cell.c_theory = th.back().c;
  double ln_chi = 0.0;
  for (std::size_t l = 0; l + 1 < L; ++l) ln_chi += std::log(th[l].chi1);
  cell.chi1_theory = std::exp(ln_chi / static_cast<double>(L - 1));
  cell.xi_c_theory = nan_if_empty(cell.fixed.xi_c);

  // The chi_c probe needs a finite scale and q* > sb2 (probe rows of positive length).
  const bool probed = cell.fixed.xi_c.has_value() && cell.fixed.q > sb2;
  ChiCProbe probe;
  std::vector<SeedRun> runs;
  for (std::size_t r = 0; r < cfg.seeds; ++r)
    runs.push_back(run_seed(cfg, sw2, sb2, cell.q0, cfg.seed + r, cell.fixed, probed ? &probe : nullptr));
  cell.chi_c_probe = chi_c_band(probe, cfg.activation, sw2);
  std::vector<double> qL, cL, chi;
  cell.c_layers.assign(L, 0.0);
  for (const SeedRun& s : runs) {
    cell.diverged = cell.diverged || !s.finite;
    qL.push_back(s.q.back());
    cL.push_back(s.c.back());
    double ln_chi1 = 0.0;
    for (const Chi1Layer& y : s.chi1) ln_chi1 += y.ln_growth / static_cast<double>(s.chi1.size());
    chi.push_back(std::exp(ln_chi1));
    cell.ln_chi1_seeds.push_back(ln_chi1);
    cell.chi1_layers.push_back(s.chi1);
    for (std::size_t l = 0; l < L; ++l) cell.c_layers[l] += s.c[l] / static_cast<double>(runs.size());
  }
  cell.q = mean_sd(qL);
  cell.c = mean_sd(cL);
  cell.chi1 = mean_sd(chi);
  for (const auto& y : th) cell.c_layers_theory.push_back(y.c);

  // Fit window (header): theory |c^l - c*| in [floor, kFitCeiling].
  cell.xi_c_window = kNaN;
  cell.xi_c = {kNaN, kNaN, 0};
  if (!cell.fixed.xi_c || cell.diverged) return cell;
  const double cs = cell.fixed.c;
  const double floor = std::max(kFitFloor, kNoiseMultiple * cell.c.sd);
  for (std::size_t l = 1; l <= L; ++l) {
    const double dev = std::fabs(th[l - 1].c - cs);
    const bool in = dev <= kFitCeiling && dev >= floor;
    if (in && cell.fit_first == 0) {
      cell.fit_first = cell.fit_last = l;
    } else if (in && cell.fit_last + 1 == l) {
      cell.fit_last = l;
    }
  }
  if (cell.fit_first == 0 || cell.fit_last + 1 < cell.fit_first + kMinFitLayers) {
    cell.fit_first = cell.fit_last = 0;
    return cell;
  }
  auto window_logs = [&](auto c) {
    std::vector<double> y;
    for (std::size_t l = cell.fit_first; l <= cell.fit_last; ++l)
      y.push_back(std::log(std::fabs(c(l) - cs)));
    return y;
  };
  cell.xi_c_window = fit_depth_scale(window_logs([&](std::size_t l) { return th[l - 1].c; }));
  for (const SeedRun& s : runs)
    cell.xi_c_seeds.push_back(fit_depth_scale(window_logs([&](std::size_t l) { return s.c[l - 1]; })));
  cell.xi_c = mean_sd(cell.xi_c_seeds);
  return cell;
}

}  // namespace

double fit_depth_scale(const std::vector<double>& y) {
  const std::size_t m = y.size();
  if (m < 2) return kNaN;
  double sx = 0.0, sy = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    sx += static_cast<double>(k);
    sy += y[k];
  }
  const double mx = sx / static_cast<double>(m), my = sy / static_cast<double>(m);
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    const double dx = static_cast<double>(k) - mx;
    sxy += dx * (y[k] - my);
    sxx += dx * dx;
  }
  const double slope = sxy / sxx;
  return std::isfinite(slope) && slope < 0.0 ? -1.0 / slope : kNaN;
}

void validate(const PhaseConfig& c) {
  const char* func = "study::run_phase";
  if (c.sw2s.empty()) fail(func, "no sw2 values; expected at least one");
  if (c.sb2s.empty()) fail(func, "no sb2 values; expected at least one");
  for (double v : c.sw2s)
    if (!(v > 0.0) || !std::isfinite(v)) fail(func, "sw2 = ", v, ", expected a finite sw2 > 0");
  for (double v : c.sb2s)
    if (!(v >= 0.0) || !std::isfinite(v)) fail(func, "sb2 = ", v, ", expected a finite sb2 >= 0");
  if (c.width < 1) fail(func, "width = ", c.width, ", expected a width >= 1");
  if (c.depth < 2) fail(func, "depth = ", c.depth, ", expected a depth >= 2");
  if (c.seeds < 1) fail(func, "seeds = ", c.seeds, ", expected seeds >= 1");
  if (c.pairs < 1) fail(func, "pairs = ", c.pairs, ", expected pairs >= 1");
  if (c.probe_pairs < 1) fail(func, "probe_pairs = ", c.probe_pairs, ", expected probe_pairs >= 1");
  if (!(c.c0 >= -1.0 && c.c0 < 1.0)) fail(func, "c0 = ", c.c0, ", expected c0 in [-1, 1)");
  if (c.q0 && (!(*c.q0 > 0.0) || !std::isfinite(*c.q0)))
    fail(func, "q0 = ", *c.q0, ", expected a finite q0 > 0");
}

PhaseResult run_phase(const PhaseConfig& config) {
  validate(config);
  const auto start = std::chrono::steady_clock::now();
  PhaseResult r;
  r.config = config;
  const std::size_t total = config.sw2s.size() * config.sb2s.size();
  for (double sb2 : config.sb2s) {
    for (double sw2 : config.sw2s) {
      r.cells.push_back(run_cell(config, sw2, sb2));
      if (config.progress) config.progress(r.cells.size(), total, cat("sw2=", sw2, " sb2=", sb2));
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace initlab::study
