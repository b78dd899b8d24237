// Sparse initialization (Martens, "Deep learning via Hessian-free optimization",
// ICML 2010), as PyTorch's sparse_(w, sparsity, std):
//
//   w_ij ~ N(0, std^2), then in each column j, z = ceil(sparsity * out) entries,
//   chosen uniformly at random without replacement, are set to 0.
//   E w = 0,  Var w = std^2 (out - z) / out,  E w^4 = 3 std^4 (out - z) / out
//
// Exact laws used by the tests: every column has exactly z zeros and the sum of
// squares is std^2 * chi^2(in * (out - z)).
// Randomness: the Gaussians are elements 0..N-1 of rng; the zero positions use
// rng.split(1): column j's t-th pick is uniform01(j * out + t) (partial Fisher-Yates),
// so the result is a pure function of (rng, shape) for any thread count.

#include <cmath>
#include <numeric>
#include <vector>

#include "init/detail.hpp"
#include "init/sparse.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

namespace {
std::size_t zeros_per_column(double sparsity, std::size_t out) {
  return static_cast<std::size_t>(std::ceil(sparsity * static_cast<double>(out)));
}
}  // namespace

// w (out, in) <- N(0, std^2) with ceil(sparsity * out) zeros in each column
template <class T>
void Sparse::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("sparse", w.size(), s);
  rng.normal(w, T(0), static_cast<T>(std));
  const std::size_t z = std::min(zeros_per_column(sparsity, s.out), s.out);
  if (z == 0) return;
  const random::Stream picks = rng.split(1);
  std::vector<std::size_t> rows(s.out);
  for (std::size_t j = 0; j < s.in; ++j) {
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    for (std::size_t t = 0; t < z; ++t) {
      const double u = picks.uniform01(static_cast<std::uint64_t>(j * s.out + t));
      const std::size_t left = s.out - t;
      const std::size_t r =
          t + std::min(left - 1, static_cast<std::size_t>(u * static_cast<double>(left)));
      std::swap(rows[t], rows[r]);
      w[rows[t] * s.in + j] = T(0);
    }
  }
}

Moments Sparse::moments(FanShape s) const {
  const std::size_t z = std::min(zeros_per_column(sparsity, s.out), s.out);
  const double kept = static_cast<double>(s.out - z) / static_cast<double>(s.out);
  return {0.0, std * std * kept};
}

std::string Sparse::law() const {
  return "N(0, " + detail::num(std) + "^2) with ceil(" + detail::num(sparsity) +
         " * out) zeros per column";
}

template void Sparse::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Sparse::operator()(std::span<double>, FanShape, const random::Stream&) const;

std::string Sparse::spec() const { return "sparse:" + detail::num(sparsity) + "," + detail::num(std); }

namespace {
// sparse[:SPARSITY[,STD]], SPARSITY in [0, 1].
Sparse parse_sparse(const SpecArgs& a) {
  const auto& p = a.positional(0, 2, "sparse[:SPARSITY[,STD]]");
  Sparse r;
  if (!p.empty()) {
    r.sparsity = a.number("SPARSITY", p[0]);
    if (r.sparsity < 0.0 || r.sparsity > 1.0) {
      fail(a.spec(), "SPARSITY must be in [0, 1], got ", p[0]);
    }
  }
  if (p.size() == 2) r.std = a.positive("STD", p[1]);
  return r;
}
}  // namespace

const std::vector<Entry<Sparse>>& Sparse::entries() {
  static const std::vector<Entry<Sparse>> all{
      {{"sparse"},
       parse_sparse,
       {"sparse[:SPARSITY[,STD]]",
        "N(0, STD^2), then ceil(SPARSITY * out) random entries of each column set to 0; "
        "defaults 0.1, 0.01",
        "STD^2 * (out - ceil(SPARSITY out))/out", "-",
        "Martens 2010; PyTorch sparse_"}},
  };
  return all;
}

}  // namespace initlab::init
