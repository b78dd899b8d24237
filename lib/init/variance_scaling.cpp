// Variance scaling (Keras / JAX `VarianceScaling`): one rule behind the
// fan-scaled initializers. With n = fan(mode) (fan_in = in, fan_out = out,
// fan_avg = (in + out) / 2) every distribution has variance scale / n:
//
//   normal            w ~ N(0, scale / n)
//   truncated_normal  w = s * (Z | -2 <= Z <= 2),  s = sqrt(scale / n) / 0.87962566103423978
//   uniform           w ~ U(-L, L),  L = sqrt(3 scale / n)
//
// 0.87962566103423978 is the standard deviation of N(0, 1) truncated to [-2, 2], so
// the truncated draw's variance is scale / n (to rounding) as in Keras and JAX.
// The named rules are instances (entries() below):
//   lecun_*  scale 1, fan_in   (LeCun, Bottou, Orr & Mueller, "Efficient BackProp", 1998)
//   xavier_* scale gain^2, fan_avg   (Glorot & Bengio, AISTATS 2010)
//   he_*     scale gain^2, fan_in or fan_out, gain = calculate_gain   (He, Zhang, Ren & Sun,
//            "Delving deep into rectifiers", ICCV 2015, arXiv:1502.01852)
// The forward pass keeps its per-unit second moment with fan_in, the backward pass
// with fan_out (docs/theory.md §6).

#include <cmath>

#include "init/detail.hpp"
#include "init/spec_args.hpp"
#include "init/variance_scaling.hpp"
#include "random/normal_math.hpp"

namespace initlab::init {

std::string_view to_string(FanMode m) {
  switch (m) {
    case FanMode::fan_in: return "fan_in";
    case FanMode::fan_out: return "fan_out";
    case FanMode::fan_avg: return "fan_avg";
  }
  return "?";
}

std::string_view to_string(Distribution d) {
  switch (d) {
    case Distribution::normal: return "normal";
    case Distribution::truncated_normal: return "truncated_normal";
    case Distribution::uniform: return "uniform";
  }
  return "?";
}

double fan(FanShape s, FanMode m) {
  switch (m) {
    case FanMode::fan_in: return static_cast<double>(s.fan_in());
    case FanMode::fan_out: return static_cast<double>(s.fan_out());
    case FanMode::fan_avg: return s.fan_avg();
  }
  return 0.0;
}

namespace {
// Keras's constant: the std of N(0, 1) truncated to [-2, 2].
constexpr double kTruncatedStd = 0.87962566103423978;

double base_variance(const VarianceScaling& r, FanShape s) { return r.scale / fan(s, r.mode); }
double truncated_std(const VarianceScaling& r, FanShape s) {
  return std::sqrt(base_variance(r, s)) / kTruncatedStd;
}
double uniform_limit(const VarianceScaling& r, FanShape s) {
  return std::sqrt(3.0 * base_variance(r, s));
}
}  // namespace

// w (out, in) <- the distribution above, element i from element i of rng
template <class T>
void VarianceScaling::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("variance_scaling", w.size(), s);
  switch (distribution) {
    case Distribution::normal:
      rng.normal(w, T(0), static_cast<T>(std::sqrt(base_variance(*this, s))));
      break;
    case Distribution::truncated_normal:
      rng.truncated_normal(w, static_cast<T>(truncated_std(*this, s)), T(-2), T(2));
      break;
    case Distribution::uniform: {
      const T limit = static_cast<T>(uniform_limit(*this, s));
      rng.uniform(w, -limit, limit);
      break;
    }
  }
}

Moments VarianceScaling::moments(FanShape s) const {
  switch (distribution) {
    case Distribution::normal:
      return {0.0, base_variance(*this, s)};
    case Distribution::truncated_normal: {
      const double sd = truncated_std(*this, s);
      return {0.0, sd * sd * random::truncated_normal_moments(-2.0, 2.0).variance};
    }
    case Distribution::uniform: {
      const double limit = uniform_limit(*this, s);
      return {0.0, limit * limit / 3.0};
    }
  }
  return {};
}

std::string VarianceScaling::law() const {
  const std::string n(to_string(mode));
  const std::string v = detail::num(scale) + "/" + n;
  switch (distribution) {
    case Distribution::normal:
      return "N(0, " + v + ")";
    case Distribution::truncated_normal:
      return "s * N(0, 1) truncated to [-2, 2], s = sqrt(" + v + ") / 0.87962566103423978";
    case Distribution::uniform: {
      const std::string l = "sqrt(" + detail::num(3.0 * scale) + "/" + n + ")";
      return "U(-" + l + ", " + l + ")";
    }
  }
  return {};
}

template void VarianceScaling::operator()(std::span<float>, FanShape,
                                          const random::Stream&) const;
template void VarianceScaling::operator()(std::span<double>, FanShape,
                                          const random::Stream&) const;

std::string VarianceScaling::spec() const {
  return cat("variance_scaling:scale=", detail::num(scale), ",mode=", to_string(mode),
             ",distribution=", to_string(distribution));
}

namespace {
FanMode mode_of(const SpecArgs& a, std::string_view v) {
  if (v == "fan_in") return FanMode::fan_in;
  if (v == "fan_out") return FanMode::fan_out;
  if (v == "fan_avg") return FanMode::fan_avg;
  fail(a.spec(), "mode must be fan_in, fan_out or fan_avg");
}

Distribution distribution_of(const SpecArgs& a, std::string_view v) {
  if (v == "normal") return Distribution::normal;
  if (v == "truncated_normal") return Distribution::truncated_normal;
  if (v == "uniform") return Distribution::uniform;
  fail(a.spec(), "distribution must be normal, truncated_normal or uniform");
}

VarianceScaling parse_variance_scaling(const SpecArgs& a) {
  constexpr std::string_view syntax =
      "variance_scaling[:scale=S,mode=fan_in|fan_out|fan_avg,"
      "distribution=normal|truncated_normal|uniform]";
  VarianceScaling r;
  const auto o = a.options({"scale", "mode", "distribution"}, syntax);
  if (auto it = o.find("scale"); it != o.end()) r.scale = a.positive("scale", it->second);
  if (auto it = o.find("mode"); it != o.end()) r.mode = mode_of(a, it->second);
  if (auto it = o.find("distribution"); it != o.end()) {
    r.distribution = distribution_of(a, it->second);
  }
  return r;
}

// xavier_*[:gain=G]: fan_avg, scale gain^2 (PyTorch's xavier_normal_ / xavier_uniform_).
VarianceScaling xavier(const SpecArgs& a, Distribution d) {
  const auto o = a.options({"gain"}, cat(a.name(), "[:gain=G]"));
  const double g = o.contains("gain") ? a.positive("gain", o.at("gain")) : 1.0;
  return VarianceScaling{g * g, FanMode::fan_avg, d};
}

// he_*[:mode=..,nonlinearity=relu|leaky_relu,slope=S]: scale gain^2 with PyTorch's
// gain: relu 2, leaky_relu 2 / (1 + S^2) (slope given alone implies leaky_relu).
VarianceScaling he(const SpecArgs& a, Distribution d) {
  const std::string syntax =
      cat(a.name(), "[:mode=fan_in|fan_out|fan_avg,nonlinearity=relu|leaky_relu,slope=S]");
  const auto o = a.options({"mode", "nonlinearity", "slope"}, syntax);
  const FanMode mode = o.contains("mode") ? mode_of(a, o.at("mode")) : FanMode::fan_in;
  std::string_view nl = o.contains("slope") ? "leaky_relu" : "relu";
  if (o.contains("nonlinearity")) nl = o.at("nonlinearity");
  if (nl != "relu" && nl != "leaky_relu") fail(a.spec(), "nonlinearity must be relu or leaky_relu");
  if (nl == "relu" && o.contains("slope")) {
    fail(a.spec(), "slope applies only to nonlinearity=leaky_relu");
  }
  const double slope = o.contains("slope") ? a.number("slope", o.at("slope")) : 0.01;
  const double scale = nl == "relu" ? 2.0 : 2.0 / (1.0 + slope * slope);
  return VarianceScaling{scale, mode, d};
}

// A name that takes no arguments: lecun_normal, lecun_uniform.
template <Distribution D>
VarianceScaling lecun(const SpecArgs& a) {
  a.no_args();
  return VarianceScaling{1.0, FanMode::fan_in, D};
}
}  // namespace

const std::vector<Entry<VarianceScaling>>& VarianceScaling::entries() {
  using D = Distribution;
  static const std::vector<Entry<VarianceScaling>> all{
      {{"variance_scaling"},
       parse_variance_scaling,
       {"variance_scaling[:scale=S,mode=fan_in|fan_out|fan_avg,"
        "distribution=normal|truncated_normal|uniform]",
        "normal: N(0, S/fan); truncated_normal: s * (Z | -2 <= Z <= 2), "
        "s = sqrt(S/fan) / 0.87962566103423978; uniform: U(-sqrt(3S/fan), sqrt(3S/fan)); "
        "defaults S = 1, fan_in, truncated_normal",
        "S/fan", "-",
        "Keras / JAX VarianceScaling (0.8796... is the std of N(0, 1) on [-2, 2])"}},
      {{"lecun_normal"},
       lecun<D::normal>,
       {"lecun_normal", "N(0, 1/fan_in)", "1/fan_in",
        "variance_scaling:scale=1,mode=fan_in,distribution=normal",
        "LeCun et al. 1998, Efficient BackProp. Keras's lecun_normal is truncated: "
        "variance_scaling:scale=1,mode=fan_in,distribution=truncated_normal"}},
      {{"lecun_uniform"},
       lecun<D::uniform>,
       {"lecun_uniform", "U(-sqrt(3/fan_in), sqrt(3/fan_in))", "1/fan_in",
        "variance_scaling:scale=1,mode=fan_in,distribution=uniform",
        "LeCun et al. 1998; same as Keras"}},
      {{"xavier_normal", "glorot_normal"},
       [](const SpecArgs& a) { return xavier(a, D::normal); },
       {"xavier_normal[:gain=G] (alias glorot_normal)", "N(0, G^2 * 2/(fan_in + fan_out))",
        "G^2/fan_avg", "variance_scaling:scale=G^2,mode=fan_avg,distribution=normal",
        "Glorot & Bengio 2010; PyTorch xavier_normal_ (plain normal). Keras's glorot_normal is "
        "truncated: variance_scaling:scale=1,mode=fan_avg,distribution=truncated_normal"}},
      {{"xavier_uniform", "glorot_uniform"},
       [](const SpecArgs& a) { return xavier(a, D::uniform); },
       {"xavier_uniform[:gain=G] (alias glorot_uniform)",
        "U(-G sqrt(6/(fan_in + fan_out)), G sqrt(6/(fan_in + fan_out)))", "G^2/fan_avg",
        "variance_scaling:scale=G^2,mode=fan_avg,distribution=uniform",
        "Glorot & Bengio 2010; PyTorch xavier_uniform_, Keras glorot_uniform"}},
      {{"he_normal", "kaiming_normal"},
       [](const SpecArgs& a) { return he(a, D::normal); },
       {"he_normal[:mode=fan_in|fan_out|fan_avg,nonlinearity=relu|leaky_relu,slope=S] "
        "(alias kaiming_normal)",
        "N(0, g^2/fan), g = calculate_gain(nonlinearity, S): relu sqrt(2), leaky_relu "
        "sqrt(2/(1+S^2)) (S defaults to 0.01; slope=S alone means leaky_relu); default "
        "N(0, 2/fan_in)",
        "g^2/fan (2/fan_in)", "variance_scaling:scale=2,mode=fan_in,distribution=normal",
        "He et al. 2015, arXiv:1502.01852; PyTorch kaiming_normal_ (plain normal; its "
        "leaky_relu default slope is 0). Keras's he_normal is truncated: "
        "variance_scaling:scale=2,mode=fan_in,distribution=truncated_normal"}},
      {{"he_uniform", "kaiming_uniform"},
       [](const SpecArgs& a) { return he(a, D::uniform); },
       {"he_uniform[:mode=...,nonlinearity=...,slope=S] (alias kaiming_uniform)",
        "U(-g sqrt(3/fan), g sqrt(3/fan)), g as for he_normal; default "
        "U(-sqrt(6/fan_in), sqrt(6/fan_in))",
        "g^2/fan (2/fan_in)", "variance_scaling:scale=2,mode=fan_in,distribution=uniform",
        "He et al. 2015; PyTorch kaiming_uniform_, Keras he_uniform"}},
  };
  return all;
}

}  // namespace initlab::init
