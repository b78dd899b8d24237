// Scaled identity initialization.
//
//   W = alpha * I_(out, in):  w_ij = alpha if i == j, else 0  (rectangular allowed)
//
// Deterministic. The note's deep linear example (Katanforoosh & Kunin 2019):
// with W = alpha I a linear net of L layers maps x to alpha^L x, so activations
// explode for alpha = 1.5 and vanish for alpha = 0.5. Identity recurrent weights:
// Le, Jaitly & Hinton, "A simple way to initialize recurrent networks of rectified
// linear units", 2015. PyTorch's eye_ is identity:1.
// moments() are the population moments of the matrix: k = min(out, in) entries equal
// alpha, so mean = alpha k / N and variance = alpha^2 k / N - mean^2, N = out * in.

#include <algorithm>

#include "init/detail.hpp"
#include "init/identity.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

// w (out, in) <- alpha on the main diagonal, 0 elsewhere
template <class T>
void Identity::operator()(std::span<T> w, FanShape s, const random::Stream&) const {
  detail::check_shape("identity", w.size(), s);
  std::fill(w.begin(), w.end(), T(0));
  const std::size_t k = std::min(s.out, s.in);
  for (std::size_t i = 0; i < k; ++i) w[i * s.in + i] = static_cast<T>(alpha);
}

Moments Identity::moments(FanShape s) const {
  const double frac =
      static_cast<double>(std::min(s.out, s.in)) / static_cast<double>(s.size());
  const double mean = alpha * frac;
  return {mean, alpha * alpha * frac - mean * mean};
}

std::string Identity::law() const { return detail::num(alpha) + " * I"; }

template void Identity::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Identity::operator()(std::span<double>, FanShape, const random::Stream&) const;

std::string Identity::spec() const { return "identity:" + detail::num(alpha); }

const std::vector<Entry<Identity>>& Identity::entries() {
  static const std::vector<Entry<Identity>> all{
      {{"identity"},
       [](const SpecArgs& a) {
         const auto& p = a.positional(0, 1, "identity[:ALPHA]");
         return Identity{p.empty() ? 1.0 : a.number("ALPHA", p[0])};
       },
       {"identity[:ALPHA]", "ALPHA * I (rectangular: ALPHA on the main diagonal)",
        "population: ALPHA^2 k/N - (ALPHA k/N)^2, k = min(out, in), N = out*in", "-",
        "the note's 2x2 deep linear example; Le et al. 2015; PyTorch eye_ (ALPHA = 1)"}},
  };
  return all;
}

}  // namespace initlab::init
