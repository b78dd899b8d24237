#include "study/critical_init.hpp"

#include <cmath>

#include "core/error.hpp"
#include "init/initializer.hpp"

namespace initlab::study {

CriticalInit critical_init(Activation f, double bias_std) {
  if (!(bias_std >= 0.0) || !std::isfinite(bias_std))
    fail("study::critical_init", "bias_std = ", bias_std, ", expected a finite bias_std >= 0");
  CriticalInit c;
  c.activation = f;
  c.bias_std = bias_std;
  c.sb2 = bias_std * bias_std;
  c.sw2 = theory::critical_sw2(f, c.sb2);
  c.gain = std::sqrt(c.sw2);
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
  c.bias_spec = bias_std > 0.0 ? init::spec_of(init::Normal{bias_std}) : "zeros";
  return c;
}

}  // namespace initlab::study
