#include "study/spectrum_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

#include "core/error.hpp"
#include "core/finite.hpp"
#include "core/tensor.hpp"
#include "init/initializer.hpp"
#include "nn/activation.hpp"
#include "nn/network.hpp"
#include "random/stream.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string init_spec(theory::WeightEnsemble w, double sw2) {
  if (w == theory::WeightEnsemble::orthogonal) return init::spec_of(init::Orthogonal{std::sqrt(sw2)});
  return init::spec_of(init::VarianceScaling{sw2, init::FanMode::fan_in, init::Distribution::normal});
}

// Singular values of J, per requested depth, for one network.
struct SeedSpectra {
  std::vector<Vector<double>> s;  // one per requested depth
};

SeedSpectra run_seed(const SpectrumConfig& c, const SpectrumPair& p, std::uint64_t seed) {
  const std::size_t n = c.width, L = c.depths.back();
  nn::NetworkConfig nc;
  nc.widths.assign(L + 1, n);
  nc.activations = {p.activation};
  nc.inits = {p.init};
  nc.bias_init = c.sb2 > 0.0 ? init::spec_of(init::Normal{std::sqrt(c.sb2)}) : "zeros";
  nc.seed = seed;
  nn::Network<double> net(nc);
  Matrix<double> x({1, n});
  random::Stream(seed).split(0).normal<double>(std::span<double>(x.data(), x.size()), 0.0, 1.0);
  x *= std::sqrt(p.q0 * static_cast<double>(n) / xt::sum(x * x)());
  net.forward(x);
  SeedSpectra out;
  Matrix<double> J = xt::eye<double>(n);
  const Matrix<double> ones = xt::ones<double>({std::size_t{1}, n});
  Matrix<double> d({1, n});
  std::size_t next = 0;
  for (std::size_t l = 1; l <= L && next < c.depths.size(); ++l) {
    // J^l = D_l W_l J^{l-1}: row i of W_l J^{l-1} scaled by phi'(h^l_i).
    const auto& layer = net.cache()[l - 1];
    nn::activate_backward(d, ones, layer.h, layer.a, p.activation);
    Matrix<double> WJ = xt::linalg::dot(net.W(l), J);
    J = WJ * xt::transpose(d);
    if (l == c.depths[next]) {
      if (!all_finite(J.data(), J.size())) {
        out.s.emplace_back(Vector<double>({n}, kNaN));
      } else {
        auto svd = xt::linalg::svd(J, false, false);
        out.s.emplace_back(std::get<1>(svd));
      }
      ++next;
    }
  }
  return out;
}

SpectrumPair run_pair(const SpectrumConfig& c, Activation f, theory::WeightEnsemble w) {
  SpectrumPair p;
  p.activation = f;
  p.ensemble = w;
  p.sw2 = c.sw2 ? *c.sw2 : theory::critical_sw2(f, c.sb2);
  p.init = init_spec(w, p.sw2);
  const theory::FixedPoint fp = theory::fixed_point(f, p.sw2, c.sb2);
  const bool has_q = fp.kind == theory::FixedPointKind::positive;
  p.q0 = c.q0 ? *c.q0 : (has_q ? (fp.q - c.sb2) / p.sw2 : 1.0);
  if (!(p.q0 > 0.0)) p.q0 = 1.0;
  const std::size_t L = c.depths.back();
  // q^l past the double range (linear/relu family above criticality) is NaN in the
  // trajectory; those activations' mu1, mu2 do not depend on q, so the moments keep
  // the last finite q (bounded activations never overflow: q^l <= sw2 + sb2).
  const theory::Trajectory traj = theory::trajectory(f, p.sw2, c.sb2, p.q0, L);
  std::vector<double> qs, qs_moments;
  for (const theory::LayerTheory& layer : traj.layers) {
    qs.push_back(layer.q);
    qs_moments.push_back(std::isfinite(layer.q) ? layer.q
                                                : (qs_moments.empty() ? 1.0 : qs_moments.back()));
  }
  const auto th = theory::jacobian_spectrum_along(f, w, p.sw2, qs_moments);
  std::vector<SeedSpectra> seeds;
  for (std::size_t r = 0; r < c.seeds; ++r) seeds.push_back(run_seed(c, p, c.seed + r));
  for (std::size_t k = 0; k < c.depths.size(); ++k) {
    SpectrumRow row;
    row.depth = c.depths[k];
    row.mean_s2_theory = th[row.depth - 1].mean_s2;
    row.var_s2_theory = th[row.depth - 1].var_s2;
    row.q_theory = qs[row.depth - 1];
    row.log10_s = stats::Histogram(kSpectrumBins, kSpectrumLogLo, kSpectrumLogHi);
    std::vector<double> means, vars;
    row.min_s = std::numeric_limits<double>::infinity();
    row.max_s = 0.0;
    for (const SeedSpectra& s : seeds) {
      const Vector<double>& sv = s.s[k];
      const Vector<double> s2 = sv * sv;
      const double m = xt::mean(s2)();
      const double v = xt::mean((s2 - m) * (s2 - m))();
      if (!std::isfinite(v)) {  // J or its s^2 left the double range
        p.diverged = true;
        continue;
      }
      means.push_back(m);
      vars.push_back(v);
      row.min_s = std::min(row.min_s, xt::amin(sv)());
      row.max_s = std::max(row.max_s, xt::amax(sv)());
      Matrix<double> logs({std::size_t{1}, sv.size()});
      for (std::size_t i = 0; i < sv.size(); ++i) logs(0, i) = std::log10(sv(i));
      row.log10_s += stats::histogram(logs, kSpectrumBins, kSpectrumLogLo, kSpectrumLogHi);
    }
    if (means.empty()) row.min_s = row.max_s = kNaN;
    row.mean_s2 = mean_sd(means);
    row.var_s2 = mean_sd(vars);
    p.rows.push_back(std::move(row));
  }
  return p;
}

}  // namespace

void validate(const SpectrumConfig& c) {
  const char* func = "study::run_spectrum";
  if (c.activations.empty()) fail(func, "no activations; expected at least one");
  if (c.ensembles.empty()) fail(func, "no weight ensembles; expected at least one");
  if (c.width < 1) fail(func, "width = ", c.width, ", expected a width >= 1");
  if (c.seeds < 1) fail(func, "seeds = ", c.seeds, ", expected seeds >= 1");
  if (c.depths.empty()) fail(func, "no depths; expected at least one");
  for (std::size_t k = 0; k < c.depths.size(); ++k) {
    if (c.depths[k] < 1 || (k > 0 && c.depths[k] <= c.depths[k - 1]))
      fail(func, "depths ", shape_str(c.depths), ": expected increasing depths >= 1");
  }
  if (c.sw2 && (!(*c.sw2 > 0.0) || !std::isfinite(*c.sw2)))
    fail(func, "sw2 = ", *c.sw2, ", expected a finite sw2 > 0");
  if (!(c.sb2 >= 0.0) || !std::isfinite(c.sb2)) fail(func, "sb2 = ", c.sb2, ", expected >= 0");
  if (c.q0 && (!(*c.q0 > 0.0) || !std::isfinite(*c.q0)))
    fail(func, "q0 = ", *c.q0, ", expected a finite q0 > 0");
}

SpectrumResult run_spectrum(const SpectrumConfig& config) {
  validate(config);
  const auto start = std::chrono::steady_clock::now();
  SpectrumResult r;
  r.config = config;
  const std::size_t total = config.activations.size() * config.ensembles.size();
  for (Activation f : config.activations) {
    for (theory::WeightEnsemble w : config.ensembles) {
      r.pairs.push_back(run_pair(config, f, w));
      if (config.progress)
        config.progress(r.pairs.size(), total, cat(f.name(), " ", theory::to_string(w)));
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace initlab::study
