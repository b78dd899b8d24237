// Registry: every rule's canonical spec parses back to the same rule (numbers are
// written with the shortest text that reads back exactly), for arbitrary finite
// parameters, not only the generated grid.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "init/gen.hpp"
#include "init/initializer.hpp"

namespace initlab::init {
namespace {

rc::Gen<double> positive_finite() {
  return rc::gen::suchThat(rc::gen::map(rc::gen::arbitrary<double>(),
                                        [](double x) { return std::abs(x); }),
                           [](double x) { return std::isfinite(x) && x > 0.0; })
      .as("positive finite x");
}

RC_GTEST_PROP(Registry, CanonicalSpecRoundTrips, ()) {
  const Rule rule = *testing::any_rule();
  const std::string spec = spec_of(rule);
  RC_LOG() << spec << "\n";
  const Initializer ini = parse(spec);
  RC_ASSERT(ini.rule() == rule);
  RC_ASSERT(ini.spec() == spec);
}

RC_GTEST_PROP(Registry, ArbitraryNumbersRoundTrip, ()) {
  const double x = *positive_finite();
  const double v = *rc::gen::suchThat(rc::gen::arbitrary<double>(),
                                      [](double y) { return std::isfinite(y); })
                       .as("finite v");
  for (const Rule& rule : {Rule{Uniform{x}}, Rule{Normal{x}}, Rule{Orthogonal{x}},
                           Rule{Constant{v}}, Rule{Identity{v}},
                           Rule{VarianceScaling{x, FanMode::fan_avg, Distribution::uniform}}}) {
    RC_LOG() << spec_of(rule) << "\n";
    RC_ASSERT(parse(spec_of(rule)).rule() == rule);
  }
}

}  // namespace
}  // namespace initlab::init
