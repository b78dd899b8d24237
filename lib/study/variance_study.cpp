#include "study/variance_study.hpp"

#include <chrono>
#include <cmath>
#include <variant>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"
#include "study/exact_prediction.hpp"
#include "study/study_input.hpp"
#include "study/variance_parts.hpp"
#include "theory/input_average.hpp"

namespace initlab::study {

namespace {

using detail::Inputs;
using detail::Pair;

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
  const auto runs = detail::run_networks(c, pairs, in);
  VarianceResult result;
  for (std::size_t pi = 0; pi < pairs.size(); ++pi) {
    result.pairs.push_back(detail::aggregate(c, pairs[pi], in.q0, runs[pi]));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace initlab::study
