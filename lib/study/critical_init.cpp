#include "study/critical_init.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "init/initializer.hpp"

namespace initlab::study {

namespace {

CriticalInit make(Activation f, double bias_std, double sb2) {
  CriticalInit c;
  c.activation = f;
  c.bias_std = bias_std;
  c.sb2 = sb2;
  const theory::CriticalPoint point = theory::critical_point(f, sb2);
  c.sw2 = point.sw2;
  c.gain = std::sqrt(c.sw2);
  c.bias_spec = bias_std > 0.0 ? init::spec_of(init::Normal{bias_std}) : "zeros";
  if (!point.exists()) {
    c.reason = point.why_none;
    c.fixed.q = c.fixed.chi1 = std::numeric_limits<double>::quiet_NaN();
    return c;
  }
  c.fixed = theory::fixed_point(f, c.sw2, c.sb2);
  c.exists = c.fixed.kind != theory::FixedPointKind::none;
  if (!c.exists) {
    c.reason = cat(f.name(), " has chi_1 = 1 only at sw2 = ", c.sw2,
                   ", where the length map q^l = q^{l-1} + sb2 (sb2 = ", c.sb2,
                   ") has no fixed point: q^l grows without bound");
  }
  c.weight_spec = init::spec_of(
      init::VarianceScaling{c.sw2, init::FanMode::fan_in, init::Distribution::normal});
  c.orthogonal_spec = init::spec_of(init::Orthogonal{c.gain});
  return c;
}

}  // namespace

CriticalInit critical_init(Activation f, double bias_std) {
  if (!(bias_std >= 0.0) || !std::isfinite(bias_std))
    fail("study::critical_init", "bias_std = ", bias_std, ", expected a finite bias_std >= 0");
  return make(f, bias_std, bias_std * bias_std);
}

CriticalInit critical_init_sb2(Activation f, double sb2) {
  if (!(sb2 >= 0.0) || !std::isfinite(sb2))
    fail("study::critical_init_sb2", "sb2 = ", sb2, ", expected a finite sb2 >= 0");
  return make(f, std::sqrt(sb2), sb2);
}

}  // namespace initlab::study
