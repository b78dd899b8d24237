// A plain Architecture as dense blocks, block kind names, and the closed forms of
// the normalization laws (net_recursion.hpp; docs/theory.md §27, §28).
#include <cmath>

#include "core/error.hpp"
#include "theory/net_recursion.hpp"

namespace initlab::theory {

NetArchitecture net_architecture(const Architecture& arch) {
  const char* func = "theory::net_architecture";
  const std::size_t L = arch.weight_variance.size();
  if (L == 0 || arch.widths.size() != L + 1)
    fail(func, L, " weight variances and ", arch.widths.size(), " widths, expected L >= 1 and L + 1");
  if (arch.activations.size() != 1 && arch.activations.size() != L)
    fail(func, arch.activations.size(), " activations, expected 1 or L = ", L);
  NetArchitecture net;
  net.input = arch.widths[0];
  net.q0 = arch.q0;
  net.qt_last = arch.qt_last;
  net.logits = true;
  for (std::size_t l = 1; l <= L; ++l) {
    NetDense d;
    d.activation = arch.activations.size() == 1 ? arch.activations[0] : arch.activations[l - 1];
    d.width = arch.widths[l];
    d.sw2 = static_cast<double>(arch.widths[l - 1]) * arch.weight_variance[l - 1];
    d.sb2 = arch.sb2;
    net.blocks.emplace_back(d);
  }
  return net;
}

std::string_view to_string(BlockTheory::Kind k) {
  switch (k) {
    case BlockTheory::Kind::dense: return "dense";
    case BlockTheory::Kind::layernorm: return "layernorm";
    case BlockTheory::Kind::batchnorm: return "batchnorm";
    case BlockTheory::Kind::residual: return "residual";
  }
  return "unknown";
}

double norm_second(double v, double eps) {
  if (!(v >= 0.0)) fail("theory::norm_second", "v = ", v, ", expected a variance >= 0");
  if (!(eps > 0.0) || !std::isfinite(eps))
    fail("theory::norm_second", "eps = ", eps, ", expected a finite eps > 0");
  return std::isinf(v) ? 1.0 : v / (v + eps);
}

double batchnorm_gradient_rate(Activation f, double sw2, double sb2, double eps) {
  const char* func = "theory::batchnorm_gradient_rate";
  if (!(sw2 > 0.0) || !std::isfinite(sw2)) fail(func, "sw2 = ", sw2, ", expected a finite sw2 > 0");
  if (!(sb2 >= 0.0) || !std::isfinite(sb2)) fail(func, "sb2 = ", sb2, ", expected a finite sb2 >= 0");
  if (!(eps >= 0.0) || !std::isfinite(eps)) fail(func, "eps = ", eps, ", expected a finite eps >= 0");
  // r = v / (v + eps) at q = sw2 r + sb2: |dr/dr'| <= eps sw2 |dv/dq| / v^2, tiny
  // for eps << v, so the iteration from r = 1 settles to rounding in a few steps.
  double r = 1.0;
  ActivationMoments m = moments(f, sw2 + sb2);
  for (int i = 0; i < 200 && eps > 0.0; ++i) {
    const double next = m.variance / (m.variance + eps);
    if (next == r) break;
    r = next;
    m = moments(f, sw2 * r + sb2);
  }
  if (!(m.variance > 0.0))
    fail(func, "Var phi(h) = 0 at q = ", m.q, ": the batch has no variance to normalize");
  return sw2 * m.dphi2 / (m.variance + eps);
}

}  // namespace initlab::theory
