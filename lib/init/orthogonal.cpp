// Orthogonal initialization (Saxe, McClelland & Ganguli, "Exact solutions to the
// nonlinear dynamics of learning in deep linear neural networks", ICLR 2014).
//
//   W = gain * Q,  W W^T = gain^2 I (out <= in, orthonormal rows)
//                  W^T W = gain^2 I (out >= in, orthonormal columns)
//
// Q is Haar: G (out, in) has N(0, 1) entries; for the taller of G and G^T, A = Q R
// (QR), and Q * diag(sign(diag R)) is Haar-distributed on the Stiefel manifold
// (Mezzadri, "How to generate random matrices from the classical compact groups",
// Notices AMS 2007): without the sign fix LAPACK's Householder QR makes
// diag R negative and Q biased. Each row (out <= in) or column (out >= in) of Q is
// uniform on the unit sphere of dimension m = max(out, in), so one entry has mean 0,
// variance gain^2 / m and w^2 / gain^2 ~ Beta(1/2, (m - 1)/2); entries are not
// independent. Same law as PyTorch's orthogonal_.
//
// One Householder QR (LAPACK geqrf + orgqr, as PyTorch): LAPACK is column-major.
//   out <= in: the row-major (out, in) buffer read column-major is an (in x out)
//              tall matrix G; its Q is computed in place and, read row-major, is
//              Q^T (out, in): orthonormal rows. No copy.
//   out >  in: G (out x in) is drawn column-major into a scratch buffer, its Q
//              computed there and transposed into w (one copy of out * in values,
//              negligible next to the QR; LQ of the in-place buffer avoids it but
//              measured 2-3x slower).
// Either way the Gaussian G has i.i.d. entries, so the law is that of
// PyTorch's QR of a Gaussian (out, in) or of its transpose.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

// xblas.hpp first: it brings the FLENS macros (ASSERT) that xlapack.hpp relies on.
#include <xtensor-blas/xblas.hpp>
#include <xtensor-blas/xlapack.hpp>

#include "init/detail.hpp"
#include "init/orthogonal.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

namespace {

using idx = xt::blas_index_t;

void check_info(int info, const char* routine) {
  if (info != 0) {
    throw std::runtime_error(cat("orthogonal: LAPACK ", routine, " returned info ", info));
  }
}

// What one QR needs besides its matrix: tau, LAPACK's work array, the signs of
// diag R and (out > in) the column-major copy. One per thread, grown to the
// largest shape the thread has drawn and never shrunk, so a thread's later draws
// of that size or smaller allocate nothing (the variance study draws 50 layers
// per network).
template <class T>
struct QrScratch {
  std::vector<T> tau, work, d, a;
};

template <class T>
QrScratch<T>& qr_scratch() {
  thread_local QrScratch<T> s;
  return s;
}

// v <- at least n entries (the entries beyond the old size are zeroed once).
template <class T>
T* at_least(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

// a (m x n, column-major, lda = m, m >= n) <- its Q; d[j] <- sign(R_jj).
// LAPACK is given exactly the work size it asks for (the blocking, and so every
// value, does not depend on how large the scratch has grown).
template <class T>
void qr_in_place(T* a, idx m, idx n, T* d, QrScratch<T>& s) {
  T* tau = at_least(s.tau, static_cast<std::size_t>(n));
  T q1 = 0, q2 = 0;
  check_info(cxxlapack::geqrf<idx>(m, n, a, m, tau, &q1, idx(-1)), "geqrf query");
  check_info(cxxlapack::orgqr<idx>(m, n, n, a, m, tau, &q2, idx(-1)), "orgqr query");
  const auto lwork = static_cast<idx>(static_cast<std::size_t>(std::max(q1, q2)));
  T* work = at_least(s.work, static_cast<std::size_t>(lwork));
  check_info(cxxlapack::geqrf<idx>(m, n, a, m, tau, work, lwork), "geqrf");
  for (idx j = 0; j < n; ++j) d[j] = a[j + j * m] < T(0) ? T(-1) : T(1);
  check_info(cxxlapack::orgqr<idx>(m, n, n, a, m, tau, work, lwork), "orgqr");
}

}  // namespace

// G ~ N(0, 1) from rng; w (out, in) <- gain * Q(G) * diag(sign diag R)
template <class T>
void Orthogonal::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("orthogonal", w.size(), s);
  const auto out = static_cast<idx>(s.out);
  const auto in = static_cast<idx>(s.in);
  QrScratch<T>& scratch = qr_scratch<T>();
  T* d = at_least(scratch.d, std::min(s.out, s.in));
  const T g = static_cast<T>(gain);
  if (s.out <= s.in) {
    // w read column-major is G (in x out) = Q R; row r of w is column r of Q.
    rng.normal(w, T(0), T(1));
    qr_in_place(w.data(), in, out, d, scratch);
    for (std::size_t r = 0; r < s.out; ++r) {
      const T f = g * d[r];
      T* row = w.data() + r * s.in;
      for (std::size_t c = 0; c < s.in; ++c) row[c] *= f;
    }
    return;
  }
  // a (out x in, column-major) = G = Q R; w (out, in) row-major <- Q, tile by tile.
  T* a = at_least(scratch.a, w.size());
  rng.normal(std::span<T>(a, w.size()), T(0), T(1));
  qr_in_place(a, out, in, d, scratch);
  for (std::size_t c = 0; c < s.in; ++c) d[c] *= g;
  constexpr std::size_t kTile = 32;
  for (std::size_t r0 = 0; r0 < s.out; r0 += kTile) {
    const std::size_t r1 = std::min(s.out, r0 + kTile);
    for (std::size_t c0 = 0; c0 < s.in; c0 += kTile) {
      const std::size_t c1 = std::min(s.in, c0 + kTile);
      for (std::size_t r = r0; r < r1; ++r) {
        for (std::size_t c = c0; c < c1; ++c) w[r * s.in + c] = a[r + c * s.out] * d[c];
      }
    }
  }
}

Moments Orthogonal::moments(FanShape s) const {
  return {0.0, gain * gain / static_cast<double>(std::max(s.out, s.in))};
}

std::string Orthogonal::law() const {
  return detail::num(gain) + " * Q, Q Haar with orthonormal rows (out <= in) or columns";
}

template void Orthogonal::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Orthogonal::operator()(std::span<double>, FanShape, const random::Stream&) const;

std::string Orthogonal::spec() const { return "orthogonal:" + detail::num(gain); }

const std::vector<Entry<Orthogonal>>& Orthogonal::entries() {
  static const std::vector<Entry<Orthogonal>> all{
      {{"orthogonal"},
       [](const SpecArgs& a) {
         const auto& p = a.positional(0, 1, "orthogonal[:GAIN]");
         return Orthogonal{p.empty() ? 1.0 : a.positive("GAIN", p[0])};
       },
       {"orthogonal[:GAIN]",
        "GAIN * Q, Q Haar: QR of a Gaussian (of its transpose if out < in) with Q * "
        "diag(sign(diag R)); W W^T = GAIN^2 I (out <= in), W^T W = GAIN^2 I (out >= in)",
        "GAIN^2/max(out, in) (entries not independent)", "-",
        "Saxe et al. 2014, arXiv:1312.6120; Mezzadri 2007; PyTorch orthogonal_"}},
  };
  return all;
}

}  // namespace initlab::init
