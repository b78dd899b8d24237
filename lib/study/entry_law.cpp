// One entry's law per initializer rule (see entry_law.hpp).
//
// Fourth central moments, used by the variance tests of bounded laws:
//   U(-A, A):  mu4 = A^4 / 5;   N(0, s^2): mu4 = 3 s^4;
//   s * (Z | a <= Z <= b): raw moments from E Z^k = (k-1) E Z^{k-2} + (a^{k-1} phi(a) -
//   b^{k-1} phi(b)) / P, P = Phi(b) - Phi(a) (Johnson, Kotz & Balakrishnan vol. 1,
//   ch. 13), then mu4 = m4 - 4 m1 m3 + 6 m1^2 m2 - 3 m1^4.
// variance_scaling's scale is read back from moments(): normal sd = sqrt(var),
// uniform A = sqrt(3 var), truncated sd = sqrt(var / v(-2, 2)).

#include "study/entry_law.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

#include "core/error.hpp"
#include "random/normal_math.hpp"

namespace initlab::study {

std::string_view to_string(LawKind k) {
  switch (k) {
    case LawKind::normal: return "normal";
    case LawKind::truncated_normal: return "truncated_normal";
    case LawKind::uniform: return "uniform";
    case LawKind::sparse: return "sparse";
    case LawKind::orthogonal: return "orthogonal";
    case LawKind::exact: return "exact";
  }
  return "?";
}

namespace {

EntryLaw normal(double sd) {
  EntryLaw l;
  l.kind = LawKind::normal;
  l.sd = sd;
  l.variance = sd * sd;
  l.mu4 = 3.0 * l.variance * l.variance;
  return l;
}

EntryLaw uniform(double a) {
  EntryLaw l;
  l.kind = LawKind::uniform;
  l.lo = -a;
  l.hi = a;
  l.variance = a * a / 3.0;
  l.mu4 = a * a * a * a / 5.0;
  return l;
}

EntryLaw truncated(double sd, double a, double b) {
  const double p = random::normal_mass(a, b);
  const double fa = random::normal_pdf(a), fb = random::normal_pdf(b);
  const double m1 = (fa - fb) / p;
  const double m2 = 1.0 + (a * fa - b * fb) / p;
  const double m3 = 2.0 * m1 + (a * a * fa - b * b * fb) / p;
  const double m4 = 3.0 * m2 + (a * a * a * fa - b * b * b * fb) / p;
  const double c4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1 * m1 * m1 * m1;
  const auto t = random::truncated_normal_moments(a, b);
  EntryLaw l;
  l.kind = LawKind::truncated_normal;
  l.sd = sd;
  l.a = a;
  l.b = b;
  l.lo = sd * a;
  l.hi = sd * b;
  l.mean = sd * t.mean;
  l.variance = sd * sd * t.variance;
  l.mu4 = sd * sd * sd * sd * c4;
  return l;
}

struct LawOf {
  FanShape fans, matrix;
  EntryLaw operator()(const init::Constant&) const { return exact(); }
  EntryLaw operator()(const init::Identity&) const { return exact(); }
  EntryLaw operator()(const init::Uniform& r) const { return uniform(r.a); }
  EntryLaw operator()(const init::Normal& r) const { return normal(r.std); }
  EntryLaw operator()(const init::TruncatedNormal& r) const { return truncated(r.std, r.a, r.b); }
  EntryLaw operator()(const init::VarianceScaling& r) const {
    const double v = r.moments(fans).variance;
    switch (r.distribution) {
      case init::Distribution::normal: return normal(std::sqrt(v));
      case init::Distribution::uniform: return uniform(std::sqrt(3.0 * v));
      case init::Distribution::truncated_normal:
        return truncated(std::sqrt(v / random::truncated_normal_moments(-2.0, 2.0).variance),
                         -2.0, 2.0);
    }
    return {};
  }
  EntryLaw operator()(const init::Orthogonal& r) const {
    EntryLaw l;
    l.kind = LawKind::orthogonal;
    l.gain = r.gain;
    l.variance = r.moments(matrix).variance;
    return l;
  }
  EntryLaw operator()(const init::Sparse& r) const {
    EntryLaw l = normal(r.std);
    l.kind = LawKind::sparse;
    // PyTorch's sparse_: ceil(sparsity * out) zeros in every column
    l.zeros = std::min(matrix.out, static_cast<std::size_t>(std::ceil(
                                       r.sparsity * static_cast<double>(matrix.out))));
    return l;
  }
  static EntryLaw exact() {
    EntryLaw l;
    l.kind = LawKind::exact;
    return l;
  }
};

}  // namespace

EntryLaw entry_law(const init::Rule& r, FanShape fans, FanShape matrix) {
  return std::visit(LawOf{fans, matrix}, r);
}

double entry_cdf(const EntryLaw& l, double x) {
  switch (l.kind) {
    case LawKind::normal:
    case LawKind::sparse:
      return random::normal_cdf((x - l.mean) / l.sd);
    case LawKind::truncated_normal: {
      const double z = std::clamp(x / l.sd, l.a, l.b);
      return std::clamp(random::normal_mass(l.a, z) / random::normal_mass(l.a, l.b), 0.0, 1.0);
    }
    case LawKind::uniform:
      return std::clamp((x - l.lo) / (l.hi - l.lo), 0.0, 1.0);
    case LawKind::orthogonal:
    case LawKind::exact:
      break;
  }
  fail("entry_cdf", "a ", to_string(l.kind), " law has no per-entry CDF of i.i.d. entries");
}

}  // namespace initlab::study
