// The length map and the backward recursion over depth, in the log domain.
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "theory/log_layer.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {

namespace {

using detail::plain;
using detail::safe_log;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

void check_nonneg(const char* func, const char* name, double v) {
  if (!(v >= 0.0) || !std::isfinite(v))
    fail(func, name, " = ", v, ", expected a finite value >= 0");
}

}  // namespace

double length_map(Activation f, double sw2, double sb2, double q) {
  check_nonneg("theory::length_map", "sw2", sw2);
  check_nonneg("theory::length_map", "sb2", sb2);
  return sw2 * second_moment(f, q) + sb2;
}

double chi1(Activation f, double sw2, double q) {
  check_nonneg("theory::chi1", "sw2", sw2);
  return sw2 * dphi2(f, q);
}

std::vector<double> weight_variances(double sw2, std::span<const std::size_t> widths,
                                     std::string_view mode) {
  check_nonneg("theory::weight_variances", "sw2", sw2);
  if (widths.size() < 2) {
    fail("theory::weight_variances", "widths ", shape_str(widths),
         ", expected n_0..n_L with L >= 1");
  }
  for (std::size_t n : widths) {
    if (n == 0)
      fail("theory::weight_variances", "widths ", shape_str(widths), ", expected every width > 0");
  }
  std::vector<double> v;
  for (std::size_t l = 1; l < widths.size(); ++l) {
    const auto n_in = static_cast<double>(widths[l - 1]);
    const auto n_out = static_cast<double>(widths[l]);
    if (mode == "fan_in") {
      v.push_back(sw2 / n_in);
    } else if (mode == "fan_out") {
      v.push_back(sw2 / n_out);
    } else if (mode == "fan_avg") {
      v.push_back(2.0 * sw2 / (n_in + n_out));
    } else {
      fail("theory::weight_variances", "mode '", mode, "', expected fan_in, fan_out or fan_avg");
    }
  }
  return v;
}

Architecture uniform_architecture(Activation f, double sw2, double sb2, double q0,
                                  std::size_t depth, std::size_t width) {
  if (depth == 0) fail("theory::uniform_architecture", "depth 0, expected depth >= 1");
  if (width == 0) fail("theory::uniform_architecture", "width 0, expected width >= 1");
  Architecture a;
  a.activations = {f};
  a.widths.assign(depth + 1, width);
  a.weight_variance = weight_variances(sw2, a.widths, "fan_in");
  a.sb2 = sb2;
  a.q0 = q0;
  return a;
}

Trajectory trajectory(const Architecture& arch) {
  const char* func = "theory::trajectory";
  const std::size_t L = arch.weight_variance.size();
  if (L == 0) fail(func, "no layers, expected weight_variance with L >= 1 entries");
  if (arch.widths.size() != L + 1) {
    fail(func, "widths has ", arch.widths.size(), " entries, expected L + 1 = ", L + 1);
  }
  if (arch.activations.size() != 1 && arch.activations.size() != L) {
    fail(func, arch.activations.size(), " activations, expected 1 or L = ", L);
  }
  for (std::size_t n : arch.widths) {
    if (n == 0) fail(func, "widths ", shape_str(arch.widths), ", expected every width > 0");
  }
  for (double v : arch.weight_variance) check_nonneg(func, "Var(W^l)", v);
  check_nonneg(func, "sb2", arch.sb2);
  check_nonneg(func, "q0", arch.q0);
  check_nonneg(func, "qt_last", arch.qt_last);
  // A bounded activation keeps q^l <= sw2_l + sb2; that bound must be a finite double.
  constexpr double kBig = 1e300;
  if (arch.sb2 > kBig) fail(func, "sb2 = ", arch.sb2, ", expected sb2 <= 1e300");

  auto phi = [&](std::size_t l) {
    return arch.activations.size() == 1 ? arch.activations[0] : arch.activations[l - 1];
  };
  Trajectory t;
  t.layers.resize(L);
  const double ln_sb2 = safe_log(arch.sb2);
  double ln_e_prev = safe_log(arch.q0);  // ln E[(a^{l-1})^2]
  std::vector<double> ln_e_in(L);        // ln E[(a^{l-1})^2] per layer, for the gradient
  for (std::size_t l = 1; l <= L; ++l) {
    LayerTheory& y = t.layers[l - 1];
    y.layer = l;
    y.sw2 = static_cast<double>(arch.widths[l - 1]) * arch.weight_variance[l - 1];
    ln_e_in[l - 1] = ln_e_prev;
    detail::forward_layer(y, phi(l), ln_e_prev, ln_sb2, func);
    ln_e_prev = y.ln_second;
    if (y.overflow && t.forward_overflow_at == 0) t.forward_overflow_at = l;
  }
  // Backward: qt^L = qt_last, qt^{l-1} = E[phi'(h^{l-1})^2] n_l Var(W^l) qt^l.
  double ln_qt = safe_log(arch.qt_last);
  for (std::size_t l = L; l >= 1; --l) {
    LayerTheory& y = t.layers[l - 1];
    y.ln_qt = ln_qt;
    y.ln_grad2 = ln_qt + ln_e_in[l - 1];
    if (ln_qt == kNegInf || ln_e_in[l - 1] == kNegInf) y.ln_grad2 = kNegInf;
    y.qt = plain(y.ln_qt, y.overflow);
    y.grad2 = plain(y.ln_grad2, y.overflow);
    if (l > 1) {
      const double back = static_cast<double>(arch.widths[l]) * arch.weight_variance[l - 1];
      const double ln_factor = safe_log(t.layers[l - 2].dphi2) + safe_log(back);
      ln_qt = (ln_qt == kNegInf || ln_factor == kNegInf) ? kNegInf : ln_qt + ln_factor;
    }
  }
  for (const LayerTheory& y : t.layers) {
    if (y.overflow) {
      t.overflow_at = y.layer;
      break;
    }
  }
  return t;
}

Trajectory trajectory(Activation f, double sw2, double sb2, double q0, std::size_t depth) {
  return trajectory(uniform_architecture(f, sw2, sb2, q0, depth));
}

}  // namespace initlab::theory
