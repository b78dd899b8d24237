// `initlab check`: a stored tensor against the law of an initializer spec
// (check_study.hpp; derivations in docs/theory.md, "Checking a tensor against its law").

#include "study/check_study.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "random/stream.hpp"
#include "stats/goodness_of_fit.hpp"
#include "study/entry_law.hpp"

namespace initlab::study {

std::string_view to_string(Layout l) { return l == Layout::out_in ? "out_in" : "in_out"; }

Layout parse_layout(std::string_view text) {
  if (text == "out_in") return Layout::out_in;
  if (text == "in_out") return Layout::in_out;
  fail("layout", "'", text, "' is not a layout; expected out_in (PyTorch) or in_out (Keras/JAX)");
}

WeightView weight_view(std::span<const std::size_t> shape, Layout layout) {
  if (shape.size() < 2) {
    fail("weight_view", "shape ", shape_str(shape),
         " is not a weight; expected (out, in, k...) or (k..., in, out)");
  }
  if (std::find(shape.begin(), shape.end(), std::size_t{0}) != shape.end()) {
    fail("weight_view", "shape ", shape_str(shape), " has a zero dimension");
  }
  const bool oi = layout == Layout::out_in;
  const std::size_t out = oi ? shape[0] : shape[shape.size() - 1];
  const std::size_t in = oi ? shape[1] : shape[shape.size() - 2];
  const auto k = oi ? shape.subspan(2) : shape.first(shape.size() - 2);
  const std::size_t rf = std::accumulate(k.begin(), k.end(), std::size_t{1}, std::multiplies<>());
  return {{out * rf, in * rf}, {out, in * rf}, rf};
}

namespace {

// 2^-24 (float) or 2^-53 (double): the rounding unit of the stored values.
double unit(data::NpyDtype d) { return d == data::NpyDtype::f4 ? 0x1p-24 : 0x1p-53; }

CheckTest deterministic(std::string name, std::string statistic, double value, bool ok,
                        std::string method) {
  CheckTest t{std::move(name), std::move(statistic), value, ok ? 1.0 : 0.0, std::move(method)};
  t.deterministic = true;
  t.rejected = !ok;
  return t;
}

CheckTest statistical(std::string name, std::string statistic, double value, double p,
                      std::string method) {
  return {std::move(name), std::move(statistic), value, p, std::move(method)};
}

// i.i.d. entries of a normal, truncated normal or uniform law (sparse: its nonzero ones)
void iid_tests(std::span<const double> x, const EntryLaw& law, data::NpyDtype dtype,
               std::vector<CheckTest>& out) {
  const auto n = static_cast<double>(x.size());
  const bool bounded = std::isfinite(law.lo) && std::isfinite(law.hi);
  if (bounded) {
    const double tol = 4.0 * unit(dtype) * std::max(std::abs(law.lo), std::abs(law.hi));
    const auto outside = std::count_if(x.begin(), x.end(), [&](double v) {
      return v < law.lo - tol || v > law.hi + tol;
    });
    out.push_back(deterministic("bounds", "entries outside [lo, hi]",
                                static_cast<double>(outside), outside == 0,
                                cat("support [", law.lo, ", ", law.hi, "]")));
  }
  const auto m = stats::moments_about(x, law.mean);
  const double sd = std::sqrt(law.variance);
  if (!bounded) {
    const double z = (m.mean - law.mean) * std::sqrt(n) / sd;
    out.push_back(statistical("mean", "z", z, stats::normal_two_sided_p(z), "exact N(0, 1)"));
    out.push_back(statistical("variance", "V / variance", m.variance / law.variance,
                              stats::chi2_two_sided_p(n, m.variance / law.variance),
                              "chi2_N, Laurent-Massart bound"));
  } else {
    const double r = std::max(law.hi - law.mean, law.mean - law.lo);
    out.push_back(statistical("mean", "(M - mean) / sd", (m.mean - law.mean) / sd,
                              stats::bernstein_two_sided_p(n, m.mean - law.mean, law.variance, r),
                              "Bernstein bound"));
    const double v4 = law.mu4 - law.variance * law.variance;
    const double c = std::max(r * r - law.variance, law.variance);
    out.push_back(statistical("variance", "V / variance", m.variance / law.variance,
                              stats::bernstein_two_sided_p(n, m.variance - law.variance, v4, c),
                              "Bernstein bound with the exact fourth moment"));
  }
  const auto ks = stats::ks_test(x, [&](double v) { return entry_cdf(law, v); });
  CheckTest t = statistical("ks", "D", ks.d, ks.p_value, "Kolmogorov-Smirnov, DKW-Massart bound");
  t.p_asymptotic = ks.p_asymptotic;
  out.push_back(t);
}

// Gaussian entries: pair the vectors along the longer side (rows when out <= in, else
// columns), a_k = vector 2k, b_k = vector 2k+1, K = min(out, in) / 2 pairs. With b
// independent N(mean, sd^2 I) given a, T_k = <a, b - mean> / (sd |a|) ~ N(0, 1) exactly
// and independently across the disjoint pairs, so sum T_k^2 ~ chi2_K. Orthogonal rows
// (or columns) give 0: the test sees dependence the per-entry tests cannot.
void independence_test(std::span<const double> w, FanShape s, const EntryLaw& law,
                       std::vector<CheckTest>& out) {
  const bool rows = s.out <= s.in;
  const std::size_t len = rows ? s.in : s.out, pairs = (rows ? s.out : s.in) / 2;
  if (pairs == 0) return;
  const auto at = [&](std::size_t v, std::size_t i) {
    return rows ? w[v * s.in + i] : w[i * s.in + v];
  };
  double sum = 0.0;
  for (std::size_t k = 0; k < pairs; ++k) {
    double dot = 0.0, norm2 = 0.0;
    for (std::size_t i = 0; i < len; ++i) {
      const double a = at(2 * k, i);
      dot += a * (at(2 * k + 1, i) - law.mean);
      norm2 += a * a;
    }
    if (norm2 > 0.0) sum += dot * dot / (law.variance * norm2);
  }
  const auto K = static_cast<double>(pairs);
  out.push_back(statistical("pairs", rows ? "sum T^2 / K, row pairs" : "sum T^2 / K, column pairs",
                            sum / K, stats::chi2_two_sided_p(K, sum / K),
                            cat("chi2_", pairs, " of <a, b> / (sd |a|), Laurent-Massart bound")));
}

// w (out, in) row-major: every column holds exactly law.zeros zeros; the rest are normal
void sparse_tests(std::span<const double> w, FanShape s, const EntryLaw& law,
                  data::NpyDtype dtype, std::vector<CheckTest>& out) {
  std::size_t bad = 0;
  std::vector<double> nonzero;
  for (std::size_t j = 0; j < s.in; ++j) {
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < s.out; ++i) zeros += w[i * s.in + j] == 0.0;
    bad += zeros != law.zeros;
  }
  for (double v : w) {
    if (v != 0.0) nonzero.push_back(v);
  }
  out.push_back(deterministic("zeros", "columns without exactly z zeros",
                              static_cast<double>(bad), bad == 0, cat("z = ", law.zeros)));
  if (!nonzero.empty()) iid_tests(nonzero, law, dtype, out);
}

// w (out, in) = gain * Q: rows (out <= in) or columns have norm gain; the
// normalised sum of all entries is one coordinate of a uniform point on S^{m-1}.
void orthogonal_tests(std::span<const double> w, FanShape s, const EntryLaw& law,
                      data::NpyDtype dtype, std::vector<CheckTest>& out) {
  const bool rows = s.out <= s.in;
  const std::size_t m = std::max(s.out, s.in);
  const double g2 = law.gain * law.gain;
  std::vector<double> norms(rows ? s.out : s.in, 0.0);
  for (std::size_t i = 0; i < s.out; ++i) {
    for (std::size_t j = 0; j < s.in; ++j) norms[rows ? i : j] += w[i * s.in + j] * w[i * s.in + j];
  }
  double dev = 0.0;
  for (double q : norms) dev = std::max(dev, std::abs(q / g2 - 1.0));
  const double tol = 16.0 * static_cast<double>(m) * unit(dtype);
  out.push_back(deterministic("norms", rows ? "max |row norm^2 / gain^2 - 1|"
                                            : "max |column norm^2 / gain^2 - 1|",
                              dev, dev <= tol, cat("rounding tolerance ", tol)));
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  const double t = sum / (law.gain * std::sqrt(static_cast<double>(w.size())));
  out.push_back(statistical("mean", "sum / (gain sqrt N)", t,
                            std::min(1.0, 2.0 * std::exp(-static_cast<double>(m) * t * t / 2.0)),
                            "spherical cap bound 2 exp(-m t^2 / 2)"));
}

// constant, identity: the rule's own matrix, in the stored precision
void exact_tests(std::span<const double> w, FanShape s, const init::Initializer& ini,
                 data::NpyDtype dtype, std::size_t rank, std::vector<CheckTest>& out) {
  if (std::holds_alternative<init::Identity>(ini.rule()) && rank != 2) {
    fail(ini.spec(), "identity is defined for 2-D weights; got a ", rank, "-D tensor");
  }
  std::vector<double> expected(w.size());
  const random::Stream unused(0);
  if (dtype == data::NpyDtype::f4) {
    std::vector<float> e(w.size());
    ini(std::span<float>(e), s, unused);
    std::copy(e.begin(), e.end(), expected.begin());
  } else {
    ini(std::span<double>(expected), s, unused);
  }
  std::size_t bad = 0;
  for (std::size_t i = 0; i < w.size(); ++i) bad += w[i] != expected[i];
  out.push_back(deterministic("values", "entries that differ", static_cast<double>(bad), bad == 0,
                              "exact equality"));
}

// the stored tensor -> the (out, in) matrix, row-major
std::vector<double> as_matrix(std::span<const double> values, const WeightView& v, Layout l) {
  if (l == Layout::out_in) return {values.begin(), values.end()};
  const FanShape s = v.matrix;  // stored as (in * rf, out)
  std::vector<double> w(values.size());
  for (std::size_t r = 0; r < s.in; ++r) {
    for (std::size_t c = 0; c < s.out; ++c) w[c * s.in + r] = values[r * s.out + c];
  }
  return w;
}

void decide(CheckResult& r) {
  const auto k = std::count_if(r.tests.begin(), r.tests.end(),
                               [](const CheckTest& t) { return !t.deterministic; });
  r.test_level = k > 0 ? stats::bonferroni(r.level, static_cast<std::size_t>(k)) : r.level;
  r.consistent = true;
  for (auto& t : r.tests) {
    if (!t.deterministic) t.rejected = t.p_value <= r.test_level;
    r.consistent = r.consistent && !t.rejected;
  }
}

}  // namespace

CheckResult check_tensor(std::span<const double> values, std::span<const std::size_t> shape,
                         data::NpyDtype dtype, const std::string& spec, Layout layout,
                         double level) {
  if (!(level > 0.0 && level < 1.0)) fail("check", "level ", level, "; expected 0 < level < 1");
  const WeightView view = weight_view(shape, layout);
  const init::Initializer ini = init::parse(spec);
  CheckResult r;
  r.spec = spec;
  r.canonical = init::spec_of(ini.rule());
  r.law = ini.law();
  r.shape.assign(shape.begin(), shape.end());
  r.layout = layout;
  r.dtype = dtype;
  r.view = view;
  r.level = level;
  const std::vector<double> w = as_matrix(values, view, layout);
  const EntryLaw law = entry_law(ini.rule(), view.fans, view.matrix);
  const init::Moments promised = law.kind == LawKind::exact || law.kind == LawKind::orthogonal ||
                                         law.kind == LawKind::sparse
                                     ? ini.moments(view.matrix)
                                     : init::Moments{law.mean, law.variance};
  r.promised_mean = promised.mean;
  r.promised_variance = promised.variance;
  const auto st = init::draw_stats<double>(w);
  r.mean = st.mean;
  r.variance = st.variance;
  r.min = st.min;
  r.max = st.max;
  const auto bad = std::count_if(w.begin(), w.end(), [](double v) { return !std::isfinite(v); });
  r.tests.push_back(deterministic("finite", "non-finite entries", static_cast<double>(bad),
                                  bad == 0, "every entry finite"));
  if (bad == 0) {
    switch (law.kind) {
      case LawKind::normal:
        iid_tests(w, law, dtype, r.tests);
        independence_test(w, view.matrix, law, r.tests);
        break;
      case LawKind::truncated_normal:
      case LawKind::uniform: iid_tests(w, law, dtype, r.tests); break;
      case LawKind::sparse: sparse_tests(w, view.matrix, law, dtype, r.tests); break;
      case LawKind::orthogonal: orthogonal_tests(w, view.matrix, law, dtype, r.tests); break;
      case LawKind::exact: exact_tests(w, view.matrix, ini, dtype, shape.size(), r.tests); break;
    }
  }
  decide(r);
  return r;
}

std::vector<std::string> auto_specs() {
  std::vector<std::string> specs = {"zeros", "ones", "identity", "orthogonal",
                                    "note_standard_normal", "note_uniform", "lecun_normal",
                                    "lecun_uniform", "xavier_normal", "xavier_uniform",
                                    "he_normal", "he_uniform", "he_normal:mode=fan_out",
                                    "he_uniform:mode=fan_out"};
  for (const char* scale : {"1", "2"}) {
    for (const char* mode : {"fan_in", "fan_out", "fan_avg"}) {
      for (const char* dist : {"normal", "truncated_normal", "uniform"}) {
        specs.push_back(cat("variance_scaling:scale=", scale, ",mode=", mode,
                            ",distribution=", dist));
      }
    }
  }
  return specs;
}

std::vector<CheckResult> check_auto(std::span<const double> values,
                                    std::span<const std::size_t> shape, data::NpyDtype dtype,
                                    Layout layout, double level) {
  std::vector<CheckResult> out;
  std::set<std::string> seen;
  for (const auto& spec : auto_specs()) {
    const std::string canonical = init::spec_of(init::parse(spec).rule());
    if (!seen.insert(canonical).second) continue;
    if (spec == "identity" && shape.size() != 2) continue;
    out.push_back(check_tensor(values, shape, dtype, spec, layout, level));
  }
  return out;
}

}  // namespace initlab::study
